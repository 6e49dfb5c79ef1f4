package dev.lifeboat.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.hcloud.AttachVolume;
import dev.lifeboat.events.saga.IncidentCancelled;
import dev.lifeboat.events.saga.IncidentCompleted;
import dev.lifeboat.events.saga.IncidentPartial;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rules the saga never breaks, each checked over 1,000 random worlds (seeded: a failure names
 * its seed; run one with {@code -Dlifeboat.saga.seed=N}, more worlds with {@code
 * -Dlifeboat.saga.worlds=N}). {@link SagaWorld} is a model of Hetzner and the cluster that the
 * commands act on, and checks the rules after every call of the saga and every change of that
 * world: no command that touches the volumes or pods before the fence succeeded, no detach from a
 * running server, no pod released while its volume is on a running server, no volume on two
 * servers, no attach across locations, at most one outstanding mutating command per volume,
 * duplicate or late results change nothing, every outstanding command has a deadline, every volume
 * called moved is on its pod's server. This test adds that every saga ends, and ends consistently.
 */
class SagaRulesTest {

  /** 1,000 by default; more with {@code -Dlifeboat.saga.worlds=N} (a multiple of 100). */
  private static final int WORLDS = Integer.getInteger("lifeboat.saga.worlds", 1_000);

  private static final int BATCH = 100;

  static Stream<Long> batches() {
    String one = System.getProperty("lifeboat.saga.seed");
    if (one != null) {
      return Stream.of(Long.parseLong(one));
    }
    return LongStream.range(0, WORLDS / BATCH).map(b -> b * BATCH + 1).boxed();
  }

  private static List<Long> seeds(long first) {
    long count = System.getProperty("lifeboat.saga.seed") != null ? 1 : BATCH;
    return LongStream.range(first, first + count).boxed().toList();
  }

  @ParameterizedTest(name = "worlds {0} to {0}+99")
  @MethodSource("batches")
  void everySagaReachesATerminalStateWithoutBreakingARule(long first) {
    for (long seed : seeds(first)) {
      SagaWorld world = new SagaWorld(seed);
      IncidentState end = world.run();

      assertThat(end).as(world.fail("no incident was opened")).isNotNull();
      assertThat(end.status().terminal()).as(world.fail("status " + end.status())).isTrue();
      LifeboatMessage last =
          world.sent().stream()
              .filter(
                  m ->
                      m instanceof IncidentCompleted
                          || m instanceof IncidentPartial
                          || m instanceof IncidentCancelled)
              .reduce((a, b) -> b)
              .orElseThrow(() -> new AssertionError(world.fail("no terminal event")));
      switch (end.status()) {
        case COMPLETED ->
            assertThat(last).as(world.fail("terminal event")).isInstanceOf(IncidentCompleted.class);
        case PARTIAL ->
            assertThat(last).as(world.fail("terminal event")).isInstanceOf(IncidentPartial.class);
        default ->
            assertThat(last).as(world.fail("terminal event")).isInstanceOf(IncidentCancelled.class);
      }
    }
  }

  @ParameterizedTest(name = "worlds {0} to {0}+99")
  @MethodSource("batches")
  void everyMovedVolumeWasAttachedInItsLocationAfterTheFence(long first) {
    for (long seed : seeds(first)) {
      SagaWorld world = new SagaWorld(seed);
      IncidentState end = world.run();

      for (VolumeFlow flow : end.volumes()) {
        if (flow.phase() == Phase.MOVED) {
          assertThat(end.fenced()).as(world.fail("moved without fence")).isTrue();
          assertThat(
                  world.sent().stream()
                      .filter(m -> m instanceof AttachVolume a && a.volumeId() == flow.volumeId())
                      .map(m -> ((AttachVolume) m).serverId()))
              .as(world.fail("attach of moved volume " + flow.volumeId()))
              .contains(flow.targetServer());
        }
        if (flow.volume().skipped() != null) {
          assertThat(
                  world.sent().stream()
                      .anyMatch(
                          m -> m instanceof AttachVolume a && a.volumeId() == flow.volumeId()))
              .as(world.fail("a skipped volume was touched"))
              .isFalse();
        }
      }
    }
  }
}
