package dev.lifeboat.audit.api;

import dev.lifeboat.audit.persistence.Queries;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * The pages a person opens: the index of incidents with the doctor's findings, and the timeline of
 * one incident (swimlanes drawn by a small script from the API, refreshed while the incident runs).
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class TimelinePages {

  @CheckedTemplate
  static class Templates {
    static native TemplateInstance index(
        List<dev.lifeboat.audit.domain.IncidentProjection.Incident> incidents,
        DoctorSection doctor);

    static native TemplateInstance timeline(String incidentId);

    static native TemplateInstance missing(String incidentId);
  }

  private final Queries queries;
  private final DoctorResource doctor;

  TimelinePages(Queries queries, DoctorResource doctor) {
    this.queries = queries;
    this.doctor = doctor;
  }

  @GET
  public TemplateInstance index() {
    return Templates.index(
        queries.incidents(null, null, null, null, null, 0, 100).items(),
        DoctorSection.of(doctor.get(false)));
  }

  @GET
  @Path("/timeline/{id}")
  public Response timeline(@PathParam("id") String id) {
    if (queries.incident(id).isEmpty()) {
      return Response.status(Response.Status.NOT_FOUND).entity(Templates.missing(id)).build();
    }
    return Response.ok(Templates.timeline(id)).build();
  }
}
