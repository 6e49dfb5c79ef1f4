package dev.lifeboat.audit.domain;

import dev.lifeboat.audit.domain.IncidentProjection.Incident;
import dev.lifeboat.audit.domain.IncidentProjection.Volume;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * An incident's report: the summary, how long each step took, what failed and why.
 *
 * @param incidentId the incident
 * @param kind {@code loss} or {@code removal}
 * @param node the lost (or removed) node
 * @param reason why it was declared gone ({@code REMOVAL_REQUESTED} for a removal)
 * @param status the incident's status
 * @param detectedAt when it was declared gone (or the removal asked for)
 * @param toFenceMillis from detection to the fence's success
 * @param toEmptyMillis from detection to the last detach from the node's server: how long the node
 *     took to empty
 * @param toLastPodReadyMillis from detection to the last replacement pod Ready
 * @param totalMillis from detection to the end
 * @param volumesMoved how many moved
 * @param volumesTotal how many the node held
 * @param volumes where each volume went
 * @param steps each step with its duration and attempts
 * @param failures what failed and why
 */
public record IncidentReport(
    String incidentId,
    String kind,
    String node,
    String reason,
    String status,
    Instant detectedAt,
    Long toFenceMillis,
    Long toEmptyMillis,
    Long toLastPodReadyMillis,
    Long totalMillis,
    int volumesMoved,
    int volumesTotal,
    List<VolumeDestination> volumes,
    List<StepDuration> steps,
    List<String> failures) {

  /**
   * Where a volume went.
   *
   * @param claim its claim, {@code namespace/name}
   * @param status MOVED, FAILED, SKIPPED, or still PENDING or IN_PROGRESS
   * @param targetNode the node its pod landed on; null until it was scheduled
   * @param targetServer that node's server; 0 until then
   * @param movedAfterMillis from detection to its pod Ready there; null unless it moved
   */
  public record VolumeDestination(
      long volumeId,
      String claim,
      String status,
      String targetNode,
      long targetServer,
      Long movedAfterMillis) {}

  /**
   * A step's duration.
   *
   * @param volumeId 0 for incident-wide steps
   */
  public record StepDuration(
      long volumeId, String step, String status, Long durationMillis, int attempts, String error) {}

  /** The report of a projection. */
  public static IncidentReport of(IncidentProjection projection) {
    Incident i = projection.incident();
    List<StepDuration> steps =
        projection.steps().stream()
            .map(
                s ->
                    new StepDuration(
                        s.volumeId(),
                        s.step(),
                        s.status(),
                        between(s.startedAt(), s.endedAt()),
                        s.attempts(),
                        s.errorCode() == null ? null : s.errorCode() + ": " + s.error()))
            .toList();
    List<String> failures =
        projection.volumes().stream()
            .filter(v -> v.status().equals("FAILED"))
            .map(IncidentReport::failure)
            .toList();
    List<VolumeDestination> volumes =
        projection.volumes().stream()
            .map(
                v ->
                    new VolumeDestination(
                        v.volumeId(),
                        v.claim(),
                        v.status(),
                        v.targetNode(),
                        v.targetServer(),
                        v.status().equals("MOVED") ? between(i.detectedAt(), v.endedAt()) : null))
            .toList();
    return new IncidentReport(
        i.incidentId(),
        i.kind(),
        i.node(),
        i.reason(),
        i.status(),
        i.detectedAt(),
        between(i.detectedAt(), i.fencedAt()),
        between(i.detectedAt(), i.emptiedAt()),
        between(i.detectedAt(), i.lastPodReadyAt()),
        between(i.detectedAt(), i.endedAt()),
        i.volumesMoved(),
        i.volumesTotal(),
        volumes,
        steps,
        failures);
  }

  /** The report as Markdown. */
  public String markdown() {
    StringBuilder out = new StringBuilder();
    boolean removal = IncidentProjector.REMOVAL.equals(kind);
    out.append(removal ? "# Removal " : "# Incident ").append(incidentId).append("\n\n");
    out.append("- Node: ").append(node).append(" (").append(reason).append(")\n");
    out.append("- Status: ").append(status).append('\n');
    out.append(removal ? "- Asked for: " : "- Declared gone: ").append(detectedAt).append('\n');
    if (!removal) {
      out.append("- Fenced after: ").append(seconds(toFenceMillis)).append('\n');
    }
    out.append("- Node emptied after: ").append(seconds(toEmptyMillis)).append('\n');
    out.append("- Last pod Ready after: ").append(seconds(toLastPodReadyMillis)).append('\n');
    out.append("- Ended after: ").append(seconds(totalMillis)).append('\n');
    out.append("- Volumes moved: ")
        .append(volumesMoved)
        .append(" of ")
        .append(volumesTotal)
        .append("\n\n## Where each volume went\n\n")
        .append("| volume | claim | status | node | server | Ready after |\n")
        .append("|---|---|---|---|---|---|\n");
    for (VolumeDestination v : volumes) {
      out.append("| ")
          .append(v.volumeId())
          .append(" | ")
          .append(v.claim() == null ? "" : v.claim())
          .append(" | ")
          .append(v.status())
          .append(" | ")
          .append(v.targetNode() == null ? "" : v.targetNode())
          .append(" | ")
          .append(v.targetServer() == 0 ? "" : Long.toString(v.targetServer()))
          .append(" | ")
          .append(seconds(v.movedAfterMillis()))
          .append(" |\n");
    }
    out.append("\n## Steps\n\n| volume | step | status | duration | attempts | last error |\n")
        .append("|---|---|---|---|---|---|\n");
    for (StepDuration s : steps) {
      out.append("| ")
          .append(s.volumeId() == 0 ? "incident" : Long.toString(s.volumeId()))
          .append(" | ")
          .append(s.step())
          .append(" | ")
          .append(s.status())
          .append(" | ")
          .append(seconds(s.durationMillis()))
          .append(" | ")
          .append(s.attempts())
          .append(" | ")
          .append(s.error() == null ? "" : s.error().replace("|", "\\|"))
          .append(" |\n");
    }
    out.append("\n## What failed\n\n");
    if (failures.isEmpty()) {
      out.append("Nothing.\n");
    }
    failures.forEach(f -> out.append("- ").append(f).append('\n'));
    return out.toString();
  }

  private static String failure(Volume v) {
    return "volume "
        + v.volumeId()
        + " at "
        + v.failureStep()
        + ": "
        + v.failureReason()
        + (v.failureDetail() == null ? "" : " (" + v.failureDetail() + ")");
  }

  private static Long between(Instant from, Instant to) {
    return from == null || to == null ? null : Duration.between(from, to).toMillis();
  }

  private static String seconds(Long millis) {
    return millis == null ? "-" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}
