package dev.lifeboat.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.local.Chaos;
import dev.lifeboat.local.ChaosPlan;
import dev.lifeboat.local.ChaosWorld;
import dev.lifeboat.local.Ports;
import dev.lifeboat.local.Settings;
import dev.lifeboat.testkit.JarProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The short version of {@code ./lifeboat chaos}: two rounds of fixed seeds on the real processes,
 * each on a fresh stack of the chaos world, between them every way of losing a node and every kind
 * of fault (services, the broker and the database killed, the Kubernetes API gone, the Hetzner API
 * answering badly, junk on every topic); every check must hold. The long version and its figures:
 * docs/reliability.md.
 */
class ChaosIT {

  /** Seeds whose rounds, together, inject every kind of fault and lose nodes in every way. */
  static final List<Long> SEEDS = List.of(1L, 8L);

  /**
   * Junk records per round: a fifth of the long version's, every kind among them, so that the two
   * rounds fit in CI's few minutes (reading the dead letters back is most of a round's checks).
   */
  static final int JUNK = 2_000;

  @Test
  void twoRoundsOfFaultsLoseNothingAndDoNothingTwice() {
    List<ChaosPlan> plans =
        SEEDS.stream().map(seed -> ChaosPlan.of(seed, ChaosWorld.DEFAULT)).toList();
    assertThat(plans.stream().flatMap(p -> p.faults().stream()).map(ChaosPlan.Fault::kind))
        .as("the short version's seeds cover every kind of fault")
        .containsAll(List.of(ChaosPlan.Kind.values()));

    Path module = Path.of("").toAbsolutePath();
    Settings settings =
        new Settings(
            module.getParent(),
            module.resolve("target/chaos-stack"),
            Path.of(System.getProperty("java.home"), "bin", "java"),
            Ports.of(JarProcess::freePort),
            Optional.empty(),
            Map.of(),
            Duration.ofSeconds(240));
    List<Chaos.Round> rounds =
        new Chaos(settings, ChaosWorld.DEFAULT, JUNK, line -> System.out.println("chaos: " + line))
            .run(SEEDS);
    Chaos.table(rounds).forEach(line -> System.out.println("chaos: " + line));

    assertThat(rounds)
        .allSatisfy(
            round -> {
              assertThat(round.verdict().violations())
                  .as("round " + round.plan().seed())
                  .allSatisfy((check, broken) -> assertThat(broken).as(check.toString()).isEmpty());
              assertThat(round.verdict().figures().volumesMoved())
                  .as("volumes moved in round " + round.plan().seed())
                  .isPositive();
              assertThat(round.verdict().figures().deadLetters())
                  .as("dead letters of the junk")
                  .isGreaterThanOrEqualTo(round.verdict().figures().junk() * 8 / 9);
              assertThat(round.verdict().figures().junk()).isEqualTo(JUNK);
            });
  }
}
