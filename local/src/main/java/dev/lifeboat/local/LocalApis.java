package dev.lifeboat.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The HTTP APIs of a running local stack, for the commands and the end-to-end tests: hcloud-sim
 * ({@code /v1} and {@code /_sim}), cluster-sim, the orchestrator's incidents and the audit
 * service's reports.
 */
public final class LocalApis {

  /** How a node is lost. */
  public enum Mode {
    /** The server dies: off at once, no shutdown (hcloud-sim {@code die}). */
    CRASH,
    /** The OS stops answering; the server stays {@code running}. */
    HANG,
    /** The server is deleted outside Lifeboat. */
    DELETE,
    /** An ACPI shutdown through the Hetzner API; the OS obeys and the server goes off. */
    SHUTDOWN
  }

  /** A server as the Hetzner API shows it. */
  public record Server(long id, String name, String status, String location) {}

  private final Ports ports;
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http =
      // HTTP/1.1: the JDK client's h2c upgrade against the local services was seen to hang a
      // request past its timeout.
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(3))
          .build();

  public LocalApis(Ports ports) {
    this.ports = ports;
  }

  /** hcloud-sim's base URL (without {@code /v1}). */
  public String hcloudSim() {
    return "http://127.0.0.1:" + ports.hcloudSim();
  }

  /** The audit service's base URL. */
  public String audit() {
    return "http://127.0.0.1:" + ports.audit();
  }

  /** The orchestrator's base URL. */
  public String orchestrator() {
    return "http://127.0.0.1:" + ports.orchestrator();
  }

  /** cluster-sim's base URL (health and {@code /_sim}). */
  public String clusterSim() {
    return "http://127.0.0.1:" + ports.clusterSim();
  }

  /** The simulated cluster's Kubernetes API (what {@code kubectl} talks to). */
  public String kubernetes() {
    return "http://127.0.0.1:" + ports.kubernetes();
  }

  /**
   * Sets (or, with a null value, takes off) an annotation of a Node, as {@code kubectl annotate}
   * does: a JSON merge patch of the Node through the Kubernetes API.
   */
  public JsonNode annotateNode(String name, String key, String value) {
    if (value == null) {
      // A JSON patch: the simulated API keeps a merge patch's null as a value.
      com.fasterxml.jackson.databind.node.ArrayNode remove = json.createArrayNode();
      remove
          .addObject()
          .put("op", "remove")
          .put("path", "/metadata/annotations/" + key.replace("~", "~0").replace("/", "~1"));
      return patchNode(name, remove, "application/json-patch+json");
    }
    ObjectNode annotations = json.createObjectNode();
    annotations.put(key, value);
    ObjectNode patch = json.createObjectNode();
    patch.putObject("metadata").set("annotations", annotations);
    return patchNode(name, patch, "application/merge-patch+json");
  }

  /** Cordons or uncordons a Node, as {@code kubectl cordon} and {@code uncordon} do. */
  public JsonNode cordonNode(String name, boolean unschedulable) {
    ObjectNode patch = json.createObjectNode();
    patch.putObject("spec").put("unschedulable", unschedulable);
    return patchNode(name, patch, "application/merge-patch+json");
  }

  /** Creates an object through the Kubernetes API ({@code path} is its collection). */
  public JsonNode createInCluster(String path, String body) {
    return post(kubernetes() + path, body, false);
  }

  /** Deletes an object through the Kubernetes API. */
  public JsonNode kubernetesDelete(String path) {
    return send(HttpRequest.newBuilder(URI.create(kubernetes() + path)).DELETE(), false);
  }

  /** A GET of the Kubernetes API. */
  public JsonNode kubernetesGet(String path) {
    return get(kubernetes() + path, false);
  }

  private JsonNode patchNode(String name, JsonNode patch, String contentType) {
    return send(
        HttpRequest.newBuilder(
                URI.create(
                    kubernetes()
                        + "/api/v1/nodes/"
                        + URLEncoder.encode(name, StandardCharsets.UTF_8)))
            .header("Content-Type", contentType)
            .method("PATCH", HttpRequest.BodyPublishers.ofString(patch.toString())),
        false);
  }

  /** The server of that name, if any. */
  public Optional<Server> server(String name) {
    JsonNode servers =
        get(
                hcloudSim() + "/v1/servers?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8),
                true)
            .path("servers");
    return servers.isEmpty() ? Optional.empty() : Optional.of(server(servers.get(0)));
  }

  /** Every server. */
  public List<Server> servers() {
    List<Server> all = new ArrayList<>();
    get(hcloudSim() + "/v1/servers?per_page=50", true)
        .path("servers")
        .forEach(s -> all.add(server(s)));
    return all;
  }

  /** Loses the node of that name the way asked; returns its server. */
  public Server killNode(String name, Mode mode) {
    Server server =
        server(name)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "no node "
                            + name
                            + " (servers: "
                            + servers().stream().map(Server::name).toList()
                            + ")"));
    kill(server, mode);
    return server;
  }

  /** Loses a server already looked up, without another request to the Hetzner API. */
  public void kill(Server server, Mode mode) {
    switch (mode) {
      case CRASH -> post(hcloudSim() + "/_sim/servers/" + server.id() + "/die", "", false);
      case HANG -> post(hcloudSim() + "/_sim/servers/" + server.id() + "/hang", "", false);
      case DELETE -> post(hcloudSim() + "/_sim/servers/" + server.id() + "/delete", "", false);
      case SHUTDOWN ->
          post(hcloudSim() + "/v1/servers/" + server.id() + "/actions/shutdown", "", true);
    }
  }

  /**
   * A person powers the node's server on through the Hetzner API, as {@code hcloud server poweron}
   * does.
   *
   * @return false while the server is locked by another action (try again), true once started
   */
  public boolean powerOn(String name) {
    Server server = server(name).orElseThrow(() -> new IllegalArgumentException("no node " + name));
    try {
      post(hcloudSim() + "/v1/servers/" + server.id() + "/actions/poweron", "", true);
      return true;
    } catch (IllegalStateException e) {
      if (String.valueOf(e.getMessage()).contains("\"locked\"")) {
        return false;
      }
      throw e;
    }
  }

  /** A hung node's OS answers again. */
  public void recoverNode(String name) {
    recover(server(name).orElseThrow(() -> new IllegalArgumentException("no node " + name)));
  }

  /**
   * A hung server already looked up answers again, through hcloud-sim's own endpoint alone (which
   * the faults injected into the Hetzner API's answers leave alone).
   */
  public void recover(Server server) {
    post(hcloudSim() + "/_sim/servers/" + server.id() + "/recover", "", false);
  }

  /** hcloud-sim's whole state (servers, volumes, every action with its times). */
  public JsonNode hcloudState() {
    return get(hcloudSim() + "/_sim/state", false);
  }

  /**
   * The requests hcloud-sim answered since then for one client (by its User-Agent), from its
   * request log: each with {@code at}, {@code method}, {@code path}, {@code endpoint}, {@code
   * status}.
   */
  public List<JsonNode> hcloudRequestsSince(Instant since, String userAgent) {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode request : get(hcloudSim() + "/_sim/requests", false).path("recent")) {
      if (userAgent.equals(request.path("user_agent").asText())
          && !Instant.parse(request.path("at").asText()).isBefore(since)) {
        found.add(request);
      }
    }
    return found;
  }

  /** Forgets hcloud-sim's request log, so that {@link #hcloudRequests()} holds what comes after. */
  public void clearHcloudRequests() {
    send(HttpRequest.newBuilder(URI.create(hcloudSim() + "/_sim/requests")).DELETE(), false);
  }

  /**
   * Every request hcloud-sim answered since its log was last cleared, of every client; fails if the
   * log kept only the most recent of them.
   */
  public List<JsonNode> hcloudRequests() {
    JsonNode log = get(hcloudSim() + "/_sim/requests", false);
    List<JsonNode> found = new ArrayList<>();
    log.path("recent").forEach(found::add);
    if (log.path("total").asLong() != found.size()) {
      throw new IllegalStateException(
          "hcloud-sim kept the last "
              + found.size()
              + " of "
              + log.path("total").asLong()
              + " requests");
    }
    return found;
  }

  /** The cluster in short, from cluster-sim. */
  public JsonNode cluster() {
    return get(clusterSim() + "/_sim/cluster", false);
  }

  /** Every incident the orchestrator knows, newest first. */
  public JsonNode incidents() {
    return get(orchestrator() + "/api/incidents", false);
  }

  /** The orchestrator's incidents of a node, newest first. */
  public JsonNode incidents(String node) {
    return get(
        orchestrator() + "/api/incidents?node=" + URLEncoder.encode(node, StandardCharsets.UTF_8),
        false);
  }

  /** The audit service's detail of an incident (each volume's steps), if it has it. */
  public Optional<JsonNode> incidentDetail(String incidentId) {
    return getIfFound(audit() + "/api/incidents/" + incidentId);
  }

  /** The audit service's report of an incident, if it has it. */
  public Optional<JsonNode> report(String incidentId) {
    return getIfFound(audit() + "/api/incidents/" + incidentId + "/report");
  }

  /** The audit service's timeline of an incident, if it has it. */
  public Optional<JsonNode> timeline(String incidentId) {
    return getIfFound(audit() + "/api/incidents/" + incidentId + "/timeline");
  }

  /** Sends a JSON body with PUT. */
  public JsonNode put(String url, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body)),
        false);
  }

  /** A GET of a JSON document; fails on an error status. */
  public JsonNode get(String url, boolean token) {
    return send(HttpRequest.newBuilder(URI.create(url)).GET(), token);
  }

  /** Sends a JSON body with POST, without a token; fails on an error status. */
  public JsonNode post(String url, String body) {
    return post(url, body, false);
  }

  /**
   * Sends a JSON body with POST, with the local run's token when asked; fails on an error status.
   */
  public JsonNode post(String url, String body, boolean token) {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)),
        token);
  }

  private Optional<JsonNode> getIfFound(String url) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .header("Accept", "application/json")
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 404) {
        return Optional.empty();
      }
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            url + " answered " + response.statusCode() + ": " + response.body());
      }
      return Optional.of(json.readTree(response.body()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach " + url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private JsonNode send(HttpRequest.Builder request, boolean token) {
    if (token) {
      request.header("Authorization", "Bearer " + Stack.TOKEN);
    }
    HttpRequest built = request.timeout(Duration.ofSeconds(10)).build();
    try {
      HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 300) {
        throw new IllegalStateException(
            built.method()
                + " "
                + built.uri()
                + " answered "
                + response.statusCode()
                + ": "
                + response.body());
      }
      return response.body().isBlank() ? json.createObjectNode() : json.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach " + built.uri() + ": is Lifeboat up?", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Server server(JsonNode s) {
    return new Server(
        s.path("id").asLong(),
        s.path("name").asText(),
        s.path("status").asText(),
        s.path("datacenter").path("location").path("name").asText());
  }
}
