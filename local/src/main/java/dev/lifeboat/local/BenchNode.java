package dev.lifeboat.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The {@code node} benchmark: one node with N volumes crashes, on the local run with its default
 * timings, several times; each run loses another node of the same shape, so the runs are alike.
 * docs/benchmarks.md explains the figures.
 */
final class BenchNode {

  /** Nodes with room for the moved volumes: enough that no run trips the storm guard. */
  static int spares(int runs) {
    return 2 * runs;
  }

  static String node(int run) {
    return "bench-node-" + run;
  }

  /**
   * hcloud-sim's scenario: one control-plane server, {@code runs} bench nodes of {@code volumes}
   * volumes each (registered cordoned, so that no run's pods land on a later run's node) and the
   * spare nodes, all in fsn1.
   */
  static String scenario(int runs, int volumes) {
    StringBuilder yaml =
        new StringBuilder("# ./lifeboat bench node: written by the benchmark\n")
            .append("locations: [fsn1]\nservers:\n")
            .append(
                "  - {id: 7000, name: bench-master, location: fsn1, server_type: cpx21,"
                    + " labels: {role: master}}\n");
    for (int run = 1; run <= runs; run++) {
      yaml.append(
          String.format(
              Locale.ROOT,
              "  - {id: %d, name: %s, location: fsn1, server_type: cpx31,"
                  + " labels: {role: worker, cordoned: \"true\"}}%n",
              7000 + run,
              node(run)));
    }
    for (int spare = 1; spare <= spares(runs); spare++) {
      yaml.append(
          String.format(
              Locale.ROOT,
              "  - {id: %d, name: bench-spare-%d, location: fsn1, server_type: cpx31,"
                  + " labels: {role: worker}}%n",
              7100 + spare,
              spare));
    }
    yaml.append("volumes:\n");
    for (int run = 1; run <= runs; run++) {
      for (int v = 1; v <= volumes; v++) {
        yaml.append(
            String.format(
                Locale.ROOT,
                "  - {id: %d, name: pvc-bench-%d-%d, location: fsn1, size: 10, format: ext4,"
                    + " server: %s}%n",
                200_000 + run * 100 + v,
                run,
                v,
                node(run)));
      }
    }
    return yaml.toString();
  }

  /**
   * One run's figures.
   *
   * @param detection from the kill to the node declared gone
   * @param fence from the kill to the fence's success
   * @param lastReady from the kill to the last replacement pod Ready
   * @param volumes volumes moved
   * @param requestsByEndpoint the adapter's Hetzner requests since the kill, per endpoint
   * @param overheads Lifeboat's own time for each moved volume ({@link #overheads})
   */
  record Run(
      Duration detection,
      Duration fence,
      Duration lastReady,
      int volumes,
      Map<String, Integer> requestsByEndpoint,
      List<Duration> overheads) {

    static Run of(
        Failover.Outcome outcome,
        List<JsonNode> requests,
        JsonNode incidentDetail,
        JsonNode hcloudState) {
      Map<String, Integer> byEndpoint = new TreeMap<>();
      for (JsonNode request : requests) {
        byEndpoint.merge(request.path("endpoint").asText(), 1, Integer::sum);
      }
      return new Run(
          outcome.toDetection().orElseThrow(),
          outcome.toFence().orElseThrow(),
          outcome.toLastPodReady().orElseThrow(),
          outcome.volumesMoved(),
          byEndpoint,
          BenchNode.overheads(incidentDetail, hcloudState));
    }

    int requests() {
      return requestsByEndpoint.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  /**
   * Lifeboat's own time for each moved volume of an incident: from the start of its DETACH step to
   * the end of its VERIFY step, less what it waited on others there: its detach and attach actions
   * (started to finished, from hcloud-sim's action log), the time each waited for an earlier action
   * on its server to finish (Hetzner runs one action per server at a time), and its RESCHEDULE and
   * VERIFY steps (the StatefulSet controller, the scheduler, the kubelet). What is left is the
   * Kafka hops, the services' own work, RELEASE's writes to the Kubernetes API, and the time until
   * a poll noticed that an action had ended.
   *
   * @param detail the audit service's incident detail ({@code GET /api/incidents/{id}})
   * @param hcloudState hcloud-sim's state, with every action
   */
  static List<Duration> overheads(JsonNode detail, JsonNode hcloudState) {
    List<SimAction> actions = SimAction.all(hcloudState);
    List<Duration> overheads = new ArrayList<>();
    for (JsonNode volume : detail.path("volumes")) {
      if (!volume.path("status").asText().equals("MOVED")) {
        continue;
      }
      Map<String, JsonNode> steps = new TreeMap<>();
      volume.path("steps").forEach(step -> steps.put(step.path("name").asText(), step));
      if (!steps.keySet().containsAll(List.of("DETACH", "ATTACH", "RESCHEDULE", "VERIFY"))) {
        continue;
      }
      long id = volume.path("volumeId").asLong();
      Instant from = instant(steps.get("DETACH").path("startedAt"));
      Instant to = instant(steps.get("VERIFY").path("endedAt"));
      Duration waited =
          waitedOnHetzner(actions, id, "detach_volume", from)
              .plus(waitedOnHetzner(actions, id, "attach_volume", started(steps.get("ATTACH"))))
              .plus(stepTime(steps.get("RESCHEDULE")))
              .plus(stepTime(steps.get("VERIFY")));
      overheads.add(Duration.between(from, to).minus(waited));
    }
    return overheads;
  }

  /**
   * How long each saga step of each moved volume took, by step name, in the saga's order (from the
   * audit service's incident detail): where a volume's time goes.
   */
  static Map<String, List<Duration>> stepTimes(JsonNode detail) {
    Map<String, List<Duration>> times = new LinkedHashMap<>();
    for (JsonNode volume : detail.path("volumes")) {
      if (!volume.path("status").asText().equals("MOVED")) {
        continue;
      }
      for (JsonNode step : volume.path("steps")) {
        if (started(step) != null && instant(step.path("endedAt")) != null) {
          times
              .computeIfAbsent(step.path("name").asText(), n -> new ArrayList<>())
              .add(stepTime(step));
        }
      }
    }
    return times;
  }

  /** One line per step: its median and p99 over every moved volume. */
  static List<String> stepLines(Map<String, List<Duration>> times) {
    List<String> lines = new ArrayList<>();
    if (times.isEmpty()) {
      return lines;
    }
    lines.add("saga steps per moved volume:            median      p99");
    times.forEach(
        (step, durations) -> {
          List<Double> seconds = durations.stream().map(BenchNode::seconds).toList();
          lines.add(
              String.format(
                  Locale.ROOT,
                  "  %-32s %9.2fs %8.2fs",
                  step,
                  quantile(seconds, 0.5),
                  quantile(seconds, 0.99)));
        });
    return lines;
  }

  /**
   * How long the step waited on Hetzner for the volume's action of this command that succeeded: for
   * an earlier action on its server to finish, then for its own to run. The action may have started
   * before the step (another client's, such as the CSI driver's, which the step adopted): only its
   * part after the step's start counts.
   */
  private static Duration waitedOnHetzner(
      List<SimAction> actions, long volume, String command, Instant stepStarted) {
    SimAction own =
        actions.stream()
            .filter(a -> a.command().equals(command) && a.volume() == volume && a.succeeded())
            .filter(a -> a.started() != null && a.finished() != null)
            .filter(a -> a.finished().isAfter(stepStarted))
            .min(java.util.Comparator.comparing(SimAction::finished))
            .orElse(null);
    if (own == null) {
      return Duration.ZERO;
    }
    Instant ran = own.started().isAfter(stepStarted) ? own.started() : stepStarted;
    Instant before =
        actions.stream()
            .filter(a -> a != own && a.server() == own.server() && a.finished() != null)
            .map(SimAction::finished)
            .filter(end -> !end.isAfter(ran) && end.isAfter(stepStarted))
            .max(Instant::compareTo)
            .orElse(stepStarted);
    return Duration.between(stepStarted, before).plus(Duration.between(ran, own.finished()));
  }

  private static Instant started(JsonNode step) {
    return instant(step.path("startedAt"));
  }

  private static Duration stepTime(JsonNode step) {
    return Duration.between(started(step), instant(step.path("endedAt")));
  }

  private static Instant instant(JsonNode time) {
    return time.isMissingNode() || time.isNull() ? null : Instant.parse(time.asText());
  }

  /**
   * The index of the run whose last pod was Ready at the median (the lower one of an even count).
   */
  static int medianRun(List<Run> runs) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      order.add(i);
    }
    order.sort(java.util.Comparator.comparing(i -> runs.get(i).lastReady()));
    return order.get((runs.size() - 1) / 2);
  }

  /** The table: each run, then median and p99 (nearest rank) of each column. */
  static List<String> report(List<Run> runs) {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "%-8s %10s %10s %16s %17s %9s %11s",
            "run",
            "detected",
            "fenced",
            "last pod Ready",
            "after detection",
            "requests",
            "per volume"));
    for (int i = 0; i < runs.size(); i++) {
      Run run = runs.get(i);
      lines.add(row(String.valueOf(i + 1), run));
    }
    lines.add(stat("median", runs, 0.5));
    lines.add(stat("p99", runs, 0.99));
    lines.add("requests per moved volume by endpoint (median of the runs):");
    Map<String, List<Double>> perEndpoint = new TreeMap<>();
    for (Run run : runs) {
      run.requestsByEndpoint()
          .forEach(
              (endpoint, count) ->
                  perEndpoint
                      .computeIfAbsent(endpoint, e -> new ArrayList<>())
                      .add((double) count / run.volumes()));
    }
    perEndpoint.forEach(
        (endpoint, values) -> {
          while (values.size() < runs.size()) {
            values.add(0.0);
          }
          lines.add(String.format(Locale.ROOT, "  %-40s %5.2f", endpoint, quantile(values, 0.5)));
        });
    ownTime(runs.stream().flatMap(r -> r.overheads().stream()).toList()).ifPresent(lines::add);
    return lines;
  }

  /**
   * The line of Lifeboat's own time per moved volume ({@link #overheads}) over every run: median
   * and p99; none without a volume.
   */
  static Optional<String> ownTime(List<Duration> overheads) {
    if (overheads.isEmpty()) {
      return Optional.empty();
    }
    List<Double> seconds = overheads.stream().map(BenchNode::seconds).toList();
    return Optional.of(
        String.format(
            Locale.ROOT,
            "Lifeboat's own time per moved volume (%d volumes of all runs): median %.2fs,"
                + " p99 %.2fs",
            seconds.size(),
            quantile(seconds, 0.5),
            quantile(seconds, 0.99)));
  }

  private static String row(String name, Run run) {
    return String.format(
        Locale.ROOT,
        "%-8s %9.1fs %9.1fs %15.1fs %16.1fs %9d %11.2f",
        name,
        seconds(run.detection()),
        seconds(run.fence()),
        seconds(run.lastReady()),
        seconds(run.lastReady().minus(run.detection())),
        run.requests(),
        (double) run.requests() / run.volumes());
  }

  private static String stat(String name, List<Run> runs, double q) {
    return String.format(
        Locale.ROOT,
        "%-8s %9.1fs %9.1fs %15.1fs %16.1fs %9.0f %11.2f",
        name,
        quantile(values(runs, r -> seconds(r.detection())), q),
        quantile(values(runs, r -> seconds(r.fence())), q),
        quantile(values(runs, r -> seconds(r.lastReady())), q),
        quantile(values(runs, r -> seconds(r.lastReady().minus(r.detection()))), q),
        quantile(values(runs, r -> (double) r.requests()), q),
        quantile(values(runs, r -> (double) r.requests() / r.volumes()), q));
  }

  private static List<Double> values(List<Run> runs, Function<Run, Double> of) {
    return runs.stream().map(of).toList();
  }

  /** The median interpolates between the middle two; other quantiles take the nearest rank. */
  static double quantile(List<Double> values, double q) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    if (q == 0.5) {
      return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
    int rank = (int) Math.ceil(q * n);
    return sorted.get(Math.max(0, Math.min(n - 1, rank - 1)));
  }

  private static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }
}
