package dev.lifeboat.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A Hetzner action as hcloud-sim's state shows it, with the volume and server it touched (0 for
 * none); read by the safety rules and the benchmark.
 *
 * @param finished null while it runs
 */
record SimAction(
    String command, String status, Instant started, Instant finished, long volume, long server) {

  /** Every action of hcloud-sim's state ({@code GET /_sim/state}). */
  static List<SimAction> all(JsonNode state) {
    List<SimAction> actions = new ArrayList<>();
    for (JsonNode a : state.path("actions")) {
      long volume = 0;
      long server = 0;
      for (JsonNode r : a.path("resources")) {
        if (r.path("type").asText().equals("volume")) {
          volume = r.path("id").asLong();
        } else if (r.path("type").asText().equals("server")) {
          server = r.path("id").asLong();
        }
      }
      actions.add(
          new SimAction(
              a.path("command").asText(),
              a.path("status").asText(),
              Instant.parse(a.path("started").asText()),
              a.path("finished").isTextual() ? Instant.parse(a.path("finished").asText()) : null,
              volume,
              server));
    }
    return actions;
  }

  boolean succeeded() {
    return status.equals("success");
  }
}
