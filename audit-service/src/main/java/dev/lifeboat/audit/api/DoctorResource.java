package dev.lifeboat.audit.api;

import dev.lifeboat.audit.config.AuditConfig;
import dev.lifeboat.audit.messaging.DoctorRequests;
import dev.lifeboat.audit.persistence.DoctorReports;
import dev.lifeboat.events.doctor.DoctorReport;
import dev.lifeboat.events.doctor.DoctorRunRequested;
import dev.lifeboat.events.doctor.Finding;
import dev.lifeboat.events.doctor.FindingKind;
import dev.lifeboat.events.doctor.Headroom;
import dev.lifeboat.service.api.ApiError;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response.Status;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The doctor's findings (docs/doctor.md): {@code GET /api/doctor} answers with the latest report
 * that compared both sides, and the latest run if it failed since; {@code ?refresh=true} asks for a
 * run now and answers once its report is stored (a refresh within 30 s of the last joins that run).
 */
@Path("/api/doctor")
@Produces(MediaType.APPLICATION_JSON)
public class DoctorResource {

  private static final long POLL_MILLIS = 250;

  private final DoctorReports reports;
  private final DoctorRequests requests;
  private final AuditConfig config;

  DoctorResource(DoctorReports reports, DoctorRequests requests, AuditConfig config) {
    this.reports = reports;
    this.requests = requests;
    this.config = config;
  }

  /**
   * The doctor's findings now.
   *
   * @param report the latest run that compared both sides; null before any
   * @param lastRun the latest run, compared or failed; null before any
   */
  public record DoctorView(ReportView report, RunView lastRun) {}

  /**
   * A run that compared both sides.
   *
   * @param runId the run
   * @param requestedBy {@code schedule} or who asked
   * @param at when it was reported
   * @param byKind how many findings of each kind (every kind, zeros included)
   * @param findings what is wrong, with the evidence from both sides and the repair
   * @param settling how many more were seen but have not held long enough to report
   * @param headroom the rate budget against the biggest node's loss
   */
  public record ReportView(
      String runId,
      String requestedBy,
      Instant at,
      Map<FindingKind, Integer> byKind,
      List<Finding> findings,
      int settling,
      Headroom headroom) {

    static ReportView of(DoctorReport report) {
      Map<FindingKind, Integer> byKind = new EnumMap<>(FindingKind.class);
      for (FindingKind kind : FindingKind.values()) {
        byKind.put(kind, 0);
      }
      report.findings().forEach(f -> byKind.merge(f.kind(), 1, Integer::sum));
      return new ReportView(
          report.runId(),
          report.requestedBy(),
          report.occurredAt(),
          byKind,
          report.findings(),
          report.settling().size(),
          report.headroom());
    }
  }

  /**
   * A run, compared or not.
   *
   * @param runId the run
   * @param requestedBy {@code schedule} or who asked
   * @param at when it was reported
   * @param compared whether it compared both sides
   * @param failure why it did not; null when it did
   */
  public record RunView(
      String runId, String requestedBy, Instant at, boolean compared, String failure) {
    static RunView of(DoctorReport report) {
      return new RunView(
          report.runId(),
          report.requestedBy(),
          report.occurredAt(),
          report.compared(),
          report.failure());
    }
  }

  @GET
  @Operation(summary = "The doctor's findings: drift between Hetzner and Kubernetes, and traps")
  public DoctorView get(@QueryParam("refresh") @DefaultValue("false") boolean refresh) {
    if (!refresh) {
      return view(reports.latest());
    }
    DoctorRunRequested request = requests.ask("api");
    long deadline = System.nanoTime() + config.doctorWait().toNanos();
    while (System.nanoTime() < deadline) {
      Optional<DoctorReport> report = reports.ofRun(request.runId());
      if (report.isPresent()) {
        return view(report);
      }
      // The store is read again, not a notice awaited: the report may be ingested by another
      // replica of the audit, and the database is the one place every replica sees it.
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw ApiError.of(
        Status.GATEWAY_TIMEOUT,
        "timeout",
        "doctor run "
            + request.runId()
            + " was asked for at "
            + request.occurredAt()
            + " and not reported within "
            + config.doctorWait()
            + ": is volume-orchestrator running? GET /api/doctor shows it once it is");
  }

  private DoctorView view(Optional<DoctorReport> last) {
    Optional<DoctorReport> compared =
        last.filter(DoctorReport::compared).or(reports::latestCompared);
    return new DoctorView(
        compared.map(ReportView::of).orElse(null), last.map(RunView::of).orElse(null));
  }
}
