package dev.lifeboat.orchestrator.api;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.control.AbortIncident;
import dev.lifeboat.events.control.CancelIncident;
import dev.lifeboat.events.control.ControlRequest;
import dev.lifeboat.events.control.PauseCommands;
import dev.lifeboat.events.control.ResumeCommands;
import dev.lifeboat.events.control.ResumeIncident;
import dev.lifeboat.events.control.RetryVolume;
import dev.lifeboat.events.inventory.NodeInventory;
import dev.lifeboat.events.node.EligibleNode;
import dev.lifeboat.events.node.GoneReason;
import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.node.NodeRef;
import dev.lifeboat.events.node.ServerDisposal;
import dev.lifeboat.orchestrator.domain.Control;
import dev.lifeboat.orchestrator.domain.Drill;
import dev.lifeboat.orchestrator.domain.IncidentKind;
import dev.lifeboat.orchestrator.domain.IncidentState;
import dev.lifeboat.orchestrator.messaging.ControlRequests;
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
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The orchestrator's API: incidents with their state, a person's requests (which become messages on
 * the control topic), and the drill.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class IncidentResource {

  private static final TypeReference<List<IncidentView>> VIEWS = new TypeReference<>() {};
  private static final TypeReference<IncidentView> VIEW = new TypeReference<>() {};

  private final IncidentDirectory directory;
  private final ControlRequests control;
  private final Drill drill;
  private final LiveNodes nodes;
  private final Clock clock;

  IncidentResource(
      IncidentDirectory directory,
      ControlRequests control,
      Drill drill,
      LiveNodes nodes,
      Clock clock) {
    this.directory = directory;
    this.control = control;
    this.drill = drill;
    this.nodes = nodes;
    this.clock = clock;
  }

  /**
   * A person's words with a request.
   *
   * @param requestedBy who asks (defaults to {@code api})
   * @param reason why
   */
  public record Request(String requestedBy, String reason) {}

  /**
   * The answer to an accepted request.
   *
   * @param requestId the id of the control message
   * @param incidentId the incident it concerns
   */
  public record Accepted(String requestId, String incidentId) {}

  /**
   * An inventory to drill, as node-watcher would report it.
   *
   * @param node the node
   * @param volumes its volumes
   * @param eligibleNodes healthy nodes by location
   * @param nodeLabels the node's labels
   */
  public record DrillRequest(
      NodeRef node,
      List<HeldVolume> volumes,
      Map<String, List<EligibleNode>> eligibleNodes,
      Map<String, String> nodeLabels) {}

  @GET
  @Path("/incidents")
  public List<IncidentView> list(
      @QueryParam("status") String status,
      @QueryParam("node") String node,
      @QueryParam("scope") @DefaultValue("all") String scope) {
    List<IncidentView> views = new ArrayList<>();
    directory.allLocal().forEach(state -> views.add(IncidentView.of(state)));
    if (!"local".equals(scope)) {
      for (HostInfo other : directory.otherInstances()) {
        List<IncidentView> remote = directory.fetch(other, "/api/incidents?scope=local", VIEWS);
        if (remote != null) {
          views.addAll(remote);
        }
      }
    }
    return views.stream()
        .filter(view -> status == null || view.status().equalsIgnoreCase(status))
        .filter(view -> node == null || view.node().equals(node))
        .sorted(Comparator.comparing(IncidentView::openedAt).reversed())
        .toList();
  }

  @GET
  @Path("/incidents/{id}")
  public IncidentView get(@PathParam("id") String id) {
    return find(id)
        .orElseThrow(
            () -> ApiError.of(Status.NOT_FOUND, "not_found", "no incident " + id + " is known"));
  }

  @POST
  @Mutating
  @Path("/incidents/{id}/resume")
  public Response resume(@PathParam("id") String id, Request body) {
    String who = requestedBy(body);
    refuseIf(get(id), Control.Kind.RESUME);
    return accepted(
        new ResumeIncident(MessageIds.random(), id, clock.instant(), who, reason(body)));
  }

  @POST
  @Mutating
  @Path("/incidents/{id}/cancel")
  public Response cancel(@PathParam("id") String id, Request body) {
    String who = requestedBy(body);
    refuseIf(get(id), Control.Kind.CANCEL);
    return accepted(
        new CancelIncident(MessageIds.random(), id, clock.instant(), who, reason(body)));
  }

  @POST
  @Mutating
  @Path("/incidents/{id}/abort")
  public Response abort(@PathParam("id") String id, Request body) {
    String who = requestedBy(body);
    refuseIf(get(id), Control.Kind.ABORT);
    return accepted(new AbortIncident(MessageIds.random(), id, clock.instant(), who, reason(body)));
  }

  @POST
  @Mutating
  @Path("/incidents/{id}/volumes/{volumeId}/retry")
  public Response retry(
      @PathParam("id") String id, @PathParam("volumeId") long volumeId, Request body) {
    String who = requestedBy(body);
    IncidentView view = get(id);
    IncidentView.VolumeView volume =
        view.volumes().stream()
            .filter(v -> v.volumeId() == volumeId)
            .findFirst()
            .orElseThrow(
                () ->
                    ApiError.of(
                        Status.NOT_FOUND,
                        "not_found",
                        "incident " + id + " has no volume " + volumeId));
    if (volume.retryRefused() != null) {
      throw ApiError.of(Status.CONFLICT, "conflict", volume.retryRefused());
    }
    return accepted(
        new RetryVolume(MessageIds.random(), id, clock.instant(), who, volumeId, reason(body)));
  }

  @POST
  @Mutating
  @Path("/maintenance/pause")
  public Response pause(Request body) {
    String who = requestedBy(body);
    return broadcast(
        new PauseCommands(
            MessageIds.random(), PauseCommands.MAINTENANCE, clock.instant(), who, reason(body)));
  }

  @POST
  @Mutating
  @Path("/maintenance/resume")
  public Response resumeAll(Request body) {
    String who = requestedBy(body);
    return broadcast(
        new ResumeCommands(
            MessageIds.random(), PauseCommands.MAINTENANCE, clock.instant(), who, reason(body)));
  }

  @GET
  @Path("/maintenance")
  public IncidentDirectory.Maintenance maintenance() {
    return directory.maintenance();
  }

  /**
   * The drill of a node: what a loss of it would do now ({@code as=loss}, the default), from its
   * live inventory, or from the newest incident's for a node that is gone; or what removing it on
   * purpose would do ({@code as=removal}, the server then {@code then=delete|poweroff|keep}), from
   * its live inventory, answered as a removal request would be (404 unknown, 409 excluded). Nothing
   * is sent.
   */
  @GET
  @Path("/drill/{node}")
  public Drill.Plan drillNode(
      @PathParam("node") String node,
      @QueryParam("as") @DefaultValue("loss") String as,
      @QueryParam("then") String then) {
    if (as.equals(IncidentKind.REMOVAL.word())) {
      ServerDisposal disposal = LiveNodes.then(then);
      NodeInventory live = nodes.removable(node);
      return drill.planRemoval(nodes.asOfNow(live, GoneReason.REMOVAL_REQUESTED), disposal);
    }
    if (!as.equals(IncidentKind.LOSS.word())) {
      throw ApiError.of(
          Status.BAD_REQUEST, "invalid_input", "as must be loss or removal, was " + as);
    }
    if (then != null) {
      throw ApiError.of(
          Status.BAD_REQUEST, "invalid_input", "then is a removal's: ask with as=removal");
    }
    Optional<NodeInventory> live = nodes.find(node);
    if (live.isPresent()) {
      return drill.plan(nodes.asOfNow(live.get(), GoneReason.LEASE_EXPIRED));
    }
    IncidentView newest =
        list(null, node, "all").stream()
            .findFirst()
            .orElseThrow(
                () ->
                    ApiError.of(
                        Status.NOT_FOUND,
                        "not_found",
                        "no inventory of node " + node + " is known; POST one to /api/drill"));
    IncidentState state =
        directory
            .local(newest.incidentId())
            .orElseThrow(
                () ->
                    ApiError.of(
                        Status.CONFLICT,
                        "elsewhere",
                        "the inventory is kept by another instance; ask it"));
    return drill.plan(state.inventory());
  }

  @POST
  @Path("/drill")
  public Drill.Plan drillInventory(DrillRequest request) {
    if (request == null || request.node() == null) {
      throw ApiError.of(Status.BAD_REQUEST, "invalid_input", "node is required");
    }
    try {
      return drill.plan(
          new NodeGone(
              MessageIds.random(),
              "drill",
              clock.instant(),
              request.node(),
              GoneReason.LEASE_EXPIRED,
              request.volumes(),
              request.eligibleNodes(),
              request.nodeLabels(),
              0));
    } catch (IllegalArgumentException e) {
      throw ApiError.of(Status.BAD_REQUEST, "invalid_input", e.getMessage());
    }
  }

  private Optional<IncidentView> find(String id) {
    Optional<IncidentState> local = directory.local(id);
    if (local.isPresent()) {
      return local.map(IncidentView::of);
    }
    return directory
        .remoteOwner(id)
        .map(owner -> directory.fetch(owner, "/api/incidents/" + id, VIEW));
  }

  private Response broadcast(ControlRequest request) {
    control.broadcast(request);
    return Response.accepted(new Accepted(request.messageId(), request.incidentId())).build();
  }

  private Response accepted(ControlRequest request) {
    control.send(request);
    return Response.accepted(new Accepted(request.messageId(), request.incidentId())).build();
  }

  /** Refuses with 409 what the saga would refuse: its own rule, as the view carries it. */
  static void refuseIf(IncidentView view, Control.Kind kind) {
    String refused = view.refused().get(kind.name());
    if (refused != null) {
      throw ApiError.of(Status.CONFLICT, "conflict", refused);
    }
  }

  /** Who asks (the token was checked by {@link dev.lifeboat.service.api.ApiAccess}). */
  private static String requestedBy(Request body) {
    return body == null || body.requestedBy() == null || body.requestedBy().isBlank()
        ? "api"
        : body.requestedBy();
  }

  private static String reason(Request body) {
    return body == null ? null : body.reason();
  }
}
