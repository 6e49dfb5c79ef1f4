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
 * @param node the lost node
 * @param reason why it was declared gone
 * @param status the incident's status
 * @param detectedAt when it was declared gone
 * @param toFenceMillis from detection to the fence's success
 * @param toLastPodReadyMillis from detection to the last replacement pod Ready
 * @param totalMillis from detection to the end
 * @param volumesMoved how many moved
 * @param volumesTotal how many the node held
 * @param steps each step with its duration and attempts
 * @param failures what failed and why
 */
public record IncidentReport(
    String incidentId,
    String node,
    String reason,
    String status,
    Instant detectedAt,
    Long toFenceMillis,
    Long toLastPodReadyMillis,
    Long totalMillis,
    int volumesMoved,
    int volumesTotal,
    List<StepDuration> steps,
    List<String> failures) {

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
    return new IncidentReport(
        i.incidentId(),
        i.node(),
        i.reason(),
        i.status(),
        i.detectedAt(),
        between(i.detectedAt(), i.fencedAt()),
        between(i.detectedAt(), i.lastPodReadyAt()),
        between(i.detectedAt(), i.endedAt()),
        i.volumesMoved(),
        i.volumesTotal(),
        steps,
        failures);
  }

  /** The report as Markdown. */
  public String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("# Incident ").append(incidentId).append("\n\n");
    out.append("- Node: ").append(node).append(" (").append(reason).append(")\n");
    out.append("- Status: ").append(status).append('\n');
    out.append("- Declared gone: ").append(detectedAt).append('\n');
    out.append("- Fenced after: ").append(seconds(toFenceMillis)).append('\n');
    out.append("- Last pod Ready after: ").append(seconds(toLastPodReadyMillis)).append('\n');
    out.append("- Ended after: ").append(seconds(totalMillis)).append('\n');
    out.append("- Volumes moved: ")
        .append(volumesMoved)
        .append(" of ")
        .append(volumesTotal)
        .append("\n\n## Steps\n\n| volume | step | status | duration | attempts | last error |\n")
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
