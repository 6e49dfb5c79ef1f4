package dev.lifeboat.adapter.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code lifeboat.hcloud.doctor-read-within} outside 1 s to 2 minutes stops the adapter. */
class DoctorReadWithinTest {

  @Test
  void aTimeWithinTheBoundsIsKept() {
    assertThat(DoctorListener.readWithin(Duration.ofSeconds(45))).isEqualTo(Duration.ofSeconds(45));
    assertThat(DoctorListener.readWithin(Duration.ofMinutes(2))).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void aTimeOutsideTheBoundsIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> DoctorListener.readWithin(Duration.ZERO))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("lifeboat.hcloud.doctor-read-within must be between 1s and 2m, not PT0S");
    assertThatThrownBy(() -> DoctorListener.readWithin(Duration.ofMinutes(3)))
        .hasMessageContaining("lifeboat.hcloud.doctor-read-within");
  }
}
