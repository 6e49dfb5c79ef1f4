package dev.lifeboat.clustersim.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.clustersim.domain.Cluster;
import dev.lifeboat.clustersim.kubernetes.Simulation;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * The simulator's own API ({@code /_sim}): the cluster in short (nodes, pods, VolumeAttachments)
 * and the CSI attacher switch.
 */
@Path("/_sim")
@Produces(MediaType.APPLICATION_JSON)
public class SimResource {

  /** A node in short. */
  public record NodeView(
      String name, long serverId, String location, String ready, List<String> taints) {}

  /** A pod in short. */
  public record PodView(
      String namespace,
      String name,
      String node,
      String phase,
      boolean ready,
      List<String> claims) {}

  /** A VolumeAttachment in short. */
  public record AttachmentView(
      String name, String persistentVolume, String node, boolean attached, String error) {}

  /** The cluster in short. */
  public record ClusterView(
      List<NodeView> nodes, List<PodView> pods, List<AttachmentView> attachments) {}

  /** The settings that change at run time. */
  public record Settings(boolean csiAttacher, Duration csiAttacherPause) {}

  private final Simulation simulation;

  SimResource(Simulation simulation) {
    this.simulation = simulation;
  }

  @GET
  @Path("/cluster")
  public ClusterView cluster() {
    Cluster cluster = simulation.cluster();
    return new ClusterView(
        cluster.nodes().stream().map(SimResource::node).toList(),
        cluster.pods().stream().map(SimResource::pod).toList(),
        cluster.attachments().stream()
            .map(
                va ->
                    new AttachmentView(
                        va.getMetadata().getName(),
                        va.getSpec().getSource().getPersistentVolumeName(),
                        va.getSpec().getNodeName(),
                        va.getStatus() != null && Boolean.TRUE.equals(va.getStatus().getAttached()),
                        va.getStatus() == null || va.getStatus().getAttachError() == null
                            ? null
                            : va.getStatus().getAttachError().getMessage()))
            .toList());
  }

  @GET
  @Path("/settings")
  public Settings settings() {
    return new Settings(simulation.attacherEnabled(), simulation.attacherPause());
  }

  /** Changes the settings given: {@code {"csi_attacher": true}}. */
  @PUT
  @Path("/settings")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response change(JsonNode body) {
    if (body == null || !body.isObject()) {
      return invalid("the body must be a JSON object such as {\"csi_attacher\": true}");
    }
    for (var it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!field.equals("csi_attacher") && !field.equals("csi_attacher_pause")) {
        return invalid(field + " is not a setting (settings: csi_attacher, csi_attacher_pause)");
      }
    }
    JsonNode pause = body.get("csi_attacher_pause");
    Duration newPause = null;
    if (pause != null) {
      try {
        newPause = Duration.parse(pause.asText());
      } catch (DateTimeParseException e) {
        return invalid("csi_attacher_pause must be an ISO-8601 duration such as PT3S");
      }
      if (newPause.isNegative()) {
        return invalid("csi_attacher_pause must not be negative");
      }
    }
    JsonNode attacher = body.get("csi_attacher");
    if (attacher != null && !attacher.isBoolean()) {
      return invalid("csi_attacher must be true or false");
    }
    if (newPause != null) {
      simulation.attacherPause(newPause);
    }
    if (attacher != null) {
      simulation.attacherEnabled(attacher.booleanValue());
    }
    return Response.ok(settings()).build();
  }

  /**
   * The Kubernetes API goes away for a while ({@code {"duration": "PT10S"}}, at most 10 minutes):
   * its port closes with every watch on it, and opens again afterwards with every object as it was.
   * 409 while it is down already.
   */
  @POST
  @Path("/api-outage")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response outage(JsonNode body) {
    if (body == null || !body.path("duration").isTextual()) {
      return invalid("the body must be a JSON object such as {\"duration\": \"PT10S\"}");
    }
    Duration length;
    try {
      length = Duration.parse(body.path("duration").asText());
    } catch (DateTimeParseException e) {
      return invalid("duration must be an ISO-8601 duration such as PT10S");
    }
    if (length.isNegative() || length.isZero() || length.compareTo(Duration.ofMinutes(10)) > 0) {
      return invalid("duration must be above zero and at most PT10M");
    }
    try {
      return Response.accepted(Map.of("down_until", simulation.apiOutage(length).toString()))
          .build();
    } catch (IllegalStateException e) {
      return Response.status(409)
          .type(MediaType.APPLICATION_JSON)
          .entity(Map.of("error", Map.of("code", "conflict", "message", e.getMessage())))
          .build();
    }
  }

  private static Response invalid(String message) {
    return Response.status(400)
        .type(MediaType.APPLICATION_JSON)
        .entity(Map.of("error", Map.of("code", "invalid_input", "message", message)))
        .build();
  }

  private static NodeView node(Node node) {
    return new NodeView(
        node.getMetadata().getName(),
        Cluster.serverId(node),
        Cluster.location(node).orElse(null),
        Cluster.readyStatus(node),
        Cluster.taints(node).stream().map(SimResource::taint).toList());
  }

  private static String taint(Taint taint) {
    return taint.getKey()
        + (taint.getValue() == null ? "" : "=" + taint.getValue())
        + ":"
        + taint.getEffect();
  }

  private static PodView pod(Pod pod) {
    return new PodView(
        pod.getMetadata().getNamespace(),
        pod.getMetadata().getName(),
        pod.getSpec().getNodeName(),
        pod.getStatus() == null ? null : pod.getStatus().getPhase(),
        Cluster.ready(pod),
        pod.getSpec().getVolumes() == null
            ? List.of()
            : pod.getSpec().getVolumes().stream()
                .filter(v -> v.getPersistentVolumeClaim() != null)
                .map(v -> v.getPersistentVolumeClaim().getClaimName())
                .toList());
  }
}
