package dev.lifeboat.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.codec.MessageTypes;
import dev.lifeboat.testkit.JunkRecords;
import dev.lifeboat.testkit.LifeboatTopics;
import dev.lifeboat.testkit.TestMessages;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Plays one {@link ChaosPlan} on a running stack: loses its nodes, injects its faults at their
 * times (a killed process is started again after its pause, on its data, as Kubernetes would), with
 * hcloud-sim answering badly throughout ({@link #HCLOUD_FAULTS}), then waits until every incident
 * of the round has ended and every process is ready again. What it did is the round's history,
 * which {@link ChaosCheck} judges.
 */
final class ChaosRound {

  /**
   * hcloud-sim's faults during a round: 5 % server errors and 5 % rate-limit answers on every
   * endpoint, 20 % {@code locked} on every action Lifeboat starts, 10 % of answers slow (up to 800
   * ms), 5 % of action requests carried out with their answer lost, and a few actions that fail.
   */
  static final String HCLOUD_FAULTS =
      """
      {"rules": [
        {"endpoint": "*", "code": "server_error", "rate": 0.05},
        {"endpoint": "*", "code": "rate_limit_exceeded", "rate": 0.05},
        {"endpoint": "POST /volumes/{id}/actions/detach", "code": "locked", "rate": 0.2},
        {"endpoint": "POST /volumes/{id}/actions/attach", "code": "locked", "rate": 0.2},
        {"endpoint": "POST /servers/{id}/actions/poweroff", "code": "locked", "rate": 0.2},
        {"endpoint": "*", "latency_ms": 800, "rate": 0.1},
        {"endpoint": "POST /volumes/{id}/actions/detach", "lose_answer": true, "rate": 0.05},
        {"endpoint": "POST /volumes/{id}/actions/attach", "lose_answer": true, "rate": 0.05},
        {"endpoint": "POST /servers/{id}/actions/poweroff", "lose_answer": true, "rate": 0.05}],
       "action_failures": [
        {"command": "detach_volume", "code": "action_failed", "message": "chaos", "times": 1},
        {"command": "attach_volume", "code": "action_failed", "message": "chaos", "times": 2},
        {"command": "stop_server", "code": "action_failed", "message": "chaos", "times": 1}]}
      """;

  /**
   * One thing done to the world.
   *
   * @param what in words
   * @param kind the fault's kind, or {@code LOSS}
   * @param at when it began
   * @param until when it ended (the process up again)
   * @param error why it could not be done, or null
   */
  record Injected(String what, String kind, Instant at, Instant until, String error) {}

  /** A junk record sent: its topic, key and bytes. */
  record JunkSent(Topic topic, String key, byte[] value) {}

  /**
   * What the round did.
   *
   * @param plan the plan
   * @param started when it started
   * @param start the Hetzner world before it
   * @param servers the lost nodes' servers by node
   * @param outside the servers lost outside the API, for the safety rules
   * @param history what was injected
   * @param junk the junk records sent
   * @param pids the pid each component was last started with
   * @param settled false when an incident did not end, or a process was not ready, in time
   */
  record History(
      ChaosPlan plan,
      Instant started,
      SafetyRules.Start start,
      Map<String, LocalApis.Server> servers,
      List<SafetyRules.Outside> outside,
      List<Injected> history,
      List<JunkSent> junk,
      Map<String, Long> pids,
      boolean settled) {}

  private static final Stack.Progress QUIET =
      new Stack.Progress() {
        @Override
        public void starting(String component) {}

        @Override
        public void up(String component, Duration took) {}
      };

  private final Stack stack;
  private final LocalApis apis;
  private final Consumer<String> out;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  ChaosRound(Stack stack, Consumer<String> out) {
    this.stack = stack;
    this.apis = new LocalApis(stack.settings().ports());
    this.out = out;
  }

  /** Plays the plan; returns once the round has settled or {@code limit} has passed. */
  History play(ChaosPlan plan, Duration limit) {
    SafetyRules.Start start = SafetyRules.Start.of(apis.hcloudState());
    Map<String, LocalApis.Server> servers = new ConcurrentHashMap<>();
    for (ChaosPlan.Loss loss : plan.losses()) {
      servers.put(loss.node(), apis.server(loss.node()).orElseThrow());
    }
    apis.put(apis.hcloudSim() + "/_sim/faults", HCLOUD_FAULTS);
    List<SafetyRules.Outside> outside = new CopyOnWriteArrayList<>();
    List<Injected> history = new CopyOnWriteArrayList<>();
    List<JunkSent> junk = new CopyOnWriteArrayList<>();
    Instant started = Instant.now();
    ScheduledExecutorService clock = Executors.newScheduledThreadPool(8);
    List<Future<?>> pending = new ArrayList<>();
    try {
      for (ChaosPlan.Loss loss : plan.losses()) {
        pending.add(
            clock.schedule(
                () -> lose(loss, servers.get(loss.node()), outside, history),
                loss.at().toMillis(),
                TimeUnit.MILLISECONDS));
      }
      for (ChaosPlan.Fault fault : plan.faults()) {
        pending.add(
            clock.schedule(
                () -> inject(fault, plan, history, junk),
                fault.at().toMillis(),
                TimeUnit.MILLISECONDS));
      }
      Instant deadline = started.plus(limit);
      for (Future<?> future : pending) {
        try {
          future.get(
              Math.max(1, Duration.between(Instant.now(), deadline).toMillis()),
              TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
          history.add(
              new Injected(
                  "a fault's task", "ERROR", Instant.now(), Instant.now(), String.valueOf(e)));
        }
      }
      boolean settled = settle(plan, started, deadline);
      apis.put(apis.hcloudSim() + "/_sim/faults", "{\"rules\": [], \"action_failures\": []}");
      Map<String, Long> pids = new java.util.TreeMap<>();
      stack
          .components()
          .forEach(c -> stack.pid(c.name()).ifPresent(pid -> pids.put(c.name(), pid)));
      return new History(
          plan,
          started,
          start,
          Map.copyOf(servers),
          List.copyOf(outside),
          List.copyOf(history),
          List.copyOf(junk),
          pids,
          settled);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during the round", e);
    } finally {
      clock.shutdownNow();
    }
  }

  private void lose(
      ChaosPlan.Loss loss,
      LocalApis.Server server,
      List<SafetyRules.Outside> outside,
      List<Injected> history) {
    Instant at = Instant.now();
    String error = null;
    // A shutdown goes through the Hetzner API, which answers badly during the round: try again.
    for (int attempt = 1; ; attempt++) {
      try {
        if (loss.mode() == LocalApis.Mode.CRASH || loss.mode() == LocalApis.Mode.DELETE) {
          outside.add(
              new SafetyRules.Outside(
                  server.id(), Instant.now(), loss.mode() == LocalApis.Mode.DELETE));
        }
        apis.kill(server, loss.mode());
        error = null;
        break;
      } catch (RuntimeException e) {
        error = e.getMessage();
        if (attempt == 20 || loss.mode() != LocalApis.Mode.SHUTDOWN) {
          break;
        }
        pause(Duration.ofMillis(500));
      }
    }
    loss.backAfter()
        .ifPresent(
            back -> {
              pause(back);
              apis.recover(server);
            });
    history.add(
        new Injected(
            loss.mode().name().toLowerCase(Locale.ROOT) + " " + loss.node(),
            "LOSS",
            at,
            Instant.now(),
            error));
    out.accept(
        line(
            at,
            loss.mode().name().toLowerCase(Locale.ROOT)
                + " "
                + loss.node()
                + loss.backAfter().map(b -> " (back after " + b.toSeconds() + " s)").orElse("")));
  }

  private void inject(
      ChaosPlan.Fault fault, ChaosPlan plan, List<Injected> history, List<JunkSent> junk) {
    Instant at = Instant.now();
    String error = null;
    try {
      switch (fault.kind()) {
        case KILL_SERVICE, KILL_BROKER, KILL_DATABASE -> {
          synchronized (locks.computeIfAbsent(fault.component(), c -> new Object())) {
            stack.kill(fault.component());
            out.accept(line(at, "kill -9 " + fault.component()));
            pause(fault.pause());
            startAgain(fault.component());
            out.accept(line(Instant.now(), fault.component() + " up again"));
          }
        }
        case KUBERNETES_API_DOWN -> {
          apis.post(
              apis.clusterSim() + "/_sim/api-outage", "{\"duration\": \"" + fault.pause() + "\"}");
          out.accept(line(at, "Kubernetes API down for " + fault.pause().toSeconds() + " s"));
          pause(fault.pause());
        }
        case JUNK -> {
          junk.addAll(sendJunk(plan));
          out.accept(line(at, plan.junk() + " junk records sent"));
        }
      }
    } catch (RuntimeException e) {
      error = String.valueOf(e.getMessage());
      out.accept(line(at, fault.kind() + " " + fault.component() + " failed: " + error));
    }
    history.add(
        new Injected(
            fault.kind().name().toLowerCase(Locale.ROOT) + " " + fault.component(),
            fault.kind().name(),
            at,
            Instant.now(),
            error));
  }

  /** The plan's junk, spread over every topic but the dead letters, each record with its key. */
  private List<JunkSent> sendJunk(ChaosPlan plan) {
    List<Topic> topics = Arrays.stream(Topic.values()).filter(t -> t.family().isPresent()).toList();
    List<JunkSent> sent = new ArrayList<>();
    try (LifeboatTopics kafka =
        new LifeboatTopics("127.0.0.1:" + stack.settings().ports().kafka(), Stack.TOPIC_PREFIX)) {
      for (int t = 0; t < topics.size(); t++) {
        Topic topic = topics.get(t);
        int count = plan.junk() / topics.size() + (t < plan.junk() % topics.size() ? 1 : 0);
        List<JunkRecords.Junk> flood =
            JunkRecords.flood(
                TestMessages.fresh(MessageTypes.ofFamily(topic.family().orElseThrow()).get(0)),
                count,
                plan.seed() * 31 + t);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < flood.size(); i++) {
          keys.add("junk-" + plan.seed() + "-" + topic.name().toLowerCase(Locale.ROOT) + "-" + i);
          sent.add(new JunkSent(topic, keys.get(i), flood.get(i).value()));
        }
        // A send the broker did not acknowledge is sent again (the topic's whole flood: a record
        // that got there twice is dead-lettered twice, which the check allows).
        for (int attempt = 1; ; attempt++) {
          try {
            kafka.sendJunk(topic, keys, flood);
            break;
          } catch (IllegalStateException e) {
            if (attempt == 3) {
              throw e;
            }
            out.accept("  junk to " + topic + " sent again: " + e.getMessage());
          }
        }
      }
    }
    return sent;
  }

  /**
   * Waits until every incident opened since the round started has ended, every node lost for good
   * has one, and every process is ready; false if the deadline came first.
   */
  private boolean settle(ChaosPlan plan, Instant started, Instant deadline) {
    while (Instant.now().isBefore(deadline)) {
      if (stack.allHealthy() && incidentsEnded(plan, started)) {
        return true;
      }
      pause(Duration.ofSeconds(1));
    }
    return false;
  }

  private boolean incidentsEnded(ChaosPlan plan, Instant started) {
    try {
      List<JsonNode> round = ChaosCheck.incidentsSince(apis.incidents(), started);
      boolean allEnded =
          round.stream().allMatch(i -> Failover.TERMINAL.contains(i.path("status").asText()));
      boolean everyLossHasOne =
          plan.losses().stream()
              .filter(ChaosPlan.Loss::forGood)
              .allMatch(
                  loss ->
                      round.stream().anyMatch(i -> i.path("node").asText().equals(loss.node())));
      return allEnded && everyLossHasOne;
    } catch (RuntimeException e) {
      return false; // the orchestrator restarting: look again
    }
  }

  private String line(Instant at, String what) {
    return String.format(Locale.ROOT, "  %s  %s", at.toString().substring(11, 23), what);
  }

  /**
   * Starts a killed component again as the kubelet restarts a container (restart policy Always):
   * one that stops at start (the audit while its PostgreSQL is still down, say) is started again
   * after a back-off of 10 s, doubled each time, up to five starts in all.
   */
  private void startAgain(String component) {
    Duration backOff = Duration.ofSeconds(10);
    for (int start = 1; ; start++) {
      try {
        stack.start(component, QUIET);
        return;
      } catch (Stack.StoppedAtStart e) {
        if (start == 5) {
          throw e;
        }
        out.accept(
            line(
                Instant.now(),
                component + " stopped at start; started again in " + backOff.toSeconds() + " s"));
        pause(backOff);
        backOff = backOff.multipliedBy(2);
      }
    }
  }

  private static void pause(Duration length) {
    try {
      Thread.sleep(length.toMillis()); // the fault's own length (a process down, a node hung)
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
