package dev.lifeboat.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** A chaos round's plan: made from its seed alone, within the bounds the checks rely on. */
class ChaosPlanTest {

  private static final ChaosWorld WORLD = ChaosWorld.DEFAULT;
  private static final List<ChaosPlan> TWENTY =
      LongStream.rangeClosed(1, 20).mapToObj(seed -> ChaosPlan.of(seed, WORLD)).toList();

  @Test
  void theSameSeedMakesTheSameRoundAndOtherSeedsOthers() {
    assertThat(ChaosPlan.of(7, WORLD)).isEqualTo(ChaosPlan.of(7, WORLD));
    assertThat(new HashSet<>(TWENTY.stream().map(ChaosPlan::describe).toList())).hasSize(20);
  }

  @Test
  void twentyRoundsLoseNodesInEveryWayAndInjectEveryKindOfFault() {
    Set<LocalApis.Mode> modes = EnumSet.noneOf(LocalApis.Mode.class);
    Set<ChaosPlan.Kind> kinds = EnumSet.noneOf(ChaosPlan.Kind.class);
    Set<String> killed = new HashSet<>();
    for (ChaosPlan plan : TWENTY) {
      plan.losses().stream().filter(ChaosPlan.Loss::forGood).forEach(l -> modes.add(l.mode()));
      plan.faults().forEach(f -> kinds.add(f.kind()));
      plan.faults().stream()
          .filter(f -> f.kind() == ChaosPlan.Kind.KILL_SERVICE)
          .forEach(f -> killed.add(f.component()));
    }
    assertThat(modes).containsExactlyInAnyOrder(LocalApis.Mode.values());
    assertThat(kinds).containsExactlyInAnyOrder(ChaosPlan.Kind.values());
    assertThat(killed).containsExactlyInAnyOrderElementsOf(ChaosPlan.SERVICES);
    assertThat(TWENTY).anySatisfy(plan -> assertThat(plan.losses()).anyMatch(l -> !l.forGood()));
  }

  /**
   * Each round loses 2 to 4 distinct workers for good, fewer than the storm guard's third, so that
   * every loss is an incident that must end; a hang that comes back answers before the world's
   * suspicion time, so that it is no loss.
   */
  @Test
  void everyRoundStaysWithinWhatTheWorldMustAbsorb() {
    Duration suspect =
        Duration.ofSeconds(
            Long.parseLong(
                ChaosWorld.properties()
                    .get("node-watcher")
                    .get("lifeboat.watcher.lease-suspect")
                    .replace("s", "")));
    for (ChaosPlan plan : TWENTY) {
      List<ChaosPlan.Loss> forGood =
          plan.losses().stream().filter(ChaosPlan.Loss::forGood).toList();
      assertThat(forGood).hasSizeBetween(2, 4);
      assertThat(forGood.size()).isLessThan(WORLD.workerNames().size() / 3);
      assertThat(plan.losses().stream().map(ChaosPlan.Loss::node).distinct())
          .hasSameSizeAs(plan.losses());
      assertThat(plan.losses())
          .allSatisfy(
              loss -> {
                assertThat(WORLD.workerNames()).contains(loss.node());
                loss.backAfter()
                    .ifPresent(
                        back -> {
                          assertThat(loss.mode()).isEqualTo(LocalApis.Mode.HANG);
                          assertThat(back).isLessThan(suspect);
                        });
              });
      assertThat(plan.faults())
          .allSatisfy(f -> assertThat(f.at().plus(f.pause())).isLessThan(Duration.ofMinutes(1)));
      assertThat(plan.faults()).filteredOn(f -> f.kind() == ChaosPlan.Kind.JUNK).hasSize(1);
      assertThat(plan.junk()).isEqualTo(ChaosPlan.JUNK);
    }
  }

  @Test
  void theWorldHasTensOfNodesAndOneToTwoHundredVolumes() {
    assertThat(WORLD.workerNames()).hasSizeBetween(20, 60);
    assertThat(WORLD.volumeCount()).isBetween(100, 200);
    assertThat(WORLD.scenario())
        .contains("name: chaos-fsn1-1,", "name: chaos-nbg1-12,", "name: pvc-db-nbg1-12-5,");
  }
}
