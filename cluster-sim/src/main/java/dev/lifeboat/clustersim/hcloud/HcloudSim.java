package dev.lifeboat.clustersim.hcloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.clustersim.domain.World;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster's two views of hcloud-sim. The machines' view (whether a server runs, whether its OS
 * answers, which volumes its disks see) is the simulator's world state ({@code /_sim/state}); the
 * control-plane components (cloud controller manager, CSI attacher) use the Hetzner API ({@code
 * /v1}) with their own token and User-Agent, as on a real cluster.
 */
public final class HcloudSim {

  /** The User-Agent of every request, so the simulator's request log can tell them apart. */
  public static final String USER_AGENT = "lifeboat-cluster-sim";

  /** Outcome of an attach call: accepted, or the API's error code. */
  public record AttachCall(boolean accepted, int status, String code, String message) {}

  private final URI base;
  private final String token;
  private final HttpClient http;
  private final ObjectMapper json;

  public HcloudSim(String baseUrl, String token, ObjectMapper json) {
    this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    this.token = token;
    this.json = json;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  /** The world as the machines experience it. */
  public World world() throws IOException, InterruptedException {
    JsonNode state = get("_sim/state", false);
    Map<Long, Boolean> hung = new HashMap<>();
    state.path("hung_servers").forEach(id -> hung.put(id.asLong(), true));
    Map<Long, World.Server> servers = new LinkedHashMap<>();
    for (JsonNode s : state.path("servers")) {
      long id = s.path("id").asLong();
      servers.put(
          id,
          new World.Server(
              id,
              s.path("name").asText(),
              s.path("datacenter").path("location").path("name").asText(),
              s.path("status").asText(),
              s.path("server_type").path("name").asText(),
              labels(s.path("labels")),
              hung.getOrDefault(id, false)));
    }
    Map<Long, World.Volume> volumes = new LinkedHashMap<>();
    for (JsonNode v : state.path("volumes")) {
      long id = v.path("id").asLong();
      volumes.put(
          id,
          new World.Volume(
              id,
              v.path("name").asText(),
              v.path("location").path("name").asText(),
              v.path("server").isNumber()
                  ? Optional.of(v.path("server").asLong())
                  : Optional.empty(),
              v.path("size").asInt(),
              v.path("format").isTextual() ? v.path("format").asText() : null,
              labels(v.path("labels"))));
    }
    return new World(servers, volumes);
  }

  /** Every server's status through the API ({@code GET /v1/servers}), as the CCM sees them. */
  public Map<Long, String> serverStatuses() throws IOException, InterruptedException {
    Map<Long, String> statuses = new HashMap<>();
    int page = 1;
    while (page > 0) {
      JsonNode body = get("v1/servers?per_page=50&page=" + page, true);
      body.path("servers")
          .forEach(s -> statuses.put(s.path("id").asLong(), s.path("status").asText()));
      JsonNode next = body.path("meta").path("pagination").path("next_page");
      page = next.isNumber() ? next.asInt() : 0;
    }
    return statuses;
  }

  /** {@code POST /v1/volumes/{id}/actions/attach}, as the CSI driver's ControllerPublish does. */
  public AttachCall attach(long volumeId, long serverId) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            request("v1/volumes/" + volumeId + "/actions/attach", true)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"server\":" + serverId + ",\"automount\":false}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 == 2) {
      return new AttachCall(true, response.statusCode(), null, null);
    }
    JsonNode error = json.readTree(response.body()).path("error");
    return new AttachCall(
        false, response.statusCode(), error.path("code").asText(), error.path("message").asText());
  }

  private JsonNode get(String path, boolean api) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(request(path, api).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + path + " answered " + response.statusCode());
    }
    return json.readTree(response.body());
  }

  private HttpRequest.Builder request(String path, boolean api) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(10))
            .header("User-Agent", USER_AGENT);
    if (api) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  private static Map<String, String> labels(JsonNode node) {
    Map<String, String> labels = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }
}
