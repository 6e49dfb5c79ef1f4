package dev.lifeboat.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.events.permit.FlowSlotsGranted;
import dev.lifeboat.events.permit.FlowSlotsRefused;
import dev.lifeboat.events.permit.FlowSlotsRequested;
import dev.lifeboat.events.permit.FlowSlotsReturned;
import dev.lifeboat.events.permit.PermitMessage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlowSlotsTest {

  private static final Instant T0 = Instant.parse("2026-11-26T03:00:00Z");

  @Test
  void grantedWhatItWantsUpToTheRoomTheOthersLeave() {
    PermitMessage whole = FlowSlots.decide(Map.of("a", 2), request("b", 4, 10, false), T0);
    PermitMessage part = FlowSlots.decide(Map.of("a", 2, "b", 4), request("c", 8, 10, false), T0);

    assertThat(whole)
        .isInstanceOfSatisfying(
            FlowSlotsGranted.class,
            granted -> {
              assertThat(granted.granted()).isEqualTo(4);
              assertThat(granted.othersHeld()).isEqualTo(2);
            });
    assertThat(part)
        .isInstanceOfSatisfying(
            FlowSlotsGranted.class, granted -> assertThat(granted.granted()).isEqualTo(4));
  }

  @Test
  void refusedWhenTheOthersHoldTheLimit() {
    PermitMessage answer = FlowSlots.decide(Map.of("a", 6, "b", 4), request("c", 1, 10, false), T0);

    assertThat(answer)
        .isInstanceOfSatisfying(
            FlowSlotsRefused.class,
            refused -> {
              assertThat(refused.othersHeld()).isEqualTo(10);
              assertThat(refused.limit()).isEqualTo(10);
            });
  }

  @Test
  void whatTheIncidentHeldItselfIsReplacedNotAddedAndAReplayIsAnsweredTheSame() {
    FlowSlotsRequested again = request("a", 4, 6, false);

    PermitMessage first = FlowSlots.decide(Map.of("a", 4, "b", 2), again, T0);
    PermitMessage replayed = FlowSlots.decide(Map.of("a", 4, "b", 2), again, T0);

    assertThat(first)
        .isInstanceOfSatisfying(
            FlowSlotsGranted.class, granted -> assertThat(granted.granted()).isEqualTo(4));
    assertThat(replayed).isEqualTo(first);
  }

  @Test
  void aTopUpNeverTakesAwayWhatTheIncidentHolds() {
    // "a" holds 2 and wants 4; the others took the rest of the room meanwhile.
    PermitMessage full = FlowSlots.decide(Map.of("a", 2, "b", 8), request("a", 4, 10, false), T0);
    PermitMessage fuller = FlowSlots.decide(Map.of("a", 2, "b", 9), request("a", 4, 10, false), T0);
    PermitMessage room = FlowSlots.decide(Map.of("a", 2, "b", 5), request("a", 4, 10, false), T0);

    assertThat(List.of(full, fuller))
        .allSatisfy(
            answer ->
                assertThat(answer)
                    .isInstanceOfSatisfying(
                        FlowSlotsGranted.class, g -> assertThat(g.granted()).isEqualTo(2)));
    assertThat(room)
        .isInstanceOfSatisfying(
            FlowSlotsGranted.class, granted -> assertThat(granted.granted()).isEqualTo(4));
  }

  @Test
  void aPersonsRetryIsGrantedWhatItWantsPastTheLimit() {
    assertThat(FlowSlots.decide(Map.of("a", 10), request("b", 3, 10, true), T0))
        .isInstanceOfSatisfying(
            FlowSlotsGranted.class, granted -> assertThat(granted.granted()).isEqualTo(3));
  }

  @Test
  void anAnswerReplacesTheHoldingAndAReturnOnlyEverLowersOne() {
    assertThat(FlowSlots.heldAfter(new FlowSlotsGranted("g", "a", T0, 3, 0))).contains(3);
    assertThat(FlowSlots.heldAfter(new FlowSlotsRefused("r", "a", T0, 10, 10))).isEmpty();
    assertThat(FlowSlots.heldAfter(4, new FlowSlotsReturned("k", "a", T0, 2))).contains(2);
    assertThat(FlowSlots.heldAfter(4, new FlowSlotsReturned("k", "a", T0, 0))).isEmpty();
    assertThat(FlowSlots.heldAfter(null, new FlowSlotsReturned("k", "a", T0, 2))).isEmpty();
  }

  private static FlowSlotsRequested request(
      String incident, int wanted, int limit, boolean override) {
    return new FlowSlotsRequested("request-of-" + incident, incident, T0, wanted, limit, override);
  }
}
