package dev.lifeboat.orchestrator.api;

import dev.lifeboat.events.IncidentId;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.control.CancelIncident;
import dev.lifeboat.events.inventory.NodeInventory;
import dev.lifeboat.events.node.RemovalRequested;
import dev.lifeboat.events.node.ServerDisposal;
import dev.lifeboat.orchestrator.domain.Control;
import dev.lifeboat.orchestrator.domain.IncidentKind;
import dev.lifeboat.orchestrator.messaging.ControlRequests;
import dev.lifeboat.service.api.ApiError;
import dev.lifeboat.service.api.Mutating;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import java.time.Clock;
import java.util.List;

/**
 * Planned removals through the API: ask for one ({@code POST /api/removals}), list them, cancel one
 * ({@code DELETE /api/removals/{id}}). A request is answered at once from the node's inventory as
 * node-watcher last reported it: 404 for a node it does not know, 409 for one Lifeboat leaves alone
 * or one already being removed or lost; otherwise 202 with the removal's id, and the removal runs
 * as the annotation's would (its PRE_FLIGHT may still refuse it, on the timeline).
 */
@Path("/api/removals")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RemovalResource {

  private static final String REMOVAL = IncidentKind.REMOVAL.word();

  private final IncidentResource incidents;
  private final LiveNodes nodes;
  private final ControlRequests requests;
  private final Clock clock;

  RemovalResource(
      IncidentResource incidents, LiveNodes nodes, ControlRequests requests, Clock clock) {
    this.incidents = incidents;
    this.nodes = nodes;
    this.requests = requests;
    this.clock = clock;
  }

  /**
   * A removal asked for.
   *
   * @param node the node's name
   * @param then {@code delete} (default), {@code poweroff} or {@code keep}
   * @param requestedBy who asks (defaults to {@code api})
   */
  public record RemovalRequest(String node, String then, String requestedBy) {}

  /**
   * A removal accepted.
   *
   * @param removalId its id: {@code GET /api/removals/{id}} follows it
   * @param node the node
   * @param then what becomes of its server
   * @param requestId the id of the request's message
   */
  public record Accepted(String removalId, String node, String then, String requestId) {}

  @POST
  @Mutating
  public Response request(RemovalRequest body) {
    if (body == null || body.node() == null || body.node().isBlank()) {
      throw ApiError.of(Status.BAD_REQUEST, "invalid_input", "node is required");
    }
    String node = body.node().trim();
    ServerDisposal then = LiveNodes.then(body.then());
    NodeInventory inventory = nodes.removable(node);
    for (IncidentView running : incidents.list(null, node, "all")) {
      if (running.status().equals("RUNNING") || running.status().equals("HELD")) {
        throw ApiError.of(
            Status.CONFLICT,
            "conflict",
            "node "
                + node
                + " is already "
                + (running.kind().equals(REMOVAL) ? "being removed" : "lost")
                + ": "
                + running.kind()
                + " "
                + running.incidentId()
                + " is "
                + running.status());
      }
    }
    String who =
        body.requestedBy() == null || body.requestedBy().isBlank() ? "api" : body.requestedBy();
    String removalId = IncidentId.forRemoval(node, inventory.node().uid());
    RemovalRequested request =
        new RemovalRequested(
            MessageIds.random(),
            removalId,
            clock.instant(),
            inventory.node(),
            then,
            who,
            inventory.volumes(),
            inventory.eligibleNodes(),
            inventory.nodeLabels(),
            inventory.knownNodes());
    requests.askRemoval(request);
    return Response.accepted(new Accepted(removalId, node, then.word(), request.messageId()))
        .build();
  }

  @GET
  public List<IncidentView> list() {
    return incidents.list(null, null, "all").stream()
        .filter(view -> view.kind().equals(REMOVAL))
        .toList();
  }

  @GET
  @Path("/{id}")
  public IncidentView get(@PathParam("id") String id) {
    IncidentView view = incidents.get(id);
    if (!view.kind().equals(REMOVAL)) {
      throw ApiError.of(
          Status.NOT_FOUND, "not_found", id + " is an incident, not a removal: see /api/incidents");
    }
    return view;
  }

  @DELETE
  @Mutating
  @Path("/{id}")
  public Response cancel(@PathParam("id") String id) {
    IncidentView view = get(id);
    IncidentResource.refuseIf(view, Control.Kind.CANCEL);
    CancelIncident cancel =
        new CancelIncident(MessageIds.random(), id, clock.instant(), "api", "removal cancelled");
    requests.send(cancel);
    return Response.accepted(new IncidentResource.Accepted(cancel.messageId(), cancel.incidentId()))
        .build();
  }
}
