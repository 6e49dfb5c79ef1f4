package dev.lifeboat.sim.api;

import dev.lifeboat.sim.domain.Cloud;
import dev.lifeboat.sim.domain.Views;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/** {@code /v1/locations}. */
@Path("/v1/locations")
@Produces(MediaType.APPLICATION_JSON)
public class LocationsResource {

  private final Cloud cloud;

  LocationsResource(Cloud cloud) {
    this.cloud = cloud;
  }

  @GET
  public Map<String, Object> list(
      @QueryParam("name") String name,
      @QueryParam("sort") List<String> sorts,
      @QueryParam("page") String page,
      @QueryParam("per_page") String perPage) {
    Views.Page<Views.Location> locations =
        cloud.locations(Queries.of(name, null, List.of(), sorts, page, perPage));
    return Map.of("locations", locations.items(), "meta", locations.meta());
  }

  @GET
  @Path("/{id}")
  public Map<String, Object> get(@PathParam("id") long id) {
    return Map.of("location", cloud.location(id));
  }
}
