package dev.lifeboat.audit.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lifeboat.audit.config.AuditConfig;
import dev.lifeboat.audit.messaging.DoctorRequests;
import dev.lifeboat.audit.persistence.DoctorRepairs;
import dev.lifeboat.audit.persistence.DoctorReports;
import dev.lifeboat.events.codec.MessageCodec;
import dev.lifeboat.events.doctor.DoctorReport;
import dev.lifeboat.events.doctor.DoctorRunRequested;
import dev.lifeboat.events.doctor.Finding;
import dev.lifeboat.events.doctor.FindingKind;
import dev.lifeboat.events.doctor.Headroom;
import dev.lifeboat.events.doctor.Repair;
import dev.lifeboat.events.doctor.RepairAnswered;
import dev.lifeboat.events.doctor.RepairAsked;
import dev.lifeboat.service.api.ApiError;
import dev.lifeboat.service.api.Mutating;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
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
 * {@code POST /api/doctor/findings/{id}/repair} asks for a finding's repair: the finding is checked
 * again on a fresh run by the orchestrator, which starts the repair's saga or says what changed.
 */
@Path("/api/doctor")
@Produces(MediaType.APPLICATION_JSON)
public class DoctorResource {

  private static final long POLL_MILLIS = 250;

  private final DoctorReports reports;
  private final DoctorRepairs repairs;
  private final DoctorRequests requests;
  private final AuditConfig config;

  DoctorResource(
      DoctorReports reports, DoctorRepairs repairs, DoctorRequests requests, AuditConfig config) {
    this.reports = reports;
    this.repairs = repairs;
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
    Optional<DoctorReport> report = stored(() -> reports.ofRun(request.runId()));
    if (report.isPresent()) {
      return view(report);
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

  /**
   * Who asks for a repair.
   *
   * @param requestedBy a name for the timeline (defaults to {@code api})
   */
  public record RepairRequest(String requestedBy) {}

  /**
   * A repair that started.
   *
   * @param repairId the request's id
   * @param findingId the finding repaired
   * @param repair what the saga does
   * @param incidentId the saga's id: {@code GET /api/incidents/{incidentId}} is its timeline
   */
  public record RepairStarted(
      String repairId, String findingId, Repair repair, String incidentId) {}

  @POST
  @Mutating
  @Path("/findings/{id: .+}/repair")
  @Consumes(MediaType.WILDCARD)
  @Operation(
      summary =
          "Repair a finding: checked again on a fresh run, then a saga of its own (202), or"
              + " refused with what changed (409)")
  public Response repair(@PathParam("id") String findingId, String body) {
    String requestedBy = requestedBy(body);
    Finding finding =
        reports.latestCompared().stream()
            .flatMap(report -> report.findings().stream())
            .filter(f -> f.id().equals(findingId))
            .findFirst()
            .orElseThrow(
                () ->
                    ApiError.of(
                        Status.NOT_FOUND,
                        "unknown_finding",
                        "the last report has no finding "
                            + findingId
                            + ": GET /api/doctor lists the findings now"));
    if (finding.repair() == null) {
      throw ApiError.of(
          Status.CONFLICT,
          "no_safe_repair",
          findingId
              + " has no safe repair"
              + (finding.noRepairBecause() == null ? "" : ": " + finding.noRepairBecause())
              + (finding.fix() == null ? "" : "; a person fixes it with: " + finding.fix()));
    }
    RepairAsked asked = requests.askRepair(findingId, requestedBy);
    RepairAnswered answer = awaitAnswer(asked);
    return switch (answer.verdict()) {
      case STARTED ->
          Response.accepted(
                  new RepairStarted(
                      answer.repairId(),
                      answer.findingId(),
                      answer.repair(),
                      answer.repairIncidentId()))
              .build();
      case REFUSED -> throw ApiError.of(Status.CONFLICT, "finding_changed", answer.reason());
      case UNKNOWN_FINDING ->
          throw ApiError.of(Status.NOT_FOUND, "unknown_finding", answer.reason());
      case NOT_CHECKED ->
          throw ApiError.of(Status.SERVICE_UNAVAILABLE, "not_checked", answer.reason());
    };
  }

  /** Who asks, from the optional JSON body; a body that is no such JSON is a 400. */
  private static String requestedBy(String body) {
    if (body == null || body.isBlank()) {
      return "api";
    }
    RepairRequest request;
    try {
      request = MessageCodec.mapper().readValue(body, RepairRequest.class);
    } catch (JsonProcessingException e) {
      throw ApiError.of(
          Status.BAD_REQUEST,
          "invalid_input",
          "the body must be empty or JSON such as {\"requestedBy\": \"alice\"}: "
              + e.getOriginalMessage());
    }
    return request == null || request.requestedBy() == null || request.requestedBy().isBlank()
        ? "api"
        : request.requestedBy().trim();
  }

  private RepairAnswered awaitAnswer(RepairAsked asked) {
    Optional<RepairAnswered> answer = stored(() -> repairs.ofRepair(asked.repairId()));
    if (answer.isPresent()) {
      return answer.get();
    }
    throw ApiError.of(
        Status.GATEWAY_TIMEOUT,
        "timeout",
        "repair "
            + asked.repairId()
            + " of "
            + asked.findingId()
            + " was asked for at "
            + asked.occurredAt()
            + " and not answered within "
            + config.doctorWait()
            + ": is volume-orchestrator running? Nothing is done without its answer");
  }

  /**
   * What the store holds once it holds it, read again every 250 ms up to {@code
   * lifeboat.audit.doctor-wait}; empty after that. The store is read again, not a notice awaited:
   * what is awaited may be ingested by another replica of the audit, and the database is the one
   * place every replica sees it.
   */
  private <T> Optional<T> stored(java.util.function.Supplier<Optional<T>> read) {
    long deadline = System.nanoTime() + config.doctorWait().toNanos();
    while (System.nanoTime() < deadline) {
      Optional<T> found = read.get();
      if (found.isPresent()) {
        return found;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return Optional.empty();
  }

  private DoctorView view(Optional<DoctorReport> last) {
    Optional<DoctorReport> compared =
        last.filter(DoctorReport::compared).or(reports::latestCompared);
    return new DoctorView(
        compared.map(ReportView::of).orElse(null), last.map(RunView::of).orElse(null));
  }
}
