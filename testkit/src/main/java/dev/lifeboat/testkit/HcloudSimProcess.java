package dev.lifeboat.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Hetzner simulator ({@code hcloud-sim}) as a separate process, for tests of services that call
 * the Hetzner API: the packaged jar the reactor built before them, on a free port, once per test
 * JVM, with quick actions. Its own API ({@code /_sim}) is how tests set faults and read the request
 * log.
 */
public final class HcloudSimProcess {

  /** How long each simulated action runs in tests. */
  public static final Duration ACTION = Duration.ofMillis(300);

  /** A token of another project: it authenticates, but reads an empty project. */
  public static final String OTHER_PROJECT_TOKEN = "other-project-token";

  /** A read-only token of the project: it reads, and every mutating request is refused (403). */
  public static final String READ_ONLY_TOKEN = "read-only-token";

  private static HcloudSimProcess shared;

  private final Process process;
  private final String baseUrl;

  private HcloudSimProcess(Process process, String baseUrl) {
    this.process = process;
    this.baseUrl = baseUrl;
  }

  /** The simulator of this test JVM, started on first use and stopped when the JVM exits. */
  public static synchronized HcloudSimProcess shared() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared.process::destroy, "hcloud-sim-stop"));
    }
    return shared;
  }

  /** {@code http://127.0.0.1:PORT}: the simulator's own API is under {@code /_sim}. */
  public String baseUrl() {
    return baseUrl;
  }

  /** {@code http://127.0.0.1:PORT/v1}: what a Hetzner client is pointed at. */
  public String apiUrl() {
    return baseUrl + "/v1";
  }

  /** Back to the demo scenario (or the given one), no faults, test settings, empty log. */
  public void reset(String scenario) {
    send("DELETE", "/_sim/faults", "");
    send("PUT", "/_sim/settings", settings(ACTION, 3600, 1, true));
    send("POST", "/_sim/reset", scenario == null ? "" : scenario);
  }

  /** Sends a request to the simulator's own API and returns the body; fails on an error status. */
  public String send(String method, String path, String body) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", body.startsWith("{") ? "application/json" : "text/plain")
            .timeout(Duration.ofSeconds(30))
            .build();
    try {
      HttpResponse<String> response =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .build()
              .send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 400) {
        throw new IllegalStateException(
            method + " " + path + " answered " + response.statusCode() + ": " + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A settings body for {@code PUT /_sim/settings}. */
  public static String settings(
      Duration actions, int capacity, double refillPerSecond, boolean limited) {
    String d = "\"" + actions + "\"";
    return "{\"durations\": {\"attach_volume\": "
        + d
        + ", \"detach_volume\": "
        + d
        + ", \"stop_server\": "
        + d
        + ", \"shutdown_server\": "
        + d
        + ", \"start_server\": "
        + d
        + ", \"delete_server\": "
        + d
        + "},"
        + " \"rate_limit\": {\"enabled\": "
        + limited
        + ", \"capacity\": "
        + capacity
        + ", \"refill_per_second\": "
        + refillPerSecond
        + "}}";
  }

  private static HcloudSimProcess start() {
    int port = JarProcess.freePort();
    List<String> properties = new ArrayList<>();
    properties.add("quarkus.log.level=WARN");
    properties.add("hcloud-sim.other-project-tokens=" + OTHER_PROJECT_TOKEN);
    properties.add("hcloud-sim.read-only-tokens=" + READ_ONLY_TOKEN);
    for (String key : List.of("poweroff", "shutdown", "poweron", "delete", "detach", "attach")) {
      properties.add("hcloud-sim.durations." + key + "=" + ACTION.toMillis() + "ms");
    }
    try {
      Path log = Files.createTempFile(Path.of("target"), "hcloud-sim-", ".log");
      Process process = JarProcess.start(JarProcess.ofModule("hcloud-sim"), port, properties, log);
      return new HcloudSimProcess(process, "http://127.0.0.1:" + port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the simulator's log under target/", e);
    }
  }

  /** A Quarkus test resource pointing {@code lifeboat.hcloud.url} at the shared simulator. */
  public static class Resource
      implements io.quarkus.test.common.QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
      return Map.of(
          "lifeboat.hcloud.url", shared().apiUrl(), "lifeboat.hcloud.token", "test-token");
    }

    @Override
    public void stop() {
      // The simulator serves every test of this JVM; it stops with the JVM.
    }
  }
}
