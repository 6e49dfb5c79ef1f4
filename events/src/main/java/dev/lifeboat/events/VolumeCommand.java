package dev.lifeboat.events;

/** A command about one Hetzner volume. */
public interface VolumeCommand extends Command {

  /** The Hetzner volume id. */
  long volumeId();
}
