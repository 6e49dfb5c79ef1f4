package dev.lifeboat.adapter.hcloud;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
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
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The Hetzner Cloud API calls Lifeboat makes (docs/hetzner-api.md). Base URL {@code
 * lifeboat.hcloud.url}; the bearer token is added by {@link BearerToken}; every answer's rate-limit
 * headers are read by {@link ResponseObserver}; errors become {@link HcloudException}.
 */
@RegisterRestClient(configKey = "hcloud")
@RegisterClientHeaders(BearerToken.class)
// Names the client to Hetzner (and in hcloud-sim's request log, where benchmarks count our calls).
@ClientHeaderParam(name = "User-Agent", value = HcloudApi.USER_AGENT)
@RegisterProvider(ResponseObserver.class)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface HcloudApi {

  /** The User-Agent of every call. */
  String USER_AGENT = "lifeboat-hcloud-adapter";

  @GET
  @Path("/servers/{id}")
  Uni<HcloudDtos.ServerEnvelope> server(@PathParam("id") long id);

  /** One page of the project's servers. */
  @GET
  @Path("/servers")
  Uni<HcloudDtos.ServerList> servers(
      @QueryParam("page") int page, @QueryParam("per_page") int perPage);

  @GET
  @Path("/volumes/{id}")
  Uni<HcloudDtos.VolumeEnvelope> volume(@PathParam("id") long id);

  /** One page of the project's volumes. */
  @GET
  @Path("/volumes")
  Uni<HcloudDtos.VolumeList> volumes(
      @QueryParam("page") int page, @QueryParam("per_page") int perPage);

  @GET
  @Path("/servers/{id}/actions")
  Uni<HcloudDtos.ActionList> serverActions(
      @PathParam("id") long id, @QueryParam("status") String status);

  @GET
  @Path("/volumes/{id}/actions")
  Uni<HcloudDtos.ActionList> volumeActions(
      @PathParam("id") long id, @QueryParam("status") String status);

  /** The batch poll: at most 25 ids, as hcloud-go sends it. */
  @GET
  @Path("/actions")
  Uni<HcloudDtos.ActionList> actions(
      @QueryParam("id") List<Long> ids, @QueryParam("per_page") int perPage);

  @POST
  @Path("/servers/{id}/actions/poweroff")
  Uni<HcloudDtos.ActionEnvelope> powerOff(@PathParam("id") long id);

  @DELETE
  @Path("/servers/{id}")
  Uni<HcloudDtos.ActionEnvelope> deleteServer(@PathParam("id") long id);

  @POST
  @Path("/volumes/{id}/actions/attach")
  Uni<HcloudDtos.ActionEnvelope> attach(@PathParam("id") long id, HcloudDtos.AttachRequest request);

  @POST
  @Path("/volumes/{id}/actions/detach")
  Uni<HcloudDtos.ActionEnvelope> detach(@PathParam("id") long id, String emptyObject);

  @GET
  @Path("/locations")
  Uni<Response> locations(@QueryParam("per_page") int perPage);

  /** Every error answer becomes an {@link HcloudException} with the API's code and message. */
  @ClientExceptionMapper
  static RuntimeException toException(Response response) {
    return HcloudException.fromResponse(response);
  }
}
