package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.permit.FencePermitGranted;
import dev.lifeboat.events.permit.FencePermitRefused;
import dev.lifeboat.events.permit.FencePermitRequested;
import dev.lifeboat.events.permit.PermitMessage;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The fencing cap, decided in one place: every request and release goes to one partition, whose
 * owner answers them one after the other from the set of incidents holding a permit. Nothing
 * another instance or an uncommitted transaction does can let two requests both see "nobody is
 * fencing".
 */
public final class FencingPermits {

  private FencingPermits() {}

  /**
   * The answer to a request, given the incidents holding a permit now. A granted incident joins
   * them (the host stores it); one that already holds a permit is granted again (a replayed
   * request); a person's override is always granted.
   */
  public static PermitMessage decide(
      Set<String> holders, FencePermitRequested request, Instant now) {
    String id = MessageIds.derived(request.messageId(), "answer");
    List<String> others =
        holders.stream().filter(holder -> !holder.equals(request.incidentId())).sorted().toList();
    if (holders.contains(request.incidentId())
        || request.override()
        || others.size() < request.cap()) {
      return new FencePermitGranted(id, request.incidentId(), now, others);
    }
    return new FencePermitRefused(id, request.incidentId(), now, others, request.cap());
  }
}
