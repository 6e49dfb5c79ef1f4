package dev.lifeboat.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.events.permit.FencePermitGranted;
import dev.lifeboat.events.permit.FencePermitRefused;
import dev.lifeboat.events.permit.FencePermitRequested;
import dev.lifeboat.events.permit.PermitMessage;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FencingPermitsTest {

  private static final Instant T0 = Instant.parse("2026-11-26T03:00:00Z");

  @Test
  void grantedBelowTheCapRefusedAtItNamingTheHolders() {
    PermitMessage second = FencingPermits.decide(Set.of("a"), request("b", 2, false), T0);
    PermitMessage third = FencingPermits.decide(Set.of("a", "b"), request("c", 2, false), T0);

    assertThat(second).isInstanceOf(FencePermitGranted.class);
    assertThat(((FencePermitGranted) second).others()).containsExactly("a");
    assertThat(third).isInstanceOf(FencePermitRefused.class);
    assertThat(((FencePermitRefused) third).others()).containsExactly("a", "b");
    assertThat(((FencePermitRefused) third).cap()).isEqualTo(2);
  }

  @Test
  void aHolderAskingAgainIsGrantedAgainWithTheSameAnswerId() {
    FencePermitRequested again = request("a", 1, false);

    PermitMessage first = FencingPermits.decide(Set.of("a"), again, T0);
    PermitMessage replayed = FencingPermits.decide(Set.of("a"), again, T0);

    assertThat(first).isInstanceOf(FencePermitGranted.class);
    assertThat(replayed.messageId()).isEqualTo(first.messageId());
  }

  @Test
  void aPersonsOverrideIsGrantedPastTheCap() {
    assertThat(FencingPermits.decide(Set.of("a", "b"), request("c", 1, true), T0))
        .isInstanceOf(FencePermitGranted.class);
  }

  private static FencePermitRequested request(String incident, int cap, boolean override) {
    return new FencePermitRequested(
        "request-of-" + incident, incident, T0, "node-of-" + incident, cap, override);
  }
}
