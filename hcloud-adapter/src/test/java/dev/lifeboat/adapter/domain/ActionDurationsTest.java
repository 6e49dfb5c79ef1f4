package dev.lifeboat.adapter.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ActionDurationsTest {

  private final ActionDurations durations = new ActionDurations();

  @Test
  void nothingIsKnownOfAKindBeforeOneEnded() {
    durations.record("attach_volume", Duration.ofSeconds(3));

    assertThat(durations.median("detach_volume")).isEmpty();
    assertThat(durations.median("attach_volume")).contains(Duration.ofSeconds(3));
  }

  @Test
  void theMedianIsOfEachKindOnItsOwnAndIgnoresAnOutlier() {
    for (long millis : new long[] {2_000, 2_400, 60_000, 2_200, 2_600}) {
      durations.record("detach_volume", Duration.ofMillis(millis));
    }
    durations.record("stop_server", Duration.ofMillis(500));
    durations.record("stop_server", Duration.ofMillis(900));

    assertThat(durations.median("detach_volume")).contains(Duration.ofMillis(2_400));
    assertThat(durations.median("stop_server")).contains(Duration.ofMillis(700));
  }

  @Test
  void onlyTheRecentOnesCountSoAChangeIsFollowed() {
    for (int i = 0; i < ActionDurations.KEPT; i++) {
      durations.record("attach_volume", Duration.ofMillis(300));
    }
    for (int i = 0; i < ActionDurations.KEPT / 2 + 1; i++) {
      durations.record("attach_volume", Duration.ofSeconds(4));
    }

    assertThat(durations.median("attach_volume")).contains(Duration.ofSeconds(4));
  }

  @Test
  void theLongestIsOfTheRecentOnes() {
    assertThat(durations.longest("detach_volume")).isEmpty();
    durations.record("detach_volume", Duration.ofSeconds(9));
    for (int i = 0; i < ActionDurations.KEPT; i++) {
      durations.record("detach_volume", Duration.ofMillis(3_000 + i));
    }

    assertThat(durations.longest("detach_volume"))
        .contains(Duration.ofMillis(3_000 + ActionDurations.KEPT - 1));
  }

  @Test
  void aDurationKnownOnlyAsAtMostCountsTowardsTheMedianNotTheLongest() {
    durations.recordAtMost("detach_volume", Duration.ofMillis(3_400));
    assertThat(durations.longest("detach_volume")).isEmpty();
    assertThat(durations.median("detach_volume")).contains(Duration.ofMillis(3_400));

    durations.record("detach_volume", Duration.ofMillis(3_000));
    durations.record("detach_volume", Duration.ofMillis(3_000));

    assertThat(durations.longest("detach_volume")).contains(Duration.ofMillis(3_000));
    assertThat(durations.median("detach_volume")).contains(Duration.ofMillis(3_000));
  }
}
