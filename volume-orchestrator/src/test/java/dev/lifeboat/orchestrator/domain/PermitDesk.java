package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.permit.FencePermitGranted;
import dev.lifeboat.events.permit.FencePermitReleased;
import dev.lifeboat.events.permit.FencePermitRequested;
import dev.lifeboat.events.permit.PermitMessage;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * The fencing permits as the host keeps them, for tests without a broker: the real rule ({@link
 * FencingPermits}) over a set of holders.
 */
final class PermitDesk {

  /** The incidents holding a permit. */
  final Set<String> holders = new HashSet<>();

  /** With this many other incidents holding a permit (any earlier such others replaced). */
  void othersFencing(int count) {
    holders.removeIf(holder -> holder.startsWith("other-incident-"));
    for (int i = 0; i < count; i++) {
      holders.add("other-incident-" + i);
    }
  }

  /**
   * Takes a permit message the saga sent: the answer to a request (a grant joins the holders), or
   * null for a release (the incident leaves them) and for anything else.
   */
  PermitMessage take(Object sent, Instant now) {
    if (sent instanceof FencePermitRequested request) {
      PermitMessage answer = FencingPermits.decide(holders, request, now);
      if (answer instanceof FencePermitGranted) {
        holders.add(request.incidentId());
      }
      return answer;
    }
    if (sent instanceof FencePermitReleased released) {
      holders.remove(released.incidentId());
    }
    return null;
  }
}
