package dev.lifeboat.adapter.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PollPlanTest {

  private static final long SLACK = 2_000;

  private static PollPlan.Waiting attach(long askAt) {
    return new PollPlan.Waiting(askAt, true);
  }

  private static PollPlan.Waiting detach(long askAt) {
    return new PollPlan.Waiting(askAt, false);
  }

  @Test
  void anAttachDueShortlyBeforeADetachIsAskedAboutWithIt() {
    assertThat(PollPlan.next(List.of(attach(4_500), detach(6_000)), SLACK)).isEqualTo(6_000);
  }

  @Test
  void anAttachWithNoDetachDueWithinTheSlackIsAskedAboutOnTime() {
    assertThat(PollPlan.next(List.of(attach(4_500), detach(6_501)), SLACK)).isEqualTo(4_500);
    assertThat(PollPlan.next(List.of(attach(4_500)), SLACK)).as("the last one").isEqualTo(4_500);
    assertThat(PollPlan.next(List.of(attach(4_500), detach(4_000)), SLACK))
        .as("a detach due earlier is polled first; the attach is then re-planned")
        .isEqualTo(4_000);
  }

  @Test
  void detachesAndFencesNeverWait() {
    assertThat(PollPlan.next(List.of(detach(3_000), detach(4_000), attach(900)), SLACK))
        .as("the attach is due more than the slack before the first detach: on time")
        .isEqualTo(900);
    assertThat(PollPlan.next(List.of(detach(3_000), detach(2_500)), SLACK)).isEqualTo(2_500);
  }

  @Test
  void aSlackOutOfRangeStopsTheStartNamingTheKey() {
    for (Duration bad : List.of(Duration.ofMillis(-1), Duration.ofSeconds(31))) {
      assertThatThrownBy(() -> PollPlan.slackMillis(bad))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("lifeboat.hcloud.poll.attach-slack")
          .hasMessageContaining(bad.toString());
    }
    assertThat(PollPlan.slackMillis(Duration.ofMillis(3_500))).isEqualTo(3_500);
  }

  @Test
  void nothingWaitedOnIsNoPoll() {
    assertThat(PollPlan.next(List.of(), SLACK)).isEqualTo(Long.MAX_VALUE);
  }
}
