package dev.lifeboat.orchestrator.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;

/**
 * Timeout and retry of one step: exponential backoff with jitter, up to a number of attempts.
 *
 * @param timeout how long one attempt may wait for its result
 * @param maxAttempts attempts in all, the first included
 * @param initialBackoff the wait before the second attempt
 * @param maxBackoff the longest wait between attempts
 * @param jitter the share (0 to 1) of a wait that is randomly taken off, so that retries of many
 *     volumes do not fire together
 */
public record StepPolicy(
    Duration timeout,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    double jitter) {

  public StepPolicy {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "backoff must satisfy 0 <= initial <= max, was " + initialBackoff + ", " + maxBackoff);
    }
    if (jitter < 0 || jitter > 1) {
      throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
    }
  }

  /**
   * A step retried for at least {@code patience} (the backoffs without jitter add up to it), such
   * as an eviction a PodDisruptionBudget refuses until another pod of the set is Ready again.
   */
  public static StepPolicy patient(
      Duration timeout,
      Duration patience,
      Duration initialBackoff,
      Duration maxBackoff,
      double jitter) {
    StepPolicy probe = new StepPolicy(timeout, 1, initialBackoff, maxBackoff, 0);
    Duration waited = Duration.ZERO;
    int attempts = 1;
    while (waited.compareTo(patience) < 0 && attempts < 10_000) {
      Duration next = probe.backoff(attempts, "");
      if (next.isZero()) {
        break; // no backoff at all: a single attempt more would not wait either
      }
      waited = waited.plus(next);
      attempts++;
    }
    return new StepPolicy(timeout, attempts, initialBackoff, maxBackoff, jitter);
  }

  /**
   * The wait after a failed attempt. The jitter is drawn from {@code seed} (the failed command's
   * id), not from a random source, so a replayed saga waits exactly as long as the first time.
   */
  public Duration backoff(int failedAttempt, String seed) {
    long initial = initialBackoff.toMillis();
    long exponential = failedAttempt >= 31 ? Long.MAX_VALUE : initial << (failedAttempt - 1);
    long capped = Math.min(exponential < 0 ? Long.MAX_VALUE : exponential, maxBackoff.toMillis());
    return Duration.ofMillis(capped - Math.round(capped * jitter * unitFraction(seed)));
  }

  private static double unitFraction(String seed) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
      long bits = 0;
      for (int i = 0; i < 7; i++) {
        bits = (bits << 8) | (hash[i] & 0xff);
      }
      return bits / (double) (1L << 56);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
