package dev.lifeboat.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.Topic;
import dev.lifeboat.testkit.LifeboatTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Judges a chaos round from outside, by what the world shows: the incidents (orchestrator), the
 * cluster (cluster-sim), every Hetzner action (hcloud-sim's log), the timelines (audit), every
 * record on the topics, every log file. docs/reliability.md lists the checks.
 */
public final class ChaosCheck {

  /** The checks, in the order they are reported. */
  public enum Check {
    INJECTED("every loss and fault of the plan injected as planned"),
    ENDED("every incident ended, every node lost for good has one, every process ready"),
    PLACED("every volume on the server of the node where its pod is Ready, or the reason why not"),
    ONCE("at most one successful detach and one attach per volume and incident"),
    SAFETY("the safety rules, from hcloud-sim's action log"),
    HEALTHY_UNTOUCHED("no server of a node that was not lost stopped or deleted"),
    TIMELINE("every saga event on its incident's timeline once, the same after a rebuild"),
    TOKEN("the run's Hetzner token in no log, no record, no API answer"),
    JUNK("every junk record in the dead letters as its bytes, with a reason");

    final String rule;

    Check(String rule) {
      this.rule = rule;
    }
  }

  /**
   * The round's verdict.
   *
   * @param violations each broken rule, in words, by check
   * @param figures what the round amounted to
   */
  public record Verdict(Map<Check, List<String>> violations, Figures figures) {

    public int count() {
      return violations.values().stream().mapToInt(List::size).sum();
    }
  }

  /**
   * What a round amounted to.
   *
   * @param incidents incidents opened, by status
   * @param volumesMoved volumes MOVED by them
   * @param actions Hetzner actions that ran
   * @param junk junk records sent
   * @param deadLetters dead letters of them found
   * @param sweptRecords records the token sweep read
   * @param notMoved each volume that did not move, with its incident's reason
   * @param checkMillis how long the slow checks took, by name
   */
  public record Figures(
      Map<String, Integer> incidents,
      int volumesMoved,
      List<String> notMoved,
      int actions,
      int junk,
      int deadLetters,
      int sweptRecords,
      Map<String, Long> checkMillis) {

    /** Volumes that did not move (each with its reason). */
    public int volumesFailed() {
      return notMoved.size();
    }
  }

  private ChaosCheck() {}

  /** The verdict on a round that could not be played or checked to its end: one violation. */
  static Verdict unchecked(RuntimeException failure) {
    Map<Check, List<String>> broken = new LinkedHashMap<>();
    Arrays.stream(Check.values()).forEach(c -> broken.put(c, new ArrayList<>()));
    broken.get(Check.ENDED).add("the round could not be played or checked: " + failure);
    return new Verdict(broken, new Figures(Map.of(), 0, List.of(), 0, 0, 0, 0, Map.of()));
  }

  /** The incidents of the list opened at or after that moment. */
  static List<JsonNode> incidentsSince(JsonNode incidents, Instant since) {
    List<JsonNode> round = new ArrayList<>();
    for (JsonNode incident : incidents) {
      if (incident.path("openedAt").isTextual()
          && !Instant.parse(incident.path("openedAt").asText()).isBefore(since)) {
        round.add(incident);
      }
    }
    return round;
  }

  /** How long the dead letters of every junk record may take after the round has settled. */
  static final Duration JUNK_PATIENCE = Duration.ofSeconds(90);

  /** Judges the round that left this history on the stack. */
  static Verdict judge(ChaosRound.History round, Stack stack, String token) {
    LocalApis apis = new LocalApis(stack.settings().ports());
    Map<Check, List<String>> broken = new LinkedHashMap<>();
    Arrays.stream(Check.values()).forEach(c -> broken.put(c, new ArrayList<>()));
    List<JsonNode> incidents = incidentsSince(apis.incidents(), round.started());
    JsonNode state = apis.hcloudState();
    JsonNode cluster = apis.cluster();

    round.history().stream()
        .filter(i -> i.error() != null)
        .forEach(i -> broken.get(Check.INJECTED).add(i.what() + " failed: " + i.error()));
    broken.get(Check.ENDED).addAll(ended(round, incidents, stack));
    broken.get(Check.PLACED).addAll(placed(incidents, cluster, state));
    List<SimAction> actions =
        SimAction.all(state).stream().filter(a -> !a.started().isBefore(round.started())).toList();
    broken.get(Check.ONCE).addAll(once(incidents, actions));
    broken.get(Check.SAFETY).addAll(SafetyRules.violations(round.start(), state, round.outside()));
    broken.get(Check.HEALTHY_UNTOUCHED).addAll(healthyUntouched(round, actions));
    Map<String, Long> millis = new LinkedHashMap<>();
    Instant timed = Instant.now();
    Map<Topic, List<ConsumerRecord<String, byte[]>>> records = new EnumMap<>(Topic.class);
    int[] deadLetters = new int[1];
    TokenSweep.Result swept;
    try (LifeboatTopics topics =
        new LifeboatTopics("127.0.0.1:" + stack.settings().ports().kafka(), Stack.TOPIC_PREFIX)) {
      for (Topic topic : Topic.values()) {
        records.put(topic, topics.records(topic));
      }
      millis.put("reading the topics", Duration.between(timed, timed = Instant.now()).toMillis());
      broken.get(Check.TIMELINE).addAll(timelines(incidents, records, apis));
      millis.put("timelines", Duration.between(timed, timed = Instant.now()).toMillis());
      swept = TokenSweep.sweep(token, stack, records);
      swept.found().forEach(place -> broken.get(Check.TOKEN).add("the token is in " + place));
      millis.put("token sweep", Duration.between(timed, timed = Instant.now()).toMillis());
      // A service killed during the flood reads it again from its last commit when it is back:
      // its dead letters may still be coming. Read them again until all are there, for a while.
      List<String> junk = junk(round.junk(), records.get(Topic.DEAD_LETTERS), stack, deadLetters);
      Instant patience = Instant.now().plus(JUNK_PATIENCE);
      while (!junk.isEmpty() && Instant.now().isBefore(patience)) {
        pause();
        deadLetters[0] = 0;
        junk = junk(round.junk(), topics.records(Topic.DEAD_LETTERS), stack, deadLetters);
      }
      broken.get(Check.JUNK).addAll(junk);
    }
    millis.put("dead letters", Duration.between(timed, Instant.now()).toMillis());

    Map<String, Integer> byStatus = new TreeMap<>();
    int moved = 0;
    List<String> notMoved = new ArrayList<>();
    for (JsonNode incident : incidents) {
      byStatus.merge(incident.path("status").asText(), 1, Integer::sum);
      for (JsonNode volume : incident.path("volumes")) {
        if (volume.path("phase").asText().equals("MOVED")) {
          moved++;
        } else {
          notMoved.add(
              "volume "
                  + volume.path("volumeId").asText()
                  + " of "
                  + incident.path("node").asText()
                  + ": "
                  + volume.path("phase").asText()
                  + " "
                  + volume.path("failure"));
        }
      }
    }
    return new Verdict(
        broken,
        new Figures(
            byStatus,
            moved,
            notMoved,
            actions.size(),
            round.junk().size(),
            deadLetters[0],
            swept.records(),
            millis));
  }

  static List<String> ended(ChaosRound.History round, List<JsonNode> incidents, Stack stack) {
    List<String> broken = new ArrayList<>();
    if (!round.settled()) {
      broken.add("the round did not settle in time");
    }
    for (JsonNode incident : incidents) {
      if (!Failover.TERMINAL.contains(incident.path("status").asText())) {
        broken.add(
            "incident "
                + incident.path("incidentId").asText()
                + " of "
                + incident.path("node").asText()
                + " is "
                + incident.path("status").asText());
      }
    }
    for (ChaosPlan.Loss loss : round.plan().losses()) {
      if (loss.forGood()
          && incidents.stream().noneMatch(i -> i.path("node").asText().equals(loss.node()))) {
        broken.add(loss.node() + " was lost (" + loss.mode() + ") and has no incident");
      }
    }
    for (Stack.State process : stack.status()) {
      if (!process.healthy()) {
        broken.add(process.name() + " is " + (process.alive() ? "not ready" : "not running"));
      }
    }
    return broken;
  }

  /**
   * For each volume, by its latest incident: MOVED means attached to the server of the node where
   * the pod of its claim is Ready; any other end has a failure with a reason.
   */
  static List<String> placed(List<JsonNode> incidents, JsonNode cluster, JsonNode state) {
    List<String> broken = new ArrayList<>();
    Map<String, Long> serverOfNode = new HashMap<>();
    Map<String, JsonNode> nodes = new HashMap<>();
    cluster
        .path("nodes")
        .forEach(
            n -> {
              serverOfNode.put(n.path("name").asText(), n.path("server_id").asLong());
              nodes.put(n.path("name").asText(), n);
            });
    Map<String, JsonNode> podOfClaim = new HashMap<>();
    cluster.path("pods").forEach(p -> p.path("claims").forEach(c -> podOfClaim.put(c.asText(), p)));
    Map<Long, Long> serverOfVolume = new HashMap<>();
    state
        .path("volumes")
        .forEach(
            v ->
                serverOfVolume.put(
                    v.path("id").asLong(),
                    v.path("server").isNumber() ? v.path("server").asLong() : null));
    Map<Long, JsonNode> latest = new HashMap<>();
    incidents.stream()
        .sorted(Comparator.comparing(i -> i.path("openedAt").asText()))
        .forEach(i -> i.path("volumes").forEach(v -> latest.put(v.path("volumeId").asLong(), v)));
    latest.forEach(
        (volumeId, volume) -> {
          if (volume.path("phase").asText().equals("MOVED")) {
            String claim = volume.path("claim").path("name").asText();
            JsonNode pod = podOfClaim.get(claim);
            if (pod == null || !pod.path("ready").asBoolean()) {
              broken.add("volume " + volumeId + " moved but the pod of " + claim + " is not Ready");
            } else {
              Long expected = serverOfNode.get(pod.path("node").asText());
              Long actual = serverOfVolume.get(volumeId);
              if (expected == null || !expected.equals(actual)) {
                broken.add(
                    "volume "
                        + volumeId
                        + " is on server "
                        + actual
                        + ", its pod runs on "
                        + pod.path("node").asText()
                        + " (server "
                        + expected
                        + ")");
              }
            }
          } else if (volume.path("failure").path("reason").asText().isBlank()) {
            JsonNode pod = podOfClaim.get(volume.path("claim").path("name").asText());
            broken.add(
                "volume "
                    + volumeId
                    + " ended "
                    + volume.path("phase").asText()
                    + " and its incident does not say why (its pod: "
                    + (pod == null ? "none" : pod.toString())
                    + (pod == null ? "" : "; its node: " + nodes.get(pod.path("node").asText()))
                    + ")");
          }
        });
    return broken;
  }

  /** At most one successful detach and one attach of a volume per incident that held it. */
  static List<String> once(List<JsonNode> incidents, List<SimAction> actions) {
    Map<Long, Integer> incidentsOf = new HashMap<>();
    incidents.forEach(
        i ->
            i.path("volumes")
                .forEach(v -> incidentsOf.merge(v.path("volumeId").asLong(), 1, Integer::sum)));
    Map<String, Integer> done = new TreeMap<>();
    for (SimAction a : actions) {
      if (a.succeeded()
          && (a.command().equals("attach_volume") || a.command().equals("detach_volume"))) {
        done.merge(a.command() + " " + a.volume(), 1, Integer::sum);
      }
    }
    List<String> broken = new ArrayList<>();
    done.forEach(
        (what, count) -> {
          long volume = Long.parseLong(what.substring(what.indexOf(' ') + 1));
          int allowed = incidentsOf.getOrDefault(volume, 0);
          if (count > allowed) {
            broken.add(
                count + " successful " + what + " for " + allowed + " incident(s) of the volume");
          }
        });
    return broken;
  }

  /** No server of a node that was not lost for good was stopped or deleted in the round. */
  static List<String> healthyUntouched(ChaosRound.History round, List<SimAction> actions) {
    Set<Long> lost = new HashSet<>();
    round.plan().losses().stream()
        .filter(ChaosPlan.Loss::forGood)
        .forEach(loss -> lost.add(round.servers().get(loss.node()).id()));
    List<String> broken = new ArrayList<>();
    for (SimAction a : actions) {
      if (a.volume() == 0
          && List.of("stop_server", "shutdown_server", "delete_server").contains(a.command())
          && !lost.contains(a.server())) {
        broken.add(a.command() + " of server " + a.server() + ", whose node was not lost");
      }
    }
    return broken;
  }

  /**
   * Every message of each incident (every saga event, command, result, request and permit on the
   * topics, committed) is on the audit's timeline once (the audit may still be catching up after a
   * restart: up to two minutes), and the report and the timeline are the same after a rebuild from
   * the stored messages.
   */
  static List<String> timelines(
      List<JsonNode> incidents,
      Map<Topic, List<ConsumerRecord<String, byte[]>>> records,
      LocalApis apis) {
    Map<String, Set<String>> sagaEvents = new HashMap<>();
    records.forEach(
        (topic, onTopic) -> {
          if (topic.family().isEmpty() || topic == Topic.NODE_INVENTORY) {
            return;
          }
          for (ConsumerRecord<String, byte[]> record : onTopic) {
            if (record.key() == null || record.key().startsWith("junk-")) {
              continue;
            }
            LifeboatTopics.read(record, LifeboatMessage.class)
                .ifPresent(
                    message ->
                        sagaEvents
                            .computeIfAbsent(message.incidentId(), id -> new HashSet<>())
                            .add(message.messageId()));
          }
        });
    List<String> broken = new ArrayList<>();
    Map<String, String> before = new HashMap<>();
    for (JsonNode incident : incidents) {
      String id = incident.path("incidentId").asText();
      Set<String> expected = sagaEvents.getOrDefault(id, Set.of());
      List<String> missing = List.of();
      Map<String, Integer> seen = Map.of();
      Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
      do {
        seen = new HashMap<>();
        for (JsonNode line :
            apis.timeline(id)
                .orElse(com.fasterxml.jackson.databind.node.MissingNode.getInstance())) {
          seen.merge(line.path("messageId").asText(), 1, Integer::sum);
        }
        Map<String, Integer> lines = seen;
        missing = expected.stream().filter(m -> !lines.containsKey(m)).toList();
        if (missing.isEmpty()) {
          break;
        }
        pause();
      } while (Instant.now().isBefore(deadline));
      if (expected.isEmpty()) {
        broken.add("incident " + id + " has no message on the topics");
      }
      if (!missing.isEmpty()) {
        broken.add(missing.size() + " message(s) of " + id + " missing from its timeline");
      }
      seen.forEach(
          (messageId, times) -> {
            if (times > 1) {
              broken.add(
                  "message " + messageId + " is " + times + " times on the timeline of " + id);
            }
          });
      // The audit may still be storing late messages (a result after the end): the same twice.
      String answer = answers(apis, id);
      for (int look = 0; look < 30; look++) {
        pause();
        String again = answers(apis, id);
        if (again.equals(answer)) {
          break;
        }
        answer = again;
      }
      before.put(id, answer);
    }
    apis.post(apis.audit() + "/api/admin/rebuild", "", true);
    for (JsonNode incident : incidents) {
      String id = incident.path("incidentId").asText();
      String after = answers(apis, id);
      if (!after.equals(before.get(id))) {
        broken.add(
            "the report or timeline of "
                + id
                + " changed with a rebuild: "
                + difference(before.get(id), after));
      }
    }
    return broken;
  }

  private static String answers(LocalApis apis, String incidentId) {
    return apis.report(incidentId).map(JsonNode::toString).orElse("")
        + "\n"
        + apis.timeline(incidentId).map(JsonNode::toString).orElse("");
  }

  /** Where two texts part, with a little of each from there. */
  static String difference(String before, String after) {
    int at = 0;
    while (at < before.length() && at < after.length() && before.charAt(at) == after.charAt(at)) {
      at++;
    }
    int from = Math.max(0, at - 60);
    return "before ..."
        + before.substring(from, Math.min(before.length(), at + 120))
        + "... after ..."
        + after.substring(from, Math.min(after.length(), at + 120))
        + "...";
  }

  /**
   * Every junk record sent is on the dead-letter topic at least once (once per service that reads
   * its topic, and again where a killed consumer read it again), with its bytes and a reason.
   */
  static List<String> junk(
      List<ChaosRound.JunkSent> sent,
      List<ConsumerRecord<String, byte[]>> deadLetters,
      Stack stack,
      int[] found) {
    Map<String, List<ConsumerRecord<String, byte[]>>> byKey = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : deadLetters) {
      if (record.key() != null && record.key().startsWith("junk-")) {
        byKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record);
        found[0]++;
      }
    }
    Set<String> skipped = skippedInventories(stack);
    List<String> broken = new ArrayList<>();
    Map<Topic, Integer> missingByTopic = new EnumMap<>(Topic.class);
    int missing = 0;
    for (ChaosRound.JunkSent junk : sent) {
      if (junk.topic() == Topic.NODE_INVENTORY) {
        // Read by every orchestrator without a group: skipped and logged, not dead-lettered.
        if (!skipped.contains(junk.key()) && missing++ < 10) {
          broken.add("junk record " + junk.key() + " (NODE_INVENTORY) was not logged as skipped");
        }
        continue;
      }
      boolean there =
          byKey.getOrDefault(junk.key(), List.of()).stream()
              .anyMatch(
                  r ->
                      Arrays.equals(r.value() == null ? new byte[0] : r.value(), junk.value())
                          && LifeboatTopics.header(r, "dead-letter-reason")
                              .filter(reason -> !reason.isBlank())
                              .isPresent());
      if (!there) {
        missingByTopic.merge(junk.topic(), 1, Integer::sum);
      }
      if (!there && missing++ < 10) {
        broken.add(
            "junk record " + junk.key() + " (" + junk.topic() + ") is not in the dead letters");
      }
    }
    if (missing > 10) {
      broken.add(
          "... and "
              + (missing - 10)
              + " more junk records not in the dead letters; by topic: "
              + missingByTopic);
    }
    return broken;
  }

  /** The keys of the node-inventory records the orchestrator logged as skipped, with a reason. */
  private static Set<String> skippedInventories(Stack stack) {
    Set<String> keys = new HashSet<>();
    java.util.regex.Pattern skip = java.util.regex.Pattern.compile("of key (\\S+) skipped: \\S");
    try {
      for (String line :
          java.nio.file.Files.readAllLines(
              stack.log("volume-orchestrator"), java.nio.charset.StandardCharsets.ISO_8859_1)) {
        java.util.regex.Matcher matcher = skip.matcher(line);
        if (matcher.find()) {
          keys.add(matcher.group(1));
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return keys;
  }

  private static void pause() {
    try {
      Thread.sleep(1000); // the audit catching up: looking again
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
