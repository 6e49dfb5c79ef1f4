package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.FailureCodes;
import dev.lifeboat.events.node.GoneReason;

/** How a lost node's server is fenced, and when a guard holds the fence for a person. */
final class FenceRules {

  /**
   * Why the fence waits for a person.
   *
   * @param code {@link FailureCodes#FENCE_NOT_PROVEN} (the cap is the permits' to decide)
   * @param why in words
   */
  record Hold(String code, String why) {}

  private FenceRules() {}

  /** The command that fences under this policy; null when none is sent. */
  static Request request(FencePolicy fencing) {
    return switch (fencing) {
      case POWEROFF -> Request.POWER_OFF;
      case DELETE -> Request.DELETE_SERVER;
      case NONE -> null;
    };
  }

  /** Why the fence must wait for a person, or null when it may start. */
  static Hold hold(IncidentState state) {
    if (state.fencing == FencePolicy.NONE && !serverShownOff(state.reason)) {
      return new Hold(
          FailureCodes.FENCE_NOT_PROVEN,
          "fencing is none and nothing shows server "
              + state.node.serverId()
              + " is off (reason "
              + state.reason
              + ")");
    }
    return null;
  }

  /**
   * Whether the loss itself was seen on the Hetzner side: the shutdown taint of the cloud
   * controller manager, or the orchestrator's own read of the server ({@link LossEvidence}).
   */
  static boolean serverShownOff(GoneReason reason) {
    return reason == GoneReason.SERVER_SHUTDOWN || reason == GoneReason.SERVER_OFF;
  }
}
