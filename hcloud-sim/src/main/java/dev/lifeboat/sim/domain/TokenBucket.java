package dev.lifeboat.sim.domain;

import java.time.Instant;

/**
 * Hetzner's rate limit: a bucket of {@code capacity} requests, refilled at a steady rate; a request
 * when it is empty is answered 429.
 */
public final class TokenBucket {

  /** What the bucket says of one request: allowed or not, and the headers to send. */
  public record Decision(boolean allowed, int limit, int remaining, long resetEpochSecond) {}

  private Settings.RateLimit limit;
  private double tokens;
  private Instant refilledAt;

  public TokenBucket(Settings.RateLimit limit, Instant now) {
    reset(limit, now);
  }

  /** Starts over full, with this limit. */
  public synchronized void reset(Settings.RateLimit limit, Instant now) {
    this.limit = limit;
    this.tokens = limit.capacity();
    this.refilledAt = now;
  }

  /** Takes one request from the bucket if it has one. */
  public synchronized Decision take(Instant now) {
    refill(now);
    boolean allowed = !limit.enabled() || tokens >= 1;
    if (allowed && limit.enabled()) {
      tokens -= 1;
    }
    int remaining = limit.enabled() ? (int) Math.floor(tokens) : limit.capacity();
    double secondsToFull = (limit.capacity() - tokens) / limit.refillPerSecond();
    long reset = now.plusMillis((long) Math.ceil(secondsToFull * 1000)).getEpochSecond();
    return new Decision(allowed, limit.capacity(), remaining, reset);
  }

  private void refill(Instant now) {
    if (now.isAfter(refilledAt)) {
      double seconds = (now.toEpochMilli() - refilledAt.toEpochMilli()) / 1000.0;
      tokens = Math.min(limit.capacity(), tokens + seconds * limit.refillPerSecond());
      refilledAt = now;
    }
  }
}
