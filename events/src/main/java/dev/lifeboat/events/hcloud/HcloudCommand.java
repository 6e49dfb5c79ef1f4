package dev.lifeboat.events.hcloud;

import dev.lifeboat.events.Command;

/** A request from the orchestrator for hcloud-adapter to act through the Hetzner Cloud API. */
public sealed interface HcloudCommand extends Command
    permits PowerOffServer, DeleteServer, DetachVolume, AttachVolume {}
