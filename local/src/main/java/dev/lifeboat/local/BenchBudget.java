package dev.lifeboat.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code budget} benchmark: many volumes to move under the project's real rate limit (a bucket
 * of 3,600 requests refilled at 1 per second, shared by every client of the project), the
 * simulator's default action times. What is measured is how close Lifeboat comes to the fastest the
 * budget allows, and whether it ever runs into the limit (a 429). The nodes are lost at once, as in
 * {@code storm}, with the storm guard and the fencing cap opened (a real loss of this size would
 * wait for a person); the flow limit stays at its default, as it is what keeps the commands in step
 * with the budget. docs/benchmarks.md explains the figures.
 */
final class BenchBudget {

  /** Volumes on each lost node, as in the storm. */
  static final int VOLUMES_PER_NODE = 8;

  private BenchBudget() {}

  /** Nodes lost to have {@code volumes} volumes to move. */
  static int nodes(int volumes) {
    return (volumes + VOLUMES_PER_NODE - 1) / VOLUMES_PER_NODE;
  }

  /** The settings: the storm's guards opened; hcloud-sim keeps its default times and its limit. */
  static Map<String, Map<String, String>> properties(int capacity, double refillPerSecond) {
    Map<String, String> sim = new LinkedHashMap<>();
    sim.put("hcloud-sim.rate-limit.enabled", "true");
    sim.put("hcloud-sim.rate-limit.capacity", Integer.toString(capacity));
    sim.put("hcloud-sim.rate-limit.refill-per-second", Double.toString(refillPerSecond));
    return BenchStorm.guardsOpened(sim, Map.of());
  }

  /** The body of {@code PUT /_sim/settings} that refills the bucket just before the losses. */
  static String fullBucket(int capacity, double refillPerSecond) {
    return String.format(
        Locale.ROOT,
        "{\"rate_limit\": {\"enabled\": true, \"capacity\": %d, \"refill_per_second\": %s}}",
        capacity,
        refillPerSecond);
  }

  /**
   * One run's figures.
   *
   * @param volumes volumes moved
   * @param firstDetection from the kill to the first node declared gone
   * @param lastReady from the kill to the last replacement pod Ready
   * @param capacity the bucket, full at the kill
   * @param refillPerSecond the bucket's refill
   * @param requests every request the API counted against the bucket since the kill (every client:
   *     the adapter, the cloud controller manager), that is every answer but a 429
   * @param adapterRequests the adapter's part of them
   * @param refused answers 429, to any client
   * @param adapterByEndpoint the adapter's requests by endpoint
   */
  record Run(
      int volumes,
      Duration firstDetection,
      Duration lastReady,
      int capacity,
      double refillPerSecond,
      int requests,
      int adapterRequests,
      int refused,
      Map<String, Integer> adapterByEndpoint) {

    static Run of(
        List<Failover.Outcome> outcomes,
        Instant killedAt,
        List<JsonNode> requestsSinceKill,
        int capacity,
        double refillPerSecond) {
      int counted = 0;
      int adapter = 0;
      int refused = 0;
      Map<String, Integer> byEndpoint = new TreeMap<>();
      for (JsonNode request : requestsSinceKill) {
        if (request.path("status").asInt() == 429) {
          refused++;
          continue;
        }
        counted++;
        if (Failover.ADAPTER_AGENT.equals(request.path("user_agent").asText())) {
          adapter++;
          byEndpoint.merge(request.path("endpoint").asText(), 1, Integer::sum);
        }
      }
      return new Run(
          outcomes.stream().mapToInt(Failover.Outcome::volumesMoved).sum(),
          outcomes.stream()
              .map(o -> since(killedAt, o, o.toDetection().orElseThrow()))
              .min(Duration::compareTo)
              .orElseThrow(),
          outcomes.stream()
              .map(o -> since(killedAt, o, o.toLastPodReady().orElseThrow()))
              .max(Duration::compareTo)
              .orElseThrow(),
          capacity,
          refillPerSecond,
          counted,
          adapter,
          refused,
          byEndpoint);
    }

    /**
     * The fastest the budget allows for these requests: what the full bucket cannot pay for, at the
     * refill rate.
     */
    Duration budgetMinimum() {
      return seconds(Math.max(0, requests - capacity) / refillPerSecond);
    }

    /**
     * From the first node declared gone (before it, Lifeboat has nothing to move) to the last pod
     * Ready, over the budget's minimum; 0 when the bucket paid for everything.
     */
    double ratio() {
      Duration minimum = budgetMinimum();
      return minimum.isZero()
          ? 0
          : lastReady.minus(firstDetection).toMillis() / (double) minimum.toMillis();
    }

    double adapterPerVolume() {
      return volumes == 0 ? 0 : adapterRequests / (double) volumes;
    }

    private static Duration since(Instant killedAt, Failover.Outcome o, Duration afterItsKill) {
      return Duration.between(killedAt, o.killedAt()).plus(afterItsKill);
    }

    private static Duration seconds(double seconds) {
      return Duration.ofMillis(Math.round(seconds * 1000));
    }
  }

  /** The table of one run, with the adapter's requests by endpoint. */
  static List<String> report(Run run) {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "%8s %15s %15s %10s %10s %5s %15s %7s",
            "volumes",
            "first detected",
            "last pod Ready",
            "requests",
            "adapter",
            "429",
            "budget minimum",
            "ratio"));
    lines.add(
        String.format(
            Locale.ROOT,
            "%8d %14.1fs %14.1fs %10d %10d %5d %14.1fs %7.2f",
            run.volumes(),
            run.firstDetection().toMillis() / 1000.0,
            run.lastReady().toMillis() / 1000.0,
            run.requests(),
            run.adapterRequests(),
            run.refused(),
            run.budgetMinimum().toMillis() / 1000.0,
            run.ratio()));
    lines.add(
        String.format(
            Locale.ROOT,
            "the adapter's requests per moved volume: %.2f, by endpoint:",
            run.adapterPerVolume()));
    run.adapterByEndpoint()
        .forEach(
            (endpoint, count) ->
                lines.add(
                    String.format(
                        Locale.ROOT,
                        "  %-40s %6.2f",
                        endpoint,
                        count / (double) Math.max(1, run.volumes()))));
    return lines;
  }
}
