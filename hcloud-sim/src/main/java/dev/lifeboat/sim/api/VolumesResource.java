package dev.lifeboat.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.sim.domain.ApiError;
import dev.lifeboat.sim.domain.Cloud;
import dev.lifeboat.sim.domain.Views;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/** {@code /v1/volumes}: list, get, attach and detach. */
@Path("/v1/volumes")
@Produces(MediaType.APPLICATION_JSON)
public class VolumesResource {

  private final Cloud cloud;

  VolumesResource(Cloud cloud) {
    this.cloud = cloud;
  }

  @GET
  public Map<String, Object> list(
      @QueryParam("name") String name,
      @QueryParam("label_selector") String labelSelector,
      @QueryParam("status") List<String> statuses,
      @QueryParam("sort") List<String> sorts,
      @QueryParam("page") String page,
      @QueryParam("per_page") String perPage) {
    Views.Page<Views.Volume> volumes =
        cloud.volumes(Queries.of(name, labelSelector, statuses, sorts, page, perPage));
    return Map.of("volumes", volumes.items(), "meta", volumes.meta());
  }

  @GET
  @Path("/{id}")
  public Map<String, Object> get(@PathParam("id") long id) {
    return Map.of("volume", cloud.volume(id));
  }

  /** Body {@code {"server": id, "automount": bool}}; automount is accepted and has no effect. */
  @POST
  @Path("/{id}/actions/attach")
  @Consumes(MediaType.WILDCARD)
  public Response attach(@PathParam("id") long id, JsonNode body) {
    JsonNode server = body == null ? null : body.get("server");
    if (server == null || server.isNull()) {
      throw ApiError.invalidInput("server", "Missing data for required field.");
    }
    if (!server.canConvertToExactIntegral() || server.asLong() < 1) {
      throw ApiError.invalidInput("server", "Not a valid integer.");
    }
    JsonNode automount = body.get("automount");
    if (automount != null && !automount.isNull() && !automount.isBoolean()) {
      throw ApiError.invalidInput("automount", "Not a valid boolean.");
    }
    return ActionsResource.created(cloud.attach(id, server.asLong()));
  }

  /** Body empty or {@code {}}; it carries nothing, so it is not read. */
  @POST
  @Path("/{id}/actions/detach")
  @Consumes(MediaType.WILDCARD)
  public Response detach(@PathParam("id") long id) {
    return ActionsResource.created(cloud.detach(id));
  }

  /** Body {@code {"delete": bool}}; without {@code delete} the protection stays as it is. */
  @POST
  @Path("/{id}/actions/change_protection")
  @Consumes(MediaType.WILDCARD)
  public Response changeProtection(@PathParam("id") long id, JsonNode body) {
    JsonNode delete = body == null ? null : body.get("delete");
    if (delete != null && !delete.isNull() && !delete.isBoolean()) {
      throw ApiError.invalidInput("delete", "Not a valid boolean.");
    }
    return ActionsResource.created(
        cloud.changeProtection(
            id, delete == null || delete.isNull() ? null : Boolean.valueOf(delete.asBoolean())));
  }

  @GET
  @Path("/{id}/actions")
  public Map<String, Object> actions(
      @PathParam("id") long id,
      @QueryParam("status") List<String> statuses,
      @QueryParam("sort") List<String> sorts,
      @QueryParam("page") String page,
      @QueryParam("per_page") String perPage) {
    Views.Page<Views.Action> actions =
        cloud.volumeActions(id, Queries.of(statuses, sorts, page, perPage));
    return Map.of("actions", actions.items(), "meta", actions.meta());
  }
}
