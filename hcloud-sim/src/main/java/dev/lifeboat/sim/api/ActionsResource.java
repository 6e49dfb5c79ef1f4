package dev.lifeboat.sim.api;

import dev.lifeboat.sim.domain.ApiError;
import dev.lifeboat.sim.domain.Cloud;
import dev.lifeboat.sim.domain.Views;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code /v1/actions}: one action, or a batch by repeated {@code id}. */
@Path("/v1/actions")
@Produces(MediaType.APPLICATION_JSON)
public class ActionsResource {

  private final Cloud cloud;

  ActionsResource(Cloud cloud) {
    this.cloud = cloud;
  }

  /** The batch poll of the official clients; unknown ids are simply left out. */
  @GET
  public Map<String, Object> list(
      @QueryParam("id") List<String> ids,
      @QueryParam("status") List<String> statuses,
      @QueryParam("sort") List<String> sorts,
      @QueryParam("page") String page,
      @QueryParam("per_page") String perPage) {
    if (ids == null || ids.isEmpty()) {
      throw ApiError.invalidInput("id", "Missing data for required field.");
    }
    List<Long> parsed = new ArrayList<>();
    for (String id : ids) {
      try {
        parsed.add(Long.parseLong(id.trim()));
      } catch (NumberFormatException e) {
        throw ApiError.invalidInput("id", "Not a valid integer: '" + id + "'");
      }
    }
    Views.Page<Views.Action> actions =
        cloud.actions(parsed, Queries.of(statuses, sorts, page, perPage));
    return Map.of("actions", actions.items(), "meta", actions.meta());
  }

  @GET
  @Path("/{id}")
  public Map<String, Object> get(@PathParam("id") long id) {
    return Map.of("action", cloud.action(id));
  }

  /** {@code 201 {"action": ...}}, the answer to every action request. */
  static Response created(Views.Action action) {
    return Response.status(Response.Status.CREATED).entity(Map.of("action", action)).build();
  }
}
