package dev.lifeboat.sim.api;

import dev.lifeboat.sim.domain.Cloud;
import dev.lifeboat.sim.domain.Views;
import jakarta.ws.rs.DELETE;
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

/** {@code /v1/servers}: list, get, power actions and deletion. */
@Path("/v1/servers")
@Produces(MediaType.APPLICATION_JSON)
public class ServersResource {

  private final Cloud cloud;

  ServersResource(Cloud cloud) {
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
    Views.Page<Views.Server> servers =
        cloud.servers(Queries.of(name, labelSelector, statuses, sorts, page, perPage));
    return Map.of("servers", servers.items(), "meta", servers.meta());
  }

  @GET
  @Path("/{id}")
  public Map<String, Object> get(@PathParam("id") long id) {
    return Map.of("server", cloud.server(id));
  }

  @DELETE
  @Path("/{id}")
  public Map<String, Object> delete(@PathParam("id") long id) {
    return Map.of("action", cloud.deleteServer(id));
  }

  @POST
  @Path("/{id}/actions/poweroff")
  public Response powerOff(@PathParam("id") long id) {
    return ActionsResource.created(cloud.powerOff(id));
  }

  @POST
  @Path("/{id}/actions/shutdown")
  public Response shutdown(@PathParam("id") long id) {
    return ActionsResource.created(cloud.shutdown(id));
  }

  @POST
  @Path("/{id}/actions/poweron")
  public Response powerOn(@PathParam("id") long id) {
    return ActionsResource.created(cloud.powerOn(id));
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
        cloud.serverActions(id, Queries.of(statuses, sorts, page, perPage));
    return Map.of("actions", actions.items(), "meta", actions.meta());
  }
}
