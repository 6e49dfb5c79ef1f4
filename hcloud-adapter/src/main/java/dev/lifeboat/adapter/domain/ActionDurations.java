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
 * times before. Keeps the last {@value #KEPT} durations per command; thread-safe.
 */
public final class ActionDurations {

  /** Durations kept per command: enough for a stable median, few enough to follow a change. */
  public static final int KEPT = 15;

  private final Map<String, Deque<Long>> recent = new HashMap<>();

  /** Records that an action of this command (e.g. {@code attach_volume}) took this long. */
  public synchronized void record(String command, Duration took) {
    Deque<Long> kept = recent.computeIfAbsent(command, c -> new ArrayDeque<>());
    if (kept.size() == KEPT) {
      kept.removeFirst();
    }
    kept.addLast(Math.max(0, took.toMillis()));
  }

  /** The median of this command's recent durations; empty before the first one ended. */
  public synchronized Optional<Duration> median(String command) {
    Deque<Long> kept = recent.get(command);
    if (kept == null || kept.isEmpty()) {
      return Optional.empty();
    }
    long[] sorted = kept.stream().mapToLong(Long::longValue).sorted().toArray();
    int middle = sorted.length / 2;
    long median =
        sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    return Optional.of(Duration.ofMillis(median));
  }
}
