package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.permit.BudgetReported;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;

/**
 * How many volume flows the project's Hetzner budget carries now. Each flow spends about {@code
 * requestsPerVolume} requests; the flows held at once should be paid for by what is left in the
 * bucket plus what the refill brings within {@code horizon}, so that none of their commands waits
 * for the budget past its step's deadline. While the budget is plentiful (no report, a report that
 * says it is not short, or one older than {@link #STALE_AFTER}: the adapter reports every 5 s while
 * it is short) it sets no limit. docs/design.md, "The budget sets the pace".
 *
 * @param requestsPerVolume the Hetzner requests one moved volume costs (measured: 2.75 to 3.50,
 *     docs/benchmarks.md)
 * @param horizon how soon the flows admitted should have been paid for; well under the Hetzner
 *     steps' timeouts
 */
public record BudgetShare(int requestsPerVolume, Duration horizon) {

  /** A report older than this says nothing any longer (the adapter stopped or was cut off). */
  public static final Duration STALE_AFTER = Duration.ofSeconds(30);

  public BudgetShare {
    if (requestsPerVolume < 1) {
      throw new IllegalArgumentException(
          "requestsPerVolume must be at least 1, was " + requestsPerVolume);
    }
    if (horizon.isNegative() || horizon.isZero()) {
      throw new IllegalArgumentException("horizon must be positive, was " + horizon);
    }
  }

  /**
   * The flows the budget carries according to the report, at least one; empty when it sets no
   * limit. The refill counted is the share this adapter got over the last minute while calls waited
   * (other clients spend the same budget), else the API's whole refill.
   */
  public OptionalInt flowLimit(BudgetReported report, Instant now) {
    if (report == null
        || !report.constrained()
        || report.occurredAt().plus(STALE_AFTER).isBefore(now)) {
      return OptionalInt.empty();
    }
    double rate =
        report.waiting() > 0
            ? Math.min(report.servedPerSecond(), report.refillPerSecond())
            : report.refillPerSecond();
    double affordable = Math.max(0, report.remaining()) + rate * horizon.toMillis() / 1000.0;
    return OptionalInt.of(Math.max(1, (int) Math.floor(affordable / requestsPerVolume)));
  }
}
