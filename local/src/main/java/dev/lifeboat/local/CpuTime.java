package dev.lifeboat.local;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The CPU time each process of the local run has used, as the operating system counts it ({@link
 * ProcessHandle.Info#totalCpuDuration()}, each process with the processes it started; PostgreSQL's
 * server, which leaves its launcher's tree, with its backends): taken before and after a
 * benchmark's runs, the difference says where the machine's cores went.
 */
final class CpuTime {

  private CpuTime() {}

  /**
   * CPU time used so far, per component.
   *
   * @param at when it was read
   * @param used per component, in start order
   */
  record Snapshot(Instant at, Map<String, Duration> used) {}

  /** Reads every component's CPU time now. */
  static Snapshot take(Stack stack) {
    Map<String, Duration> used = new LinkedHashMap<>();
    for (Stack.Component component : stack.components()) {
      Duration total = treeOf(stack.pid(component.name()));
      if (component.name().equals("postgres")) {
        total = total.plus(treeOf(stack.postmaster()));
      }
      used.put(component.name(), total);
    }
    return new Snapshot(Instant.now(), used);
  }

  private static Duration treeOf(Optional<Long> pid) {
    return pid.flatMap(ProcessHandle::of)
        .map(
            root ->
                Stream.concat(Stream.of(root), root.descendants())
                    .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                    .reduce(Duration.ZERO, Duration::plus))
        .orElse(Duration.ZERO);
  }

  /**
   * The table: per component its CPU seconds between the two snapshots, its share of all, and its
   * milliseconds per moved volume; then the whole against what the machine's cores could give in
   * that time.
   */
  static List<String> report(Snapshot before, Snapshot after, int movedVolumes, int cores) {
    Map<String, Double> seconds = new LinkedHashMap<>();
    after
        .used()
        .forEach(
            (component, used) ->
                seconds.put(
                    component,
                    used.minus(before.used().getOrDefault(component, Duration.ZERO)).toMillis()
                        / 1000.0));
    double total = seconds.values().stream().mapToDouble(Double::doubleValue).sum();
    double wall = Duration.between(before.at(), after.at()).toMillis() / 1000.0;
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "CPU time of each process during the runs (%.0f s of wall time, %d cores: %.0f core-s):",
            wall,
            cores,
            wall * cores));
    lines.add(
        String.format(
            Locale.ROOT, "%-22s %10s %7s %18s", "process", "CPU", "share", "per moved volume"));
    seconds.forEach(
        (component, used) ->
            lines.add(
                String.format(
                    Locale.ROOT,
                    "%-22s %9.1fs %6.0f%% %15.0f ms",
                    component,
                    used,
                    total == 0 ? 0 : 100 * used / total,
                    movedVolumes == 0 ? 0 : 1000 * used / movedVolumes)));
    lines.add(
        String.format(
            Locale.ROOT,
            "%-22s %9.1fs %6.0f%% %15.0f ms   (%.0f%% of the cores' time)",
            "all",
            total,
            100.0,
            movedVolumes == 0 ? 0 : 1000 * total / movedVolumes,
            wall == 0 ? 0 : 100 * total / (wall * cores)));
    return lines;
  }
}
