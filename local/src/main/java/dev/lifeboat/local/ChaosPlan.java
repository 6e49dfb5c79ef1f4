package dev.lifeboat.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * What one chaos round does, made from its seed alone, so that a round can be told again from the
 * seed it printed: which nodes are lost, how and when (some hang and come back within the grace),
 * and which faults hit Lifeboat while their incidents run. Times are from the round's start.
 * docs/reliability.md explains the choices.
 *
 * @param seed the seed it was made from
 * @param losses the nodes lost, in time order
 * @param faults the faults, in time order
 * @param junk malformed records sent across the topics
 */
public record ChaosPlan(long seed, List<Loss> losses, List<Fault> faults, int junk) {

  /**
   * A node lost.
   *
   * @param node its name
   * @param mode how
   * @param at when
   * @param backAfter for a hang: how long after it the node answers again (within the grace), so
   *     that it is no loss; empty for a loss for good
   */
  public record Loss(String node, LocalApis.Mode mode, Duration at, Optional<Duration> backAfter) {

    /** Whether the node stays lost (an incident must move its volumes). */
    public boolean forGood() {
      return backAfter.isEmpty();
    }
  }

  /** The kinds of fault. */
  public enum Kind {
    /** kill -9 of a Lifeboat service; started again after the pause, as Kubernetes would. */
    KILL_SERVICE,
    /** kill -9 of the Kafka broker; started again on its data after the pause. */
    KILL_BROKER,
    /** kill -9 of the audit's PostgreSQL; started again on its data after the pause. */
    KILL_DATABASE,
    /** The Kubernetes API answers nothing for the pause (cluster-sim's API server stopped). */
    KUBERNETES_API_DOWN,
    /** The malformed records, all at once. */
    JUNK
  }

  /**
   * One fault.
   *
   * @param kind what
   * @param component the process it hits
   * @param at when
   * @param pause how long the process stays down (zero for junk)
   */
  public record Fault(Kind kind, String component, Duration at, Duration pause) {}

  /** The Lifeboat services a round may kill. */
  public static final List<String> SERVICES =
      List.of("volume-orchestrator", "hcloud-adapter", "node-watcher", "audit-service");

  /** Junk records per round, across the topics. */
  public static final int JUNK = 10_000;

  /** When a hang that comes back answers again: well inside the chaos world's suspicion time. */
  static final Duration BACK_AFTER = Duration.ofSeconds(2);

  /**
   * The round of this seed on this world.
   *
   * @param seed the round's seed
   * @param world the nodes that may be lost
   */
  public static ChaosPlan of(long seed, ChaosWorld world) {
    Random random = new Random(seed);
    List<String> workers = new ArrayList<>(world.workerNames());
    java.util.Collections.shuffle(workers, random);
    LocalApis.Mode[] modes = LocalApis.Mode.values();
    int lost = 2 + random.nextInt(3);
    List<Loss> losses = new ArrayList<>();
    for (int i = 0; i < lost; i++) {
      losses.add(
          new Loss(
              workers.get(i),
              modes[random.nextInt(modes.length)],
              seconds(random, 0, 15),
              Optional.empty()));
    }
    if (random.nextBoolean()) {
      losses.add(
          new Loss(
              workers.get(lost),
              LocalApis.Mode.HANG,
              seconds(random, 0, 15),
              Optional.of(BACK_AFTER)));
    }
    losses.sort(Comparator.comparing(Loss::at));
    List<Fault> faults = new ArrayList<>();
    IntStream.range(0, 1 + random.nextInt(3))
        .forEach(
            i ->
                faults.add(
                    new Fault(
                        Kind.KILL_SERVICE,
                        SERVICES.get(random.nextInt(SERVICES.size())),
                        seconds(random, 2, 45),
                        seconds(random, 1, 8))));
    if (random.nextBoolean()) {
      faults.add(
          new Fault(Kind.KILL_BROKER, "kafka", seconds(random, 5, 40), seconds(random, 2, 8)));
    }
    if (random.nextBoolean()) {
      faults.add(
          new Fault(Kind.KILL_DATABASE, "postgres", seconds(random, 5, 40), seconds(random, 1, 6)));
    }
    if (random.nextBoolean()) {
      faults.add(
          new Fault(
              Kind.KUBERNETES_API_DOWN,
              "cluster-sim",
              seconds(random, 5, 40),
              seconds(random, 5, 20)));
    }
    faults.add(new Fault(Kind.JUNK, "kafka", seconds(random, 0, 20), Duration.ZERO));
    faults.sort(Comparator.comparing(Fault::at));
    return new ChaosPlan(seed, List.copyOf(losses), List.copyOf(faults), JUNK);
  }

  /** The plan in a few lines, for the round's log. */
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    lines.add("seed " + seed);
    for (Loss loss : losses) {
      lines.add(
          String.format(
              Locale.ROOT,
              "  %5.1fs  %s %s%s",
              loss.at().toMillis() / 1000.0,
              loss.mode().name().toLowerCase(Locale.ROOT),
              loss.node(),
              loss.backAfter()
                  .map(d -> ", back after " + d.toSeconds() + " s")
                  .orElse(", for good")));
    }
    for (Fault fault : faults) {
      lines.add(
          String.format(
              Locale.ROOT,
              "  %5.1fs  %s %s%s",
              fault.at().toMillis() / 1000.0,
              fault.kind().name().toLowerCase(Locale.ROOT),
              fault.component(),
              fault.kind() == Kind.JUNK
                  ? " (" + junk + " records)"
                  : String.format(
                      Locale.ROOT, ", down %.1f s", fault.pause().toMillis() / 1000.0)));
    }
    return lines;
  }

  private static Duration seconds(Random random, int from, int to) {
    return Duration.ofMillis(from * 1000L + random.nextInt((to - from) * 1000));
  }
}
