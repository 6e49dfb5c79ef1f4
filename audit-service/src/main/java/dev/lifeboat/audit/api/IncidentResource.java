package dev.lifeboat.audit.api;

import dev.lifeboat.audit.domain.IncidentProjection;
import dev.lifeboat.audit.domain.IncidentProjector;
import dev.lifeboat.audit.domain.IncidentReport;
import dev.lifeboat.audit.domain.Timeline;
import dev.lifeboat.audit.persistence.Queries;
import dev.lifeboat.service.api.ApiError;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The timeline API: incidents, their steps, timelines and reports, and volume histories. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class IncidentResource {

  /** Markdown, for reports and timelines. */
  public static final String MARKDOWN = "text/markdown";

  private final Queries queries;

  IncidentResource(Queries queries) {
    this.queries = queries;
  }

  @GET
  @Path("/incidents")
  @Operation(
      summary =
          "Incidents, removals and repairs, newest first, filtered by kind, node, status and time")
  public Queries.Page list(
      @QueryParam("kind") String kind,
      @QueryParam("node") String node,
      @QueryParam("status") String status,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("page") @DefaultValue("0") int page,
      @QueryParam("size") @DefaultValue("50") int size) {
    if (page < 0 || size < 1 || size > 500) {
      throw ApiError.of(
          Status.BAD_REQUEST, "invalid_input", "page must be >= 0 and size between 1 and 500");
    }
    if (kind != null
        && !kind.equalsIgnoreCase(IncidentProjector.LOSS)
        && !kind.equalsIgnoreCase(IncidentProjector.REMOVAL)
        && !kind.equalsIgnoreCase(IncidentProjector.REPAIR)) {
      throw ApiError.of(
          Status.BAD_REQUEST,
          "invalid_input",
          "kind must be "
              + IncidentProjector.LOSS
              + ", "
              + IncidentProjector.REMOVAL
              + " or "
              + IncidentProjector.REPAIR
              + ", was "
              + kind);
    }
    return queries.incidents(kind, node, status, time(from), time(to), page, size);
  }

  @GET
  @Path("/incidents/{id}")
  @Operation(summary = "An incident with its volumes, their steps, and the commands")
  public IncidentDetail get(@PathParam("id") String id) {
    return IncidentDetail.of(projection(id));
  }

  @GET
  @Path("/incidents/{id}/timeline")
  @Operation(summary = "Every message of the incident, in order")
  public List<Timeline.Line> timeline(@PathParam("id") String id) {
    projection(id);
    return Timeline.lines(queries.entries(id));
  }

  @GET
  @Path("/incidents/{id}/report")
  @Produces({MediaType.APPLICATION_JSON, MARKDOWN})
  @Operation(summary = "The incident's report, as JSON or Markdown (Accept: text/markdown)")
  public Response report(
      @PathParam("id") String id,
      @HeaderParam(HttpHeaders.ACCEPT) String accept,
      @QueryParam("format") String format) {
    IncidentReport report = IncidentReport.of(projection(id));
    boolean markdown =
        "markdown".equalsIgnoreCase(format)
            || (format == null && accept != null && accept.contains(MARKDOWN));
    return markdown
        ? Response.ok(report.markdown(), MARKDOWN + ";charset=UTF-8").build()
        : Response.ok(report, MediaType.APPLICATION_JSON).build();
  }

  @GET
  @Path("/volumes/{volumeId}/history")
  @Operation(summary = "Every failover of a volume, newest first")
  public List<Queries.VolumeEvent> history(@PathParam("volumeId") long volumeId) {
    return queries.volumeHistory(volumeId);
  }

  @GET
  @Path("/dead-letters")
  @Operation(summary = "The latest records refused by any service, with why")
  public List<Queries.DeadLetter> deadLetters(@QueryParam("limit") @DefaultValue("100") int limit) {
    return queries.deadLetters(Math.max(1, Math.min(limit, 1000)));
  }

  private IncidentProjection projection(String id) {
    return queries
        .incident(id)
        .orElseThrow(
            () -> ApiError.of(Status.NOT_FOUND, "not_found", "no incident " + id + " is known"));
  }

  private static Instant time(String text) {
    return text == null || text.isBlank() ? null : Instant.parse(text);
  }
}
