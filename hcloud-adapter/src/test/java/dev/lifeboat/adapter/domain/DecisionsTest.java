package dev.lifeboat.adapter.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The observe-then-act rules, without Hetzner. */
class DecisionsTest {

  @Test
  void powerOffIsDoneWhenTheServerIsGoneOrOff() {
    assertThat(Decisions.powerOff(7, null))
        .isEqualTo(new Decision.AlreadyDone("server 7 no longer exists", true));
    assertThat(Decisions.powerOff(7, "off"))
        .isEqualTo(new Decision.AlreadyDone("server 7 status off"));
    assertThat(Decisions.powerOff(7, "running"))
        .isEqualTo(new Decision.Act("POST /servers/7/actions/poweroff", "server 7 status running"));
  }

  @Test
  void deleteIsDoneWhenTheServerIsGone() {
    assertThat(Decisions.deleteServer(7, null)).isInstanceOf(Decision.AlreadyDone.class);
    assertThat(Decisions.deleteServer(7, "off"))
        .isEqualTo(new Decision.Act("DELETE /servers/7", "server 7 status off"));
  }

  @Test
  void detachTouchesOnlyTheFencedServer() {
    assertThat(Decisions.detach(1, 7, false, null))
        .isEqualTo(new Decision.Refuse("volume_not_found", "volume 1 no longer exists"));
    assertThat(Decisions.detach(1, 7, true, null))
        .isEqualTo(new Decision.AlreadyDone("volume 1 is attached to no server"));
    assertThat(Decisions.detach(1, 7, true, 8L))
        .isInstanceOfSatisfying(
            Decision.Refuse.class, r -> assertThat(r.code()).isEqualTo("attached_elsewhere"));
    assertThat(Decisions.detach(1, 7, true, 7L))
        .isEqualTo(
            new Decision.Act("POST /volumes/1/actions/detach", "volume 1 is attached to server 7"));
  }

  @Test
  void attachTakesOnlyAFreeVolume() {
    assertThat(Decisions.attach(1, 9, false, null)).isInstanceOf(Decision.Refuse.class);
    assertThat(Decisions.attach(1, 9, true, 9L))
        .isEqualTo(new Decision.AlreadyDone("volume 1 is already attached to server 9"));
    assertThat(Decisions.attach(1, 9, true, 7L))
        .isInstanceOfSatisfying(
            Decision.Refuse.class, r -> assertThat(r.message()).contains("never detaches"));
    assertThat(Decisions.attach(1, 9, true, null))
        .isEqualTo(
            new Decision.Act(
                "POST /volumes/1/actions/attach {\"server\":9}",
                "volume 1 is attached to no server"));
  }

  @Test
  void errorsAreRetryableOrFinalAsTheOfficialClientsTreatThem() {
    assertThat(HcloudErrors.retryable("locked", 423)).isTrue();
    assertThat(HcloudErrors.retryable("rate_limit_exceeded", 429)).isTrue();
    assertThat(HcloudErrors.retryable("io_error", 0)).isTrue();
    assertThat(HcloudErrors.retryable("something_new", 502)).isTrue();
    assertThat(HcloudErrors.retryable("not_found", 404)).isFalse();
    assertThat(HcloudErrors.retryable("volume_already_attached", 422)).isFalse();
    assertThat(HcloudErrors.retryable("something_new", 400)).isFalse();
    assertThat(HcloudErrors.codeForStatus(504)).isEqualTo("timeout");
  }

  @Test
  void fencingMayUseTheLastRequestAndReadsKeepTheWholeReserve() {
    assertThat(CallPriority.FENCE.keepsInReserve(60)).isZero();
    assertThat(CallPriority.DETACH.keepsInReserve(60)).isEqualTo(20);
    assertThat(CallPriority.ATTACH.keepsInReserve(60)).isEqualTo(40);
    assertThat(CallPriority.READ.keepsInReserve(60)).isEqualTo(60);
  }
}
