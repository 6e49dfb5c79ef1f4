package dev.lifeboat.audit.domain;

import java.time.Instant;
import java.util.List;

/**
 * What the timeline of one incident says, derived from its messages alone: the rows of the
 * projections, the same every time they are derived from the same messages.
 *
 * @param incident the incident
 * @param volumes each volume's failover
 * @param steps each step of the incident (volumeId 0) and of each volume
 * @param commands each command with its result
 */
public record IncidentProjection(
    Incident incident, List<Volume> volumes, List<StepRow> steps, List<CommandRow> commands) {

  /**
   * The incident.
   *
   * @param kind {@code loss} (a node lost) or {@code removal} (a node removed on purpose)
   * @param status SUSPECTED, RETURNED, RUNNING, HELD, COMPLETED, PARTIAL or CANCELLED
   * @param firstSeenAt the first message about the node
   * @param detectedAt when NodeGone (or the removal's request) was sent
   * @param fencedAt when the fence succeeded
   * @param emptiedAt when the last volume that left the server was detached from it
   * @param endedAt the terminal saga event
   * @param lastPodReadyAt the last replacement pod Ready
   */
  public record Incident(
      String incidentId,
      String kind,
      String node,
      long serverId,
      String location,
      String reason,
      String status,
      Instant firstSeenAt,
      Instant detectedAt,
      Instant fencedAt,
      Instant emptiedAt,
      Instant endedAt,
      Instant lastPodReadyAt,
      int volumesTotal,
      int volumesMoved,
      int messages) {}

  /**
   * A volume's failover.
   *
   * @param status PENDING, IN_PROGRESS, MOVED, FAILED or SKIPPED
   */
  public record Volume(
      String incidentId,
      long volumeId,
      String persistentVolume,
      String claim,
      String location,
      String status,
      String targetNode,
      long targetServer,
      String failureStep,
      String failureReason,
      String failureDetail,
      Instant startedAt,
      Instant endedAt) {}

  /**
   * A step, incident-wide (volumeId 0) or of a volume.
   *
   * @param status RUNNING, RETRYING, SUCCEEDED or FAILED
   * @param attempts how many attempts started
   * @param failures every failed attempt, in order
   */
  public record StepRow(
      String incidentId,
      long volumeId,
      String step,
      String status,
      Instant startedAt,
      Instant endedAt,
      int attempts,
      String errorCode,
      String error,
      List<Failure> failures) {}

  /** A failed attempt of a step. */
  public record Failure(int attempt, Instant at, String code, String message, boolean final_) {}

  /**
   * A command and its result.
   *
   * @param outcome the result's type, or null while none came
   * @param latencyMillis from the command to its result; null while none came
   */
  public record CommandRow(
      String commandId,
      String incidentId,
      String type,
      String service,
      Long volumeId,
      Instant sentAt,
      String outcome,
      String detail,
      Instant resultAt,
      Long latencyMillis) {}
}
