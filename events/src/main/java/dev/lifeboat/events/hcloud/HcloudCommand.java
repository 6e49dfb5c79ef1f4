package dev.lifeboat.events.hcloud;

import dev.lifeboat.events.Command;
import java.time.Instant;

/** A request from the orchestrator for hcloud-adapter to act through the Hetzner Cloud API. */
public sealed interface HcloudCommand extends Command
    permits PowerOffServer, DeleteServer, DetachVolume, AttachVolume {

  /**
   * The server whose action this is: Hetzner runs one action per server at a time, so commands
   * about one server queue behind each other.
   */
  long serverId();

  /**
   * When the orchestrator stops waiting for this command: after it, the adapter neither starts it
   * nor goes on with it, so an action never lands after the saga gave up or moved on; null for no
   * deadline.
   */
  Instant notAfter();
}
