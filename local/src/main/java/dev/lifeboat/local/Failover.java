package dev.lifeboat.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A node lost on purpose and followed to the end of its incident: what it held, each volume's
 * progress as it changes, and the figures of the outcome (times from the kill, Hetzner requests
 * Lifeboat made). {@code ./lifeboat demo} prints it; the end-to-end tests assert on it.
 */
public final class Failover {

  /** States an incident ends in. */
  public static final Set<String> TERMINAL = Set.of("COMPLETED", "PARTIAL", "CANCELLED");

  /** The User-Agent of the adapter's calls in hcloud-sim's request log. */
  public static final String ADAPTER_AGENT = "lifeboat-hcloud-adapter";

  /**
   * What happened.
   *
   * @param server the lost node's server
   * @param killedAt when it was lost
   * @param incident the orchestrator's view of the incident at its end
   * @param report the audit service's report of it
   * @param adapterRequests Hetzner API requests the adapter made since the kill
   */
  public record Outcome(
      LocalApis.Server server,
      Instant killedAt,
      JsonNode incident,
      JsonNode report,
      long adapterRequests) {

    public String incidentId() {
      return incident.path("incidentId").asText();
    }

    public String status() {
      return incident.path("status").asText();
    }

    public int volumesMoved() {
      return report.path("volumesMoved").asInt();
    }

    public int volumesTotal() {
      return report.path("volumesTotal").asInt();
    }

    /** From the kill to the node declared gone. */
    public Optional<Duration> toDetection() {
      return time(report.path("detectedAt")).map(at -> Duration.between(killedAt, at));
    }

    /** From the kill to the fence's success. */
    public Optional<Duration> toFence() {
      return afterDetection("toFenceMillis");
    }

    /** From the kill to the last replacement pod Ready. */
    public Optional<Duration> toLastPodReady() {
      return afterDetection("toLastPodReadyMillis");
    }

    private Optional<Duration> afterDetection(String field) {
      JsonNode millis = report.path(field);
      return millis.isNumber()
          ? toDetection().map(d -> d.plusMillis(millis.asLong()))
          : Optional.empty();
    }

    private static Optional<Instant> time(JsonNode node) {
      return node.isTextual() ? Optional.of(Instant.parse(node.asText())) : Optional.empty();
    }
  }

  private final LocalApis apis;
  private final Consumer<String> out;

  public Failover(LocalApis apis, Consumer<String> out) {
    this.apis = apis;
    this.out = out;
  }

  /**
   * Loses the node, follows its incident until it ends (or the limit passes) and returns the
   * outcome once the audit service has the incident's end too.
   */
  public Outcome run(String node, LocalApis.Mode mode, Duration limit) {
    Instant killedAt = Instant.now();
    LocalApis.Server server = apis.killNode(node, mode);
    out.accept(
        String.format(
            "%s  lost %s (%s): server %d in %s",
            clock(killedAt, killedAt),
            node,
            mode.name().toLowerCase(),
            server.id(),
            server.location()));
    Instant deadline = killedAt.plus(limit);
    Map<String, String> shown = new HashMap<>();
    JsonNode incident = null;
    while (Instant.now().isBefore(deadline)) {
      try {
        incident = newest(apis.incidents(node), killedAt);
      } catch (RuntimeException e) {
        // The orchestrator is rebalancing or restarting: look again.
        out.accept(clock(killedAt, Instant.now()) + "  (orchestrator: " + e.getMessage() + ")");
        pause();
        continue;
      }
      if (incident != null) {
        show(incident, shown, killedAt);
        if (TERMINAL.contains(incident.path("status").asText())) {
          break;
        }
      }
      pause();
    }
    if (incident == null || !TERMINAL.contains(incident.path("status").asText())) {
      throw new IllegalStateException(
          "the incident of "
              + node
              + (incident == null
                  ? " was not opened"
                  : " did not end (" + incident.path("status").asText() + ")")
              + " within "
              + limit.toSeconds()
              + " s: see .lifeboat/logs/");
    }
    JsonNode report = endReport(apis, incident, Duration.ofSeconds(60));
    return new Outcome(
        server,
        killedAt,
        incident,
        report,
        apis.hcloudRequestsSince(killedAt, ADAPTER_AGENT).size());
  }

  /**
   * Follows the incidents of many nodes lost at the same moment until every one has ended (or the
   * limit passes), with one look at every incident every 2 s, and returns their outcomes once the
   * audit service has each one's end too; prints how many have ended now and then.
   *
   * @param lost the lost nodes' servers, by node
   */
  public static List<Outcome> followAll(
      LocalApis apis,
      Map<String, LocalApis.Server> lost,
      Instant killedAt,
      Duration limit,
      Consumer<String> out) {
    Instant deadline = killedAt.plus(limit);
    Map<String, JsonNode> ended = new HashMap<>();
    Instant shown = killedAt;
    while (ended.size() < lost.size() && Instant.now().isBefore(deadline)) {
      sleep(2000);
      Map<String, JsonNode> newest = new HashMap<>();
      try {
        for (JsonNode incident : apis.incidents()) {
          newest.putIfAbsent(incident.path("node").asText(), incident);
        }
      } catch (RuntimeException e) {
        out.accept(clock(killedAt, Instant.now()) + "  (orchestrator: " + e.getMessage() + ")");
        continue;
      }
      for (String node : lost.keySet()) {
        JsonNode incident = newest.get(node);
        if (incident != null
            && !Instant.parse(incident.path("openedAt").asText()).isBefore(killedAt)
            && TERMINAL.contains(incident.path("status").asText())) {
          ended.put(node, incident);
        }
      }
      if (Duration.between(shown, Instant.now()).toSeconds() >= 30) {
        shown = Instant.now();
        out.accept(
            String.format(
                "%s  %d of %d incidents ended", clock(killedAt, shown), ended.size(), lost.size()));
      }
    }
    if (ended.size() < lost.size()) {
      throw new IllegalStateException(
          (lost.size() - ended.size())
              + " of "
              + lost.size()
              + " incidents did not end within "
              + limit.toSeconds()
              + " s: see .lifeboat/logs/");
    }
    List<Outcome> outcomes = new ArrayList<>();
    for (Map.Entry<String, JsonNode> entry : ended.entrySet()) {
      JsonNode incident = entry.getValue();
      JsonNode report = endReport(apis, incident, Duration.ofSeconds(120));
      outcomes.add(new Outcome(lost.get(entry.getKey()), killedAt, incident, report, 0));
    }
    return outcomes;
  }

  /** The orchestrator's view of the incident once it ended (it may not exist yet at first). */
  static JsonNode awaitEnded(LocalApis apis, String incidentId, Duration limit) {
    Instant deadline = Instant.now().plus(limit);
    while (Instant.now().isBefore(deadline)) {
      try {
        JsonNode incident = apis.get(apis.orchestrator() + "/api/incidents/" + incidentId, false);
        if (TERMINAL.contains(incident.path("status").asText())) {
          return incident;
        }
      } catch (IllegalStateException notYet) {
        // not opened yet: 404
      }
      pause();
    }
    throw new IllegalStateException(incidentId + " did not end within " + limit);
  }

  /** The audit service's report of the ended incident, once it has the same end. */
  static JsonNode endReport(LocalApis apis, JsonNode incident, Duration limit) {
    String id = incident.path("incidentId").asText();
    String status = incident.path("status").asText();
    Instant deadline = Instant.now().plus(limit);
    while (Instant.now().isBefore(deadline)) {
      Optional<JsonNode> found = apis.report(id);
      if (found.isPresent() && status.equals(found.get().path("status").asText())) {
        return found.get();
      }
      pause();
    }
    throw new IllegalStateException("the audit service has no " + status + " report of " + id);
  }

  /** The outcome in lines: times, each volume, requests, where the timeline is. */
  public List<String> summary(Outcome outcome) {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            "Incident %s: %s, %d of %d volumes moved",
            outcome.incidentId(),
            outcome.status(),
            outcome.volumesMoved(),
            outcome.volumesTotal()));
    lines.add(
        "  from the kill: detected after "
            + seconds(outcome.toDetection())
            + ", fenced after "
            + seconds(outcome.toFence())
            + ", last pod Ready after "
            + seconds(outcome.toLastPodReady()));
    Map<Long, Long> attachedTo = new HashMap<>();
    apis.hcloudState()
        .path("volumes")
        .forEach(
            v ->
                attachedTo.put(
                    v.path("id").asLong(),
                    v.path("server").isNumber() ? v.path("server").asLong() : null));
    for (JsonNode volume : outcome.incident().path("volumes")) {
      long id = volume.path("volumeId").asLong();
      Long server = attachedTo.get(id);
      String failure =
          volume.path("failure").isMissingNode() || volume.path("failure").isNull()
              ? ""
              : "  ("
                  + volume.path("failure").path("code").asText()
                  + ": "
                  + volume.path("failure").path("message").asText()
                  + ")";
      lines.add(
          String.format(
              "  %-16s %-8d %-9s now on %s%s",
              volume.path("persistentVolume").asText(),
              id,
              volume.path("phase").asText(),
              server == null ? "no server" : "server " + server + nodeName(volume),
              failure));
    }
    lines.add(
        String.format(
            "  Hetzner API requests by Lifeboat: %d%s",
            outcome.adapterRequests(),
            outcome.volumesMoved() > 0
                ? String.format(
                    " (%.1f per moved volume)",
                    (double) outcome.adapterRequests() / outcome.volumesMoved())
                : ""));
    lines.add("  Timeline: " + apis.audit() + "/timeline/" + outcome.incidentId());
    return lines;
  }

  private static String nodeName(JsonNode volume) {
    String node = volume.path("targetNode").asText("");
    return node.isEmpty() || "null".equals(node) ? "" : " (node " + node + ")";
  }

  private void show(JsonNode incident, Map<String, String> shown, Instant killedAt) {
    Instant now = Instant.now();
    String status =
        incident.path("status").asText() + (incident.path("fenced").asBoolean() ? ", fenced" : "");
    if (!status.equals(shown.put("incident", status))) {
      out.accept(
          String.format(
              "%s  incident %s (%s): %s",
              clock(killedAt, now),
              incident.path("incidentId").asText(),
              incident.path("reason").asText(),
              status));
    }
    for (JsonNode volume : incident.path("volumes")) {
      String key = volume.path("persistentVolume").asText();
      String step = volume.path("step").asText("");
      String phase = volume.path("phase").asText();
      String state =
          phase
              + (step.isEmpty() || "null".equals(step) || step.equals(phase) ? "" : " " + step)
              + (volume.path("targetNode").isTextual()
                  ? " -> " + volume.path("targetNode").asText()
                  : "");
      if (!state.equals(shown.put(key, state))) {
        out.accept(String.format("%s    %-16s %s", clock(killedAt, now), key, state));
      }
    }
  }

  /** The first of the incidents (newest first) opened at or after {@code since}; null if none. */
  public static JsonNode newest(JsonNode incidents, Instant since) {
    for (JsonNode incident : incidents) {
      if (!Instant.parse(incident.path("openedAt").asText()).isBefore(since)) {
        return incident;
      }
    }
    return null;
  }

  private static String clock(Instant start, Instant now) {
    Duration d = Duration.between(start, now);
    return String.format("%02d:%04.1f", d.toMinutes(), (d.toMillis() % 60_000) / 1000.0);
  }

  private static String seconds(Optional<Duration> duration) {
    return duration
        .map(d -> String.format("%.1f s", d.toMillis() / 1000.0))
        .orElse("(not reached)");
  }

  private static void pause() {
    sleep(300);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis); // polling other processes' APIs between looks
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
