package dev.lifeboat.adapter.domain;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How long each kind of Hetzner action took lately (started to finished, as the API reports it), so
 * that the poller asks about an action first around when it is likely to have ended instead of many
 * times before, and when one has run as long as any lately (the longest, for a detach to let the
 * next start, see {@code ServerQueues}). Keeps the last {@value #KEPT} durations per command;
 * thread-safe.
 */
public final class ActionDurations {

  /** Durations kept per command: enough for a stable median, few enough to follow a change. */
  public static final int KEPT = 15;

  /** A duration, exact (started to finished) or only known to be at most this. */
  private record Sample(long millis, boolean exact) {}

  private final Map<String, Deque<Sample>> recent = new HashMap<>();

  /** Records that an action of this command (e.g. {@code attach_volume}) took this long. */
  public void record(String command, Duration took) {
    keep(command, new Sample(Math.max(0, took.toMillis()), true));
  }

  /**
   * Records that an action of this command took at most this long (seen ended, without its finish
   * time): it counts towards the median, not towards the longest.
   */
  public void recordAtMost(String command, Duration took) {
    keep(command, new Sample(Math.max(0, took.toMillis()), false));
  }

  private synchronized void keep(String command, Sample sample) {
    Deque<Sample> kept = recent.computeIfAbsent(command, c -> new ArrayDeque<>());
    if (kept.size() == KEPT) {
      kept.removeFirst();
    }
    kept.addLast(sample);
  }

  /** The median of this command's recent durations; empty before the first one ended. */
  public synchronized Optional<Duration> median(String command) {
    Deque<Sample> kept = recent.get(command);
    if (kept == null || kept.isEmpty()) {
      return Optional.empty();
    }
    long[] sorted = kept.stream().mapToLong(Sample::millis).sorted().toArray();
    int middle = sorted.length / 2;
    long median =
        sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    return Optional.of(Duration.ofMillis(median));
  }

  /**
   * The longest of this command's recent exact durations; empty while none of them is exact. A
   * duration known only as "at most" is an upper bound of its action's, so it does not count.
   */
  public synchronized Optional<Duration> longest(String command) {
    Deque<Sample> kept = recent.get(command);
    if (kept == null) {
      return Optional.empty();
    }
    return kept.stream().filter(Sample::exact).mapToLong(Sample::millis).max().stream()
        .mapToObj(Duration::ofMillis)
        .findFirst();
  }
}
