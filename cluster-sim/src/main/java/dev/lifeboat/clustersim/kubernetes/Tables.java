package dev.lifeboat.clustersim.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Server-side printing, as an API server does it for kubectl: a list or get of nodes or pods asked
 * for {@code as=Table} answers a {@code meta.k8s.io/v1} Table with kubectl's usual columns (nodes:
 * NAME, STATUS, ROLES, AGE, VERSION; pods: NAME, READY, STATUS, RESTARTS, AGE, and NODE with {@code
 * -o wide}). Other kinds are left to kubectl's own printing.
 */
final class Tables {

  private static final Pattern NODES = Pattern.compile("^/api/v1/nodes(/[^/]+)?$");
  private static final Pattern PODS =
      Pattern.compile("^/api/v1/(namespaces/[^/]+/)?pods(/[^/]+)?$");

  private final ObjectMapper json = new ObjectMapper();

  /** Whether a request of this path and Accept header gets a Table from here. */
  static boolean wanted(String path, String query, String accept) {
    return accept != null
        && accept.contains("as=Table")
        && (query == null || !query.contains("watch=true"))
        && (NODES.matcher(path).matches() || PODS.matcher(path).matches());
  }

  /** The Table of a list or object body of that path; empty if the body is not one. */
  Optional<String> table(String path, String body, Instant now) {
    JsonNode read;
    try {
      read = json.readTree(body);
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
    List<JsonNode> items = new ArrayList<>();
    if (read.has("items")) {
      read.path("items").forEach(items::add);
    } else if (read.has("metadata")) {
      items.add(read);
    } else {
      return Optional.empty();
    }
    boolean nodes = NODES.matcher(path).matches();
    ObjectNode table = json.createObjectNode();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    table
        .putObject("metadata")
        .put("resourceVersion", read.path("metadata").path("resourceVersion").asText(""));
    ArrayNode columns = table.putArray("columnDefinitions");
    if (nodes) {
      column(columns, "Name", "name", 0);
      column(columns, "Status", "", 0);
      column(columns, "Roles", "", 0);
      column(columns, "Age", "", 0);
      column(columns, "Version", "", 0);
    } else {
      column(columns, "Name", "name", 0);
      column(columns, "Ready", "", 0);
      column(columns, "Status", "", 0);
      column(columns, "Restarts", "", 0);
      column(columns, "Age", "", 0);
      column(columns, "Node", "", 1);
    }
    ArrayNode rows = table.putArray("rows");
    for (JsonNode item : items) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      String age = age(item.path("metadata").path("creationTimestamp").asText(null), now);
      if (nodes) {
        cells.add(item.path("metadata").path("name").asText());
        cells.add(nodeStatus(item));
        cells.add(roles(item));
        cells.add(age);
        cells.add(item.path("status").path("nodeInfo").path("kubeletVersion").asText(""));
      } else {
        JsonNode containers = item.path("status").path("containerStatuses");
        long ready = 0;
        long restarts = 0;
        for (JsonNode c : containers) {
          ready += c.path("ready").asBoolean() ? 1 : 0;
          restarts += c.path("restartCount").asLong();
        }
        cells.add(item.path("metadata").path("name").asText());
        cells.add(ready + "/" + item.path("spec").path("containers").size());
        cells.add(podStatus(item));
        cells.add(restarts);
        cells.add(age);
        cells.add(item.path("spec").path("nodeName").asText("<none>"));
      }
      ObjectNode object = row.putObject("object");
      object.put("kind", "PartialObjectMetadata");
      object.put("apiVersion", "meta.k8s.io/v1");
      object.set("metadata", item.path("metadata"));
    }
    return Optional.of(table.toString());
  }

  private static void column(ArrayNode columns, String name, String format, int priority) {
    columns
        .addObject()
        .put("name", name)
        .put("type", "string")
        .put("format", format)
        .put("description", "")
        .put("priority", priority);
  }

  private static String nodeStatus(JsonNode node) {
    String ready = "Unknown";
    for (JsonNode c : node.path("status").path("conditions")) {
      if (c.path("type").asText().equals("Ready")) {
        ready = c.path("status").asText();
      }
    }
    String status = ready.equals("True") ? "Ready" : "NotReady";
    return node.path("spec").path("unschedulable").asBoolean()
        ? status + ",SchedulingDisabled"
        : status;
  }

  private static String roles(JsonNode node) {
    List<String> roles = new ArrayList<>();
    node.path("metadata")
        .path("labels")
        .fieldNames()
        .forEachRemaining(
            label -> {
              if (label.startsWith("node-role.kubernetes.io/")) {
                roles.add(label.substring("node-role.kubernetes.io/".length()));
              }
            });
    return roles.isEmpty() ? "<none>" : String.join(",", roles);
  }

  private static String podStatus(JsonNode pod) {
    if (pod.path("metadata").hasNonNull("deletionTimestamp")) {
      return "Terminating";
    }
    for (JsonNode c : pod.path("status").path("containerStatuses")) {
      String waiting = c.path("state").path("waiting").path("reason").asText("");
      if (!waiting.isEmpty()) {
        return waiting;
      }
    }
    return pod.path("status").path("phase").asText("Pending");
  }

  /** An age as kubectl prints it: 45s, 12m, 3h, 2d. */
  static String age(String created, Instant now) {
    if (created == null) {
      return "<unknown>";
    }
    Duration age = Duration.between(Instant.parse(created), now);
    if (age.toSeconds() < 120) {
      return Math.max(0, age.toSeconds()) + "s";
    }
    if (age.toMinutes() < 120) {
      return age.toMinutes() + "m";
    }
    if (age.toHours() < 48) {
      return age.toHours() + "h";
    }
    return age.toDays() + "d";
  }
}
