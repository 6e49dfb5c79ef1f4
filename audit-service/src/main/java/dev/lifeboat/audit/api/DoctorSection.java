package dev.lifeboat.audit.api;

import dev.lifeboat.events.doctor.Finding;
import dev.lifeboat.events.doctor.Headroom;
import java.util.ArrayList;
import java.util.List;

/**
 * The doctor's section of the index page: a line that says how the last run went, and a table of
 * the findings a person reads in five seconds (what, about which objects, since when, what to do).
 *
 * @param summary the latest run that compared both sides, in one sentence
 * @param failure the latest run's failure when it failed since; null otherwise
 * @param rows one per finding
 */
public record DoctorSection(String summary, String failure, List<Row> rows) {

  /**
   * A finding as the table shows it.
   *
   * @param kind its kind
   * @param about the objects involved
   * @param since since when it holds (UTC)
   * @param what what each side shows
   * @param todo what Lifeboat would do on request, the command that fixes it, or why neither
   * @param command whether {@code todo} is a command to run
   */
  public record Row(
      String kind, String about, String since, String what, String todo, boolean command) {}

  /** The section for what {@code GET /api/doctor} answers now. */
  static DoctorSection of(DoctorResource.DoctorView view) {
    String failure =
        view.lastRun() != null && !view.lastRun().compared()
            ? "The last run (" + view.lastRun().at() + ") failed: " + view.lastRun().failure()
            : null;
    DoctorResource.ReportView report = view.report();
    if (report == null) {
      return new DoctorSection("The doctor has not compared both sides yet.", failure, List.of());
    }
    List<Row> rows = new ArrayList<>();
    for (Finding f : report.findings()) {
      String what =
          java.util.stream.Stream.of(f.cluster(), f.hetzner())
              .filter(side -> !side.isEmpty())
              .collect(java.util.stream.Collectors.joining("; "));
      String todo;
      boolean command = false;
      if (f.repair() != null) {
        todo =
            "on request, Lifeboat can "
                + f.repair().action().name().toLowerCase().replace('_', ' ');
      } else if (f.fix() != null) {
        todo = f.fix();
        command = true;
      } else {
        todo = f.noRepairBecause() == null ? "" : f.noRepairBecause();
      }
      rows.add(
          new Row(
              f.kind().name(),
              String.join(", ", f.objects()),
              f.since().toString(),
              what,
              todo,
              command));
    }
    return new DoctorSection(summary(report), failure, rows);
  }

  private static String summary(DoctorResource.ReportView report) {
    StringBuilder line = new StringBuilder();
    line.append(
        report.findings().size() == 1 ? "1 finding" : report.findings().size() + " findings");
    if (report.settling() > 0) {
      line.append(" (and ").append(report.settling()).append(" not lasted long enough yet)");
    }
    line.append(" at ")
        .append(report.at())
        .append(", run ")
        .append(report.requestedBy())
        .append('.');
    Headroom headroom = report.headroom();
    if (headroom != null && headroom.remaining() != null && headroom.biggestNode() != null) {
      line.append(" Hetzner budget: ")
          .append(headroom.remaining())
          .append(" of ")
          .append(headroom.limit())
          .append(" requests left; losing ")
          .append(headroom.biggestNode())
          .append(" (")
          .append(headroom.volumes())
          .append(" volumes) would take up to ")
          .append(headroom.needed())
          .append('.');
    }
    return line.toString();
  }
}
