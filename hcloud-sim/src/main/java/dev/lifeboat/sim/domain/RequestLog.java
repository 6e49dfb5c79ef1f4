package dev.lifeboat.sim.domain;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every request the API answered: counters per endpoint and status (benchmarks count Hetzner
 * requests from them) and the most recent requests in order.
 */
public final class RequestLog {

  /** How many recent requests are kept. */
  public static final int KEPT = 50_000;

  /**
   * One answered request.
   *
   * @param userAgent the client's User-Agent (which client asked: the adapter, the cluster
   *     simulator's CCM and CSI attacher, the CLI), null when it sent none
   */
  public record Entry(
      Instant at, String method, String path, String endpoint, int status, String userAgent) {}

  /** The log as the admin API shows it. */
  public record Snapshot(
      long total, Map<String, Map<Integer, Long>> byEndpoint, List<Entry> recent) {}

  private final Map<String, Map<Integer, Long>> counters = new TreeMap<>();
  private final Deque<Entry> recent = new ArrayDeque<>();
  private long total;

  /** Records an answered request. */
  public synchronized void record(Entry entry) {
    total++;
    counters
        .computeIfAbsent(entry.endpoint(), e -> new TreeMap<>())
        .merge(entry.status(), 1L, Long::sum);
    recent.addLast(entry);
    if (recent.size() > KEPT) {
      recent.removeFirst();
    }
  }

  /** Forgets everything. */
  public synchronized void clear() {
    counters.clear();
    recent.clear();
    total = 0;
  }

  /** A copy of the log. */
  public synchronized Snapshot snapshot() {
    Map<String, Map<Integer, Long>> copy = new TreeMap<>();
    counters.forEach((endpoint, byStatus) -> copy.put(endpoint, new TreeMap<>(byStatus)));
    return new Snapshot(total, copy, new ArrayList<>(recent));
  }
}
