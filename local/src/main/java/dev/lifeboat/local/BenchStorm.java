package dev.lifeboat.local;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code storm} benchmark: M nodes of N volumes crash at the same moment while every Hetzner
 * action of the simulator takes no time and the project has no rate limit, so what is measured is
 * Lifeboat's own chain (detection, saga, commands, polls) and the simulated cluster's. The storm
 * guard, the fencing cap and the flow limit are set aside for it (a real storm of this size would
 * wait for a person). docs/benchmarks.md explains the figures.
 */
final class BenchStorm {

  private BenchStorm() {}

  /** The {@code i}th node lost in storm {@code run}. */
  static String node(int run, int i) {
    return "storm-" + run + "-node-" + i;
  }

  /** Spare nodes: room for every volume of every run at half of Hetzner's 16 per server. */
  static int spares(int runs, int nodes, int volumes) {
    return Math.max(2, (runs * nodes * volumes + 7) / 8);
  }

  /**
   * hcloud-sim's scenario: a control-plane server, each run's nodes (registered cordoned, so that
   * no pod lands on a later run's node) and the spares, all in fsn1.
   */
  static String scenario(int runs, int nodes, int volumes) {
    StringBuilder yaml =
        new StringBuilder("# ./lifeboat bench storm: written by the benchmark\n")
            .append("locations: [fsn1]\nservers:\n")
            .append(
                "  - {id: 8000, name: storm-master, location: fsn1, server_type: cpx21,"
                    + " labels: {role: master}}\n");
    for (int run = 1; run <= runs; run++) {
      for (int n = 1; n <= nodes; n++) {
        yaml.append(
            String.format(
                Locale.ROOT,
                "  - {id: %d, name: %s, location: fsn1, server_type: cpx31,"
                    + " labels: {role: worker, cordoned: \"true\"}}%n",
                8000 + run * 100 + n,
                node(run, n)));
      }
    }
    for (int spare = 1; spare <= spares(runs, nodes, volumes); spare++) {
      yaml.append(
          String.format(
              Locale.ROOT,
              "  - {id: %d, name: storm-spare-%d, location: fsn1, server_type: cpx31,"
                  + " labels: {role: worker}}%n",
              9000 + spare,
              spare));
    }
    yaml.append("volumes:\n");
    for (int run = 1; run <= runs; run++) {
      for (int n = 1; n <= nodes; n++) {
        for (int v = 1; v <= volumes; v++) {
          yaml.append(
              String.format(
                  Locale.ROOT,
                  "  - {id: %d, name: pvc-storm-%d-%d-%d, location: fsn1, size: 10,"
                      + " format: ext4, server: %s}%n",
                  300_000 + run * 10_000 + n * 100 + v,
                  run,
                  n,
                  v,
                  node(run, n)));
        }
      }
    }
    return yaml.toString();
  }

  /**
   * The settings of the storm: every simulated action instant and no rate limit; the guards that
   * would hold a storm for a person opened; every volume of every node may move at once.
   */
  static Map<String, Map<String, String>> properties(int nodes, int volumes) {
    Map<String, String> sim = new LinkedHashMap<>();
    for (String action : List.of("poweroff", "shutdown", "poweron", "delete", "detach", "attach")) {
      sim.put("hcloud-sim.durations." + action, "0s");
    }
    sim.put("hcloud-sim.rate-limit.enabled", "false");
    return guardsOpened(
        sim,
        Map.of(
            "lifeboat.saga.max-active-flows", Integer.toString(nodes * volumes),
            "lifeboat.saga.max-parallel-volumes", Integer.toString(volumes)));
  }

  /**
   * hcloud-sim's settings and the orchestrator's, with the storm guard and the fencing cap opened
   * (every node may be declared lost and fenced at once).
   */
  static Map<String, Map<String, String>> guardsOpened(
      Map<String, String> sim, Map<String, String> orchestrator) {
    Map<String, String> saga = new LinkedHashMap<>(orchestrator);
    saga.put("lifeboat.saga.max-fencing-share", "1.0");
    return Map.of(
        "hcloud-sim",
        sim,
        "node-watcher",
        Map.of("lifeboat.watcher.storm.max-lost-share", "1.0"),
        "volume-orchestrator",
        saga);
  }

  /**
   * One storm's figures.
   *
   * @param killedAt when the first node was lost
   * @param outcomes each node's incident
   * @param overheads Lifeboat's own time for each moved volume of every node ({@link
   *     BenchNode#overheads})
   * @param steps each saga step's time for each moved volume, by step ({@link BenchNode#stepTimes})
   */
  record Storm(
      Instant killedAt,
      List<Failover.Outcome> outcomes,
      List<Duration> overheads,
      Map<String, List<Duration>> steps) {

    int volumes() {
      return outcomes.stream().mapToInt(Failover.Outcome::volumesMoved).sum();
    }

    /** From the kill to the first node declared gone. */
    Duration firstDetection() {
      return outcomes.stream()
          .map(o -> since(o, o.toDetection().orElseThrow()))
          .min(Duration::compareTo)
          .orElseThrow();
    }

    /** From the kill to the last replacement pod Ready, over every node. */
    Duration lastReady() {
      return outcomes.stream()
          .map(o -> since(o, o.toLastPodReady().orElseThrow()))
          .max(Duration::compareTo)
          .orElseThrow();
    }

    /** Volume failovers per second, from the first detection to the last pod Ready. */
    double perSecond() {
      return volumes() / (lastReady().minus(firstDetection()).toMillis() / 1000.0);
    }

    private Duration since(Failover.Outcome outcome, Duration afterItsKill) {
      return Duration.between(killedAt, outcome.killedAt()).plus(afterItsKill);
    }
  }

  /** The table: each storm, then the median of each column. */
  static List<String> report(List<Storm> storms) {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "%-8s %8s %16s %16s %17s",
            "run",
            "volumes",
            "first detected",
            "last pod Ready",
            "failovers/s"));
    for (int i = 0; i < storms.size(); i++) {
      Storm storm = storms.get(i);
      lines.add(
          String.format(
              Locale.ROOT,
              "%-8s %8d %15.1fs %15.1fs %17.1f",
              i + 1,
              storm.volumes(),
              storm.firstDetection().toMillis() / 1000.0,
              storm.lastReady().toMillis() / 1000.0,
              storm.perSecond()));
    }
    lines.add(
        String.format(
            Locale.ROOT,
            "%-8s %8s %15.1fs %15.1fs %17.1f",
            "median",
            "",
            BenchNode.quantile(
                storms.stream().map(s -> s.firstDetection().toMillis() / 1000.0).toList(), 0.5),
            BenchNode.quantile(
                storms.stream().map(s -> s.lastReady().toMillis() / 1000.0).toList(), 0.5),
            BenchNode.quantile(storms.stream().map(Storm::perSecond).toList(), 0.5)));
    Map<String, List<Duration>> steps = new LinkedHashMap<>();
    storms.forEach(
        s ->
            s.steps()
                .forEach(
                    (step, times) ->
                        steps.computeIfAbsent(step, k -> new ArrayList<>()).addAll(times)));
    lines.addAll(BenchNode.stepLines(steps));
    BenchNode.ownTime(storms.stream().flatMap(s -> s.overheads().stream()).toList())
        .ifPresent(lines::add);
    return lines;
  }
}
