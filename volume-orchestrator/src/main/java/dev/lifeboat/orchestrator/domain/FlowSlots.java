package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.permit.FlowSlotsGranted;
import dev.lifeboat.events.permit.FlowSlotsRefused;
import dev.lifeboat.events.permit.FlowSlotsRequested;
import dev.lifeboat.events.permit.FlowSlotsReturned;
import dev.lifeboat.events.permit.PermitMessage;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The limit of volume flows in progress, decided where the fencing cap is ({@link FencingPermits}):
 * every request and return goes to one partition, whose owner answers them one after the other from
 * what each incident holds. A fenced incident runs at most as many flows at once as it was granted,
 * and gives back what it no longer needs, so the flows all incidents run never exceed the limit,
 * however many incidents are fenced in one commit interval or on how many instances.
 */
public final class FlowSlots {

  private FlowSlots() {}

  /**
   * The answer to a request, given what every incident holds now: as many as it wants up to the
   * room the others leave under the limit, refused when they leave none. The answer replaces what
   * the incident held before (the host stores a grant and forgets the holding on a refusal), so a
   * newer request of the same incident replaces an older one; but a request never takes away what
   * the incident holds (a top-up while its flows run is granted at least that); a person's override
   * gets what it wants.
   */
  public static PermitMessage decide(
      Map<String, Integer> held, FlowSlotsRequested request, Instant now) {
    return decide(held, request, now, OptionalInt.empty());
  }

  /**
   * The answer under the lower of the request's limit and what the Hetzner budget carries now
   * ({@link BudgetShare#flowLimit}); a person's override is not held back by either.
   */
  public static PermitMessage decide(
      Map<String, Integer> held, FlowSlotsRequested request, Instant now, OptionalInt budget) {
    int limit = Math.min(request.limit(), budget.orElse(Integer.MAX_VALUE));
    String id = MessageIds.derived(request.messageId(), "answer");
    int others =
        held.entrySet().stream()
            .filter(entry -> !entry.getKey().equals(request.incidentId()))
            .mapToInt(Map.Entry::getValue)
            .sum();
    int own = held.getOrDefault(request.incidentId(), 0);
    int granted =
        request.override()
            ? request.wanted()
            : Math.max(own, Math.min(request.wanted(), limit - others));
    if (granted < 1) {
      return new FlowSlotsRefused(id, request.incidentId(), now, others, limit);
    }
    return new FlowSlotsGranted(id, request.incidentId(), now, granted, others);
  }

  /**
   * What the incident holds after the answer to its request: what was granted, or nothing after a
   * refusal (the answer replaces any earlier holding).
   */
  public static Optional<Integer> heldAfter(PermitMessage answer) {
    return answer instanceof FlowSlotsGranted granted
        ? Optional.of(granted.granted())
        : Optional.empty();
  }

  /**
   * What the incident holds after it gave slots back: what it kept, nothing once it kept none, and
   * still nothing if it held none (a return never creates a holding).
   */
  public static Optional<Integer> heldAfter(Integer heldBefore, FlowSlotsReturned returned) {
    return heldBefore == null || returned.kept() == 0
        ? Optional.empty()
        : Optional.of(returned.kept());
  }
}
