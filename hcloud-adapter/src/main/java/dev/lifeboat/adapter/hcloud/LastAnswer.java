package dev.lifeboat.adapter.hcloud;

import jakarta.inject.Singleton;
import java.time.Clock;

/** When the Hetzner API last answered, and with which status: what readiness is judged by. */
@Singleton
public class LastAnswer {

  private final Clock clock;
  private volatile long atMillis;
  private volatile int status;

  LastAnswer(Clock clock) {
    this.clock = clock;
  }

  /** Records an answer. */
  void record(int httpStatus) {
    status = httpStatus;
    atMillis = clock.millis();
  }

  /** The last answer's status; 0 before any. */
  int status() {
    return status;
  }

  /** Milliseconds since the last answer. */
  long ageMillis() {
    return clock.millis() - atMillis;
  }
}
