package dev.lifeboat.audit.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.lifeboat.audit.domain.IncidentProjection;
import dev.lifeboat.audit.domain.IncidentProjection.CommandRow;
import dev.lifeboat.audit.domain.IncidentProjection.Failure;
import dev.lifeboat.audit.domain.IncidentProjection.Incident;
import dev.lifeboat.audit.domain.IncidentProjection.StepRow;
import java.time.Instant;
import java.util.List;

/**
 * An incident as {@code GET /api/incidents/{id}} shows it: the incident's fields, each volume with
 * its steps, the incident-wide steps and the commands.
 */
public record IncidentDetail(
    @JsonUnwrapped Incident incident,
    List<VolumeDetail> volumes,
    List<StepView> incidentSteps,
    List<CommandRow> commands) {

  /**
   * A volume's failover with its steps.
   *
   * @param failure why it failed; null unless it did
   */
  public record VolumeDetail(
      long volumeId,
      String persistentVolume,
      String claim,
      String location,
      String status,
      String targetNode,
      long targetServer,
      Instant startedAt,
      Instant endedAt,
      FailureView failure,
      List<StepView> steps) {}

  /** Why a volume failed. */
  public record FailureView(String step, String reason, String detail) {}

  /** A step. */
  public record StepView(
      String name,
      String status,
      Instant startedAt,
      Instant endedAt,
      int attempts,
      String error,
      List<Failure> failures) {}

  /** The detail of a projection. */
  public static IncidentDetail of(IncidentProjection p) {
    List<VolumeDetail> volumes =
        p.volumes().stream()
            .map(
                v ->
                    new VolumeDetail(
                        v.volumeId(),
                        v.persistentVolume(),
                        v.claim(),
                        v.location(),
                        v.status(),
                        v.targetNode(),
                        v.targetServer(),
                        v.startedAt(),
                        v.endedAt(),
                        v.failureReason() == null
                            ? null
                            : new FailureView(
                                v.failureStep(), v.failureReason(), v.failureDetail()),
                        steps(p.steps(), v.volumeId())))
            .toList();
    return new IncidentDetail(p.incident(), volumes, steps(p.steps(), 0), p.commands());
  }

  private static List<StepView> steps(List<StepRow> steps, long volumeId) {
    return steps.stream()
        .filter(s -> s.volumeId() == volumeId)
        .map(
            s ->
                new StepView(
                    s.step(),
                    s.status(),
                    s.startedAt(),
                    s.endedAt(),
                    s.attempts(),
                    s.errorCode() == null ? null : s.errorCode() + ": " + s.error(),
                    s.failures()))
        .toList();
  }
}
