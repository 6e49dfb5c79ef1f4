package dev.lifeboat.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.hcloud.AttachVolume;
import dev.lifeboat.events.hcloud.DeleteServer;
import dev.lifeboat.events.hcloud.DetachVolume;
import dev.lifeboat.events.hcloud.HcloudCommand;
import dev.lifeboat.events.hcloud.HcloudResult;
import dev.lifeboat.events.hcloud.ObserveServer;
import dev.lifeboat.events.hcloud.PowerOffServer;
import dev.lifeboat.testkit.HcloudSimProcess;
import dev.lifeboat.testkit.LifeboatTopics;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Commands, results and the simulator's request log, for the adapter's tests. */
final class AdapterTestSupport {

  static final ObjectMapper JSON = new ObjectMapper();

  private AdapterTestSupport() {}

  static PowerOffServer powerOff(long server) {
    return new PowerOffServer(
        MessageIds.random(), incident(), Instant.now(), MessageIds.random(), server);
  }

  static DeleteServer delete(long server) {
    return new DeleteServer(
        MessageIds.random(), incident(), Instant.now(), MessageIds.random(), server);
  }

  static DetachVolume detach(long volume, long expectedServer) {
    return new DetachVolume(
        MessageIds.random(),
        incident(),
        Instant.now(),
        MessageIds.random(),
        volume,
        expectedServer);
  }

  static AttachVolume attach(long volume, long server) {
    return new AttachVolume(
        MessageIds.random(), incident(), Instant.now(), MessageIds.random(), volume, server);
  }

  static ObserveServer observe(long server) {
    return new ObserveServer(
        MessageIds.random(), incident(), Instant.now(), MessageIds.random(), server, null);
  }

  /** Sends the command and waits for its result. */
  static HcloudResult run(LifeboatTopics topics, HcloudCommand command) {
    topics.send(command);
    return result(topics, command);
  }

  /** Waits for the result of a command already sent. */
  static HcloudResult result(LifeboatTopics topics, HcloudCommand command) {
    return topics.awaitMessage(
        Topic.HCLOUD_RESULTS, HcloudResult.class, r -> r.commandId().equals(command.commandId()));
  }

  /** The simulator's request log: every request, in order, as "METHOD path status". */
  static List<String> requests() {
    JsonNode log = read(HcloudSimProcess.shared().send("GET", "/_sim/requests", ""));
    List<String> lines = new ArrayList<>();
    log.get("recent")
        .forEach(
            e ->
                lines.add(
                    e.get("method").asText()
                        + " "
                        + e.get("path").asText()
                        + " "
                        + e.get("status").asInt()));
    return lines;
  }

  /** Requests that could change something (POST, DELETE). */
  static List<String> mutatingRequests() {
    return requests().stream().filter(r -> r.startsWith("POST") || r.startsWith("DELETE")).toList();
  }

  /** The simulator's whole state. */
  /** A server as hcloud-sim's state shows it. */
  static JsonNode server(long id) {
    for (JsonNode server : state().get("servers")) {
      if (server.get("id").asLong() == id) {
        return server;
      }
    }
    throw new AssertionError("no server " + id);
  }

  /** A volume as hcloud-sim's state shows it. */
  static JsonNode volume(long id) {
    for (JsonNode volume : state().get("volumes")) {
      if (volume.get("id").asLong() == id) {
        return volume;
      }
    }
    throw new AssertionError("no volume " + id);
  }

  /** The server goes off at once, as a fenced (or crashed) server is: detaches may go ahead. */
  static void fenced(long serverId) {
    HcloudSimProcess.shared().send("POST", "/_sim/servers/" + serverId + "/die", "");
  }

  /**
   * A person powers the server on through the API, as with the hcloud CLI; the start action takes
   * this long (the simulator's reset before the next test restores its durations).
   */
  static void poweredOnByAPerson(long serverId, String startTakes) {
    HcloudSimProcess.shared()
        .send(
            "PUT", "/_sim/settings", "{\"durations\": {\"start_server\": \"" + startTakes + "\"}}");
    read(
        io.restassured.RestAssured.given()
            .baseUri(HcloudSimProcess.shared().apiUrl())
            .header("Authorization", "Bearer test-token")
            .post("/servers/" + serverId + "/actions/poweron")
            .then()
            .statusCode(201)
            .extract()
            .asString());
  }

  static JsonNode state() {
    return read(HcloudSimProcess.shared().send("GET", "/_sim/state", ""));
  }

  /** A lost server (6001) with this many volumes from the first id on, and a spare (6002). */
  static List<Long> lostServerWith(long first, int count) {
    StringBuilder world =
        new StringBuilder(
            "locations: [fsn1]\nservers:\n"
                + "  - {id: 6001, name: lost, location: fsn1, server_type: cpx31}\n"
                + "  - {id: 6002, name: spare, location: fsn1, server_type: cpx31}\n"
                + "volumes:\n");
    List<Long> volumes = new ArrayList<>();
    for (long id = first; id < first + count; id++) {
      volumes.add(id);
      world.append("  - {id: ").append(id).append(", name: v-").append(id);
      world.append(", location: fsn1, size: 10, server: lost}\n");
    }
    HcloudSimProcess.shared().reset(world.toString());
    return volumes;
  }

  /** The simulator's request log, in order, each entry with its method, path, status and time. */
  static List<JsonNode> requestLog() {
    List<JsonNode> log = new ArrayList<>();
    read(HcloudSimProcess.shared().send("GET", "/_sim/requests", ""))
        .get("recent")
        .forEach(log::add);
    return log;
  }

  /**
   * The fence proof: every detach in the log went out within {@code age} of a read of a server
   * (from the log's first such read on: one before it is no longer in the log).
   */
  static void assertEveryDetachWentOutWithin(Duration age, List<JsonNode> log) {
    Instant lastRead = null;
    int checked = 0;
    for (JsonNode entry : log) {
      String line = entry.get("method").asText() + " " + entry.get("path").asText();
      Instant at = Instant.parse(entry.get("at").asText());
      if (line.startsWith("GET /v1/servers")) {
        lastRead = at;
      } else if (line.endsWith("/detach") && lastRead != null) {
        assertThat(Duration.between(lastRead, at)).as(line).isLessThanOrEqualTo(age);
        checked++;
      }
    }
    assertThat(checked).as("detaches after a read").isPositive();
  }

  static void clearLog() {
    HcloudSimProcess.shared().send("DELETE", "/_sim/requests", "");
  }

  static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String incident() {
    return "adapter-test-" + MessageIds.random();
  }
}
