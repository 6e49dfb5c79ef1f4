package dev.lifeboat.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Chaos rounds on the local run's real processes: each round starts the whole stack afresh on the
 * chaos world, plays the plan of its seed ({@link ChaosRound}), judges it ({@link ChaosCheck}) and
 * stops the stack; then the table of every round. {@code ./lifeboat chaos} runs it;
 * docs/reliability.md has the figures.
 */
public final class Chaos {

  /**
   * One round's outcome.
   *
   * @param plan what it did
   * @param verdict what the checks found
   * @param took how long it took, start and stop of the stack included
   */
  public record Round(ChaosPlan plan, ChaosCheck.Verdict verdict, Duration took) {}

  /** How long a round may take from its first fault until it has settled. */
  static final Duration ROUND_LIMIT = Duration.ofMinutes(6);

  private final Settings settings;
  private final ChaosWorld world;
  private final int junk;
  private final Consumer<String> out;

  public Chaos(Settings settings, ChaosWorld world, int junk, Consumer<String> out) {
    this.settings = settings;
    this.world = world;
    this.junk = junk;
    this.out = out;
  }

  /** Plays a round per seed, one after another. */
  public List<Round> run(List<Long> seeds) {
    List<Round> rounds = new ArrayList<>();
    for (long seed : seeds) {
      rounds.add(round(seed));
    }
    return rounds;
  }

  /** One round on a fresh stack. */
  public Round round(long seed) {
    Instant began = Instant.now();
    ChaosPlan planned = ChaosPlan.of(seed, world);
    ChaosPlan plan = new ChaosPlan(planned.seed(), planned.losses(), planned.faults(), junk);
    out.accept("");
    out.accept("chaos round, " + String.join("\n", plan.describe()));
    Path scenario = settings.home().resolve("chaos-world.yaml");
    try {
      Files.createDirectories(settings.home());
      Files.writeString(scenario, world.scenario());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + scenario, e);
    }
    // A token made for the round: recognisable, so that the checks can look for it everywhere.
    String token = "hcloud-chaos-token-" + UUID.randomUUID().toString().replace("-", "");
    Stack stack =
        new Stack(settings.withScenario(scenario).withProperties(ChaosWorld.properties()))
            .withEnvironment("hcloud-adapter", Map.of("LIFEBOAT_HCLOUD_TOKEN", token));
    stack.up(
        new Stack.Progress() {
          @Override
          public void starting(String component) {}

          @Override
          public void up(String component, Duration took) {}
        });
    try {
      out.accept("  the stack is up (" + world.volumeCount() + " volumes); the round begins");
      ChaosCheck.Verdict verdict;
      try {
        ChaosRound.History history = new ChaosRound(stack, out).play(plan, ROUND_LIMIT);
        verdict = ChaosCheck.judge(history, stack, token);
      } catch (RuntimeException e) {
        // A round that cannot be played or checked is a failed round, and the next one runs.
        verdict = ChaosCheck.unchecked(e);
      }
      verdict.figures().notMoved().forEach(v -> out.accept("  not moved: " + v));
      out.accept("  checks: " + verdict.figures().checkMillis() + " ms");
      verdict
          .violations()
          .forEach(
              (check, broken) ->
                  broken.forEach(b -> out.accept("  VIOLATION " + check + ": " + b)));
      out.accept(
          String.format(
              Locale.ROOT,
              "  round %d: %s; %d volumes moved, %d not (with their reason), %d Hetzner actions,"
                  + " %d junk records, %d dead letters of them; %d violations",
              seed,
              verdict.figures().incidents(),
              verdict.figures().volumesMoved(),
              verdict.figures().volumesFailed(),
              verdict.figures().actions(),
              verdict.figures().junk(),
              verdict.figures().deadLetters(),
              verdict.count()));
      return new Round(plan, verdict, Duration.between(began, Instant.now()));
    } finally {
      stack.down();
      keepLogs(seed);
    }
  }

  /** The round's logs, kept beside the next rounds' in {@code <home>/chaos-logs/round-<seed>/}. */
  private void keepLogs(long seed) {
    Path logs = settings.home().resolve("logs");
    Path kept = settings.home().resolve("chaos-logs").resolve("round-" + seed);
    try {
      Files.createDirectories(kept);
      try (var files = Files.list(logs)) {
        for (Path log : files.toList()) {
          Files.move(
              log,
              kept.resolve(log.getFileName()),
              java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
      out.accept("  the round's logs: " + kept);
    } catch (IOException e) {
      out.accept("  the round's logs could not be kept: " + e.getMessage());
    }
  }

  /** The table of rounds: faults injected by kind, outcomes, violations; then the totals. */
  public static List<String> table(List<Round> rounds) {
    List<String> lines = new ArrayList<>();
    String format = "%-8s %4s %4s %4s %4s %4s %5s %6s %4s %4s %6s %5s %6s %6s %5s %5s %6s";
    lines.add(
        String.format(
            Locale.ROOT,
            format,
            "seed",
            "crsh",
            "hang",
            "del",
            "shut",
            "back",
            "kills",
            "broker",
            "db",
            "k8s",
            "junk",
            "inc",
            "moved",
            "failed",
            "acts",
            "viol",
            "time"));
    int[] totals = new int[15];
    for (Round round : rounds) {
      ChaosPlan plan = round.plan();
      int[] row = {
        losses(plan, LocalApis.Mode.CRASH),
        losses(plan, LocalApis.Mode.HANG),
        losses(plan, LocalApis.Mode.DELETE),
        losses(plan, LocalApis.Mode.SHUTDOWN),
        (int) plan.losses().stream().filter(l -> !l.forGood()).count(),
        faults(plan, ChaosPlan.Kind.KILL_SERVICE),
        faults(plan, ChaosPlan.Kind.KILL_BROKER),
        faults(plan, ChaosPlan.Kind.KILL_DATABASE),
        faults(plan, ChaosPlan.Kind.KUBERNETES_API_DOWN),
        round.verdict().figures().junk(),
        round.verdict().figures().incidents().values().stream().mapToInt(i -> i).sum(),
        round.verdict().figures().volumesMoved(),
        round.verdict().figures().volumesFailed(),
        round.verdict().figures().actions(),
        round.verdict().count()
      };
      for (int i = 0; i < row.length; i++) {
        totals[i] += row[i];
      }
      lines.add(row(format, Long.toString(plan.seed()), row, round.took().toSeconds() + "s"));
    }
    lines.add(row(format, "total", totals, ""));
    return lines;
  }

  private static String row(String format, String first, int[] values, String last) {
    Object[] cells = new Object[values.length + 2];
    cells[0] = first;
    for (int i = 0; i < values.length; i++) {
      cells[i + 1] = Integer.toString(values[i]);
    }
    cells[values.length + 1] = last;
    return String.format(Locale.ROOT, format, cells);
  }

  private static int losses(ChaosPlan plan, LocalApis.Mode mode) {
    return (int) plan.losses().stream().filter(l -> l.forGood() && l.mode() == mode).count();
  }

  private static int faults(ChaosPlan plan, ChaosPlan.Kind kind) {
    return (int) plan.faults().stream().filter(f -> f.kind() == kind).count();
  }
}
