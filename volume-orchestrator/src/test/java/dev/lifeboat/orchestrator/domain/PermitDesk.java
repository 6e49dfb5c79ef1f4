package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.permit.FencePermitGranted;
import dev.lifeboat.events.permit.FencePermitReleased;
import dev.lifeboat.events.permit.FencePermitRequested;
import dev.lifeboat.events.permit.FlowSlotsRequested;
import dev.lifeboat.events.permit.FlowSlotsReturned;
import dev.lifeboat.events.permit.PermitMessage;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The permits as the host keeps them, for tests without a broker: the real rules ({@link
 * FencingPermits}, {@link FlowSlots}) over the holders of fencing permits and of flow slots.
 */
final class PermitDesk {

  private static final String OTHERS = "other-incident-";

  /** The incidents holding a fencing permit. */
  final Set<String> holders = new HashSet<>();

  /** The flow slots each incident holds. */
  final Map<String, Integer> slots = new HashMap<>();

  /** With this many other incidents holding a permit (any earlier such others replaced). */
  void othersFencing(int count) {
    holders.removeIf(holder -> holder.startsWith(OTHERS));
    for (int i = 0; i < count; i++) {
      holders.add(OTHERS + i);
    }
  }

  /** With other incidents holding this many flow slots (any earlier such others replaced). */
  void othersHoldFlows(int count) {
    slots.keySet().removeIf(holder -> holder.startsWith(OTHERS));
    if (count > 0) {
      slots.put(OTHERS + "flows", count);
    }
  }

  /** How many flow slots the incidents hold together. */
  int slotsHeld() {
    return slots.values().stream().mapToInt(Integer::intValue).sum();
  }

  /**
   * Takes a permit message the saga sent: the answer to a request (a grant joins the holders), or
   * null for a release or return (the incident leaves the holders, or keeps fewer slots) and for
   * anything else.
   */
  PermitMessage take(Object sent, Instant now) {
    if (sent instanceof FencePermitRequested request) {
      PermitMessage answer = FencingPermits.decide(holders, request, now);
      if (answer instanceof FencePermitGranted) {
        holders.add(request.incidentId());
      }
      return answer;
    }
    if (sent instanceof FlowSlotsRequested request) {
      PermitMessage answer = FlowSlots.decide(slots, request, now);
      keep(request.incidentId(), FlowSlots.heldAfter(answer));
      return answer;
    }
    if (sent instanceof FencePermitReleased released) {
      holders.remove(released.incidentId());
    }
    if (sent instanceof FlowSlotsReturned returned) {
      keep(returned.incidentId(), FlowSlots.heldAfter(slots.get(returned.incidentId()), returned));
    }
    return null;
  }

  private void keep(String incidentId, Optional<Integer> held) {
    if (held.isPresent()) {
      slots.put(incidentId, held.get());
    } else {
      slots.remove(incidentId);
    }
  }
}
