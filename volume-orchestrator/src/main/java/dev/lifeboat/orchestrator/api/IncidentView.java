package dev.lifeboat.orchestrator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lifeboat.events.node.ClaimRef;
import dev.lifeboat.events.saga.VolumeFailure;
import dev.lifeboat.orchestrator.domain.Control;
import dev.lifeboat.orchestrator.domain.IncidentSaga;
import dev.lifeboat.orchestrator.domain.IncidentState;
import dev.lifeboat.orchestrator.domain.VolumeFlow;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An incident as the API shows it.
 *
 * @param incidentId the incident id
 * @param kind {@code loss} for a lost node, {@code removal} for one removed on purpose
 * @param then a removal's choice for the server once empty: delete, poweroff or keep
 * @param requestedBy who asked for a removal
 * @param node the lost (or removed) node's name
 * @param serverId its Hetzner server
 * @param location its location
 * @param reason why it was declared gone
 * @param status RUNNING, HELD, COMPLETED, PARTIAL or CANCELLED
 * @param holdReason why it waits for a person, when HELD
 * @param fencing the fencing chosen for the node
 * @param fencingPermit NONE, REQUESTED (the answer is on its way), GRANTED (the incident counts
 *     against the fencing cap) or RELEASED (given back when it ended)
 * @param flowSlots the same for its share of the limit of flows in progress: NONE (not asked yet,
 *     or refused and asking again), REQUESTED, GRANTED or RELEASED
 * @param flowSlotsHeld how many of its flows may run at once under that limit
 * @param fenced whether the server is proven unable to write
 * @param dryRun whether it ran in dry-run mode
 * @param openedAt when the saga opened it
 * @param endedAt when it ended; null while it runs
 * @param volumes every volume's flow
 * @param refused why a person's request would be refused now, by kind ({@code RESUME}, {@code
 *     CANCEL}, {@code ABORT}); a kind not named is allowed. The saga's own rule, so the API answers
 *     as the saga will act.
 */
public record IncidentView(
    String incidentId,
    String kind,
    @JsonInclude(JsonInclude.Include.NON_NULL) String then,
    @JsonInclude(JsonInclude.Include.NON_NULL) String requestedBy,
    String node,
    long serverId,
    String location,
    String reason,
    String status,
    String holdReason,
    String fencing,
    String fencingPermit,
    String flowSlots,
    int flowSlotsHeld,
    boolean fenced,
    boolean dryRun,
    Instant openedAt,
    Instant endedAt,
    List<VolumeView> volumes,
    Map<String, String> refused) {

  /**
   * One volume's flow.
   *
   * @param volumeId the Hetzner volume id
   * @param persistentVolume the PV's name
   * @param claim its PVC
   * @param location its location
   * @param phase where its flow stands
   * @param step the step of the current attempt; null when none runs
   * @param attempt the current attempt's number; 0 when none runs
   * @param awaiting the type of the command awaited; null when none
   * @param targetNode the node its replacement pod was bound to
   * @param targetServer that node's server; 0 until known
   * @param failure why it failed, when it did
   * @param retryRefused why a retry of this volume would be refused now; null when it is allowed
   */
  public record VolumeView(
      long volumeId,
      String persistentVolume,
      ClaimRef claim,
      String location,
      String phase,
      String step,
      int attempt,
      String awaiting,
      String targetNode,
      long targetServer,
      VolumeFailure failure,
      String retryRefused) {

    static VolumeView of(IncidentState state, VolumeFlow flow) {
      return new VolumeView(
          flow.volumeId(),
          flow.volume().persistentVolume(),
          flow.volume().claim(),
          flow.volume().location(),
          flow.phase().name(),
          flow.attempt() == null ? null : flow.attempt().step().name(),
          flow.attempt() == null ? 0 : flow.attempt().number(),
          flow.attempt() == null || flow.attempt().commandId() == null
              ? null
              : flow.attempt().request().type().getSimpleName(),
          flow.targetNode(),
          flow.targetServer(),
          flow.failure(),
          IncidentSaga.refusal(state, Control.Kind.RETRY_VOLUME, flow.volumeId()).orElse(null));
    }
  }

  /** The view of a stored state. */
  public static IncidentView of(IncidentState state) {
    return new IncidentView(
        state.incidentId(),
        state.kind().word(),
        state.then() == null ? null : state.then().word(),
        state.requestedBy(),
        state.node().name(),
        state.node().serverId(),
        state.node().location(),
        state.reason().name(),
        state.status().name(),
        state.holdReason(),
        state.fencing().name().toLowerCase(java.util.Locale.ROOT),
        state.permit().name(),
        state.flowSlots().name(),
        state.slotsHeld(),
        state.fenced(),
        state.dryRun(),
        state.openedAt(),
        state.endedAt(),
        state.volumes().stream().map(flow -> VolumeView.of(state, flow)).toList(),
        refusals(state));
  }

  private static Map<String, String> refusals(IncidentState state) {
    Map<String, String> refused = new TreeMap<>();
    for (Control.Kind kind :
        List.of(Control.Kind.RESUME, Control.Kind.CANCEL, Control.Kind.ABORT)) {
      IncidentSaga.refusal(state, kind, 0).ifPresent(why -> refused.put(kind.name(), why));
    }
    return refused;
  }
}
