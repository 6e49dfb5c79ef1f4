package dev.lifeboat.events.hcloud;

import dev.lifeboat.events.Command;

/** A request from the orchestrator for hcloud-adapter to act through the Hetzner Cloud API. */
public sealed interface HcloudCommand extends Command
    permits FenceCommand, DetachVolume, AttachVolume, ObserveServer, RetireServer {

  /**
   * The server whose action this is: Hetzner runs one action per server at a time, so commands
   * about one server queue behind each other.
   */
  long serverId();
}
