package dev.lifeboat.events.saga;

import dev.lifeboat.events.Require;

/**
 * Why one volume of an incident did not move.
 *
 * @param volumeId the Hetzner volume id
 * @param step the step at which it stopped
 * @param reason a stable code, such as {@code NO_ELIGIBLE_NODE}
 * @param detail what happened, in words
 */
public record VolumeFailure(long volumeId, Step step, String reason, String detail) {
  public VolumeFailure {
    Require.id(volumeId, "failure.volumeId");
    Require.present(step, "failure.step");
    Require.text(reason, "failure.reason");
  }
}
