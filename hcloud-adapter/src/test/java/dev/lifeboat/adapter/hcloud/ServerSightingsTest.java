package dev.lifeboat.adapter.hcloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerSightingsTest {

  private Instant now = Instant.parse("2026-12-02T10:00:00Z");
  private final Clock clock =
      new Clock() {
        @Override
        public ZoneOffset getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };
  private final ServerSightings sightings = new ServerSightings(Duration.ofSeconds(10), clock);

  private static HcloudDtos.Server server(long id, String status, boolean locked, Long... volumes) {
    return new HcloudDtos.Server(id, "s" + id, status, locked, List.of(volumes), null);
  }

  @Test
  void aReadServesUntilItIsOlderThanTheMaxAge() {
    sightings.seen(server(7, "off", false, 1L, 2L), sightings.now());

    now = now.plusSeconds(10);
    assertThat(sightings.recent(7)).map(HcloudDtos.Server::status).contains("off");
    now = now.plusMillis(1);
    assertThat(sightings.recent(7)).isEmpty();
  }

  @Test
  void aSightingAgesFromWhenItsReadWasAskedNotAnswered() {
    long asked = sightings.now();
    now = now.plusMillis(1500); // the answer held up on its way
    sightings.seen(server(7, "off", false, 1L), asked);

    now = now.plusMillis(8500);
    assertThat(sightings.recent(7)).as("10 s after the ask").isPresent();
    now = now.plusMillis(1);
    assertThat(sightings.recent(7)).as("10 s after the ask and more").isEmpty();
  }

  @Test
  void aLockedServerOrOneWhoseCallFailedIsReadAgain() {
    sightings.seen(server(7, "off", true, 1L), sightings.now());
    sightings.seen(server(8, "off", false, 2L), sightings.now());

    sightings.forget(8);

    assertThat(sightings.recent(7)).as("locked when read").isEmpty();
    assertThat(sightings.recent(8)).as("forgotten").isEmpty();
  }

  @Test
  void anOwnDetachTakesTheVolumeOffTheSightingAndFreesItForOneAttach() {
    sightings.seen(server(7, "off", false, 1L, 2L), sightings.now());
    now = now.plusSeconds(3);

    sightings.detached(7, 1);

    assertThat(sightings.recent(7)).map(HcloudDtos.Server::volumes).contains(List.of(2L));
    now = now.plusSeconds(7).plusMillis(1);
    assertThat(sightings.recent(7)).as("the detach does not make the read younger").isEmpty();
    assertThat(sightings.takeFreed(1)).isTrue();
    assertThat(sightings.takeFreed(1)).as("known once").isFalse();
    assertThat(sightings.takeFreed(2)).as("never detached here").isFalse();
  }

  @Test
  void aFreedVolumeIsForgottenAfterTenMinutes() {
    sightings.detached(7, 1);
    now = now.plus(ServerSightings.FREED_FOR).plusSeconds(1);

    assertThat(sightings.takeFreed(1)).isFalse();
  }

  @Test
  void atZeroNothingIsKept() {
    ServerSightings off = new ServerSightings(Duration.ZERO, clock);
    off.seen(server(7, "off", false, 1L), off.now());
    off.detached(7, 1);

    assertThat(off.enabled()).isFalse();
    assertThat(off.recent(7)).isEmpty();
    assertThat(off.takeFreed(1)).isFalse();
  }

  @Test
  void anAgeOutOfRangeStopsTheStartNamingTheKey() {
    for (Duration bad : List.of(Duration.ofSeconds(-1), Duration.ofSeconds(31))) {
      assertThatThrownBy(() -> new ServerSightings(bad, clock))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("lifeboat.hcloud.sighting-max-age")
          .hasMessageContaining(bad.toString());
    }
  }
}
