package dev.lifeboat.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.events.permit.BudgetReported;
import dev.lifeboat.events.permit.FlowSlotsGranted;
import dev.lifeboat.events.permit.FlowSlotsRefused;
import dev.lifeboat.events.permit.FlowSlotsRequested;
import dev.lifeboat.events.permit.PermitMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The flows a short Hetzner budget carries, and the flow slots it holds back. */
class BudgetShareTest {

  private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
  private static final BudgetShare SHARE = new BudgetShare(4, Duration.ofSeconds(45));

  @Test
  void aPlentifulBudgetNoReportOrAnOldOneSetNoLimit() {
    assertThat(SHARE.flowLimit(null, T0)).isEmpty();
    assertThat(SHARE.flowLimit(report(3000, 1.0, 0.2, 0, false, T0), T0)).isEmpty();
    assertThat(SHARE.flowLimit(report(0, 1.0, 0.5, 40, true, T0.minusSeconds(31)), T0)).isEmpty();
  }

  @Test
  void whileCallsWaitTheShareTheAdapterGotIsWhatTheRefillBrings() {
    // Nothing left; the adapter got half of the refill (another client spends the rest):
    // 0.5/s over 45 s pays for 22 requests, 5 flows at 4 each.
    assertThat(SHARE.flowLimit(report(0, 1.0, 0.5, 12, true, T0.minusSeconds(5)), T0)).hasValue(5);
    // Without waiting calls the whole refill counts, and what is left in the bucket too.
    assertThat(SHARE.flowLimit(report(100, 1.0, 3.0, 0, true, T0), T0)).hasValue(36);
    // Even an almost dry budget lets one flow go.
    assertThat(SHARE.flowLimit(report(0, 1.0, 0.01, 5, true, T0), T0)).hasValue(1);
  }

  @Test
  void theBudgetsLimitHoldsBackGrantsBelowTheConfiguredOneButNotAPersonsOverride() {
    OptionalInt budget = SHARE.flowLimit(report(0, 1.0, 0.5, 12, true, T0), T0);

    PermitMessage part = FlowSlots.decide(Map.of("a", 2), request("b", 8, false), T0, budget);
    PermitMessage none = FlowSlots.decide(Map.of("a", 5), request("b", 8, false), T0, budget);
    PermitMessage person = FlowSlots.decide(Map.of("a", 5), request("b", 8, true), T0, budget);

    assertThat(part)
        .isInstanceOfSatisfying(
            FlowSlotsGranted.class, granted -> assertThat(granted.granted()).isEqualTo(3));
    assertThat(none)
        .isInstanceOfSatisfying(
            FlowSlotsRefused.class, refused -> assertThat(refused.limit()).isEqualTo(5));
    assertThat(person)
        .isInstanceOfSatisfying(
            FlowSlotsGranted.class, granted -> assertThat(granted.granted()).isEqualTo(8));
    assertThat(FlowSlots.decide(Map.of("a", 5), request("b", 8, false), T0, OptionalInt.empty()))
        .isInstanceOfSatisfying(
            FlowSlotsGranted.class, granted -> assertThat(granted.granted()).isEqualTo(8));
  }

  @Test
  void aShareThatCannotCountIsRefused() {
    assertThatThrownBy(() -> new BudgetShare(0, Duration.ofSeconds(45)))
        .hasMessageContaining("requestsPerVolume");
    assertThatThrownBy(() -> new BudgetShare(4, Duration.ZERO)).hasMessageContaining("horizon");
  }

  private static BudgetReported report(
      int remaining, double refill, double served, int waiting, boolean constrained, Instant at) {
    return new BudgetReported(
        "m-" + at.toEpochMilli(),
        PermitMessage.AUTHORITY_KEY,
        at,
        remaining,
        3600,
        refill,
        served,
        waiting,
        constrained);
  }

  private static FlowSlotsRequested request(String incident, int wanted, boolean override) {
    return new FlowSlotsRequested("r-" + incident, incident, T0, wanted, 32, override);
  }
}
