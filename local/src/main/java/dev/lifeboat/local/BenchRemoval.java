package dev.lifeboat.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.events.IncidentId;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code ./lifeboat bench removal}: the nodes of {@link BenchNode}'s world removed on purpose, one
 * after the other ({@code lifeboat.dev/remove=delete}): the time from the request to the node
 * emptied and its server deleted, to the last pod Ready, and the adapter's Hetzner requests per
 * moved volume, by endpoint; the safety rules on the action log after each run.
 */
final class BenchRemoval {

  /** One removal's figures. */
  record Run(
      String node,
      Duration toEmpty,
      Duration toLastReady,
      Duration total,
      int volumes,
      Map<String, Long> requests) {
    long requestCount() {
      return requests.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private BenchRemoval() {}

  /** Removes the world's nodes one by one; 0 when every volume moved and every rule held. */
  static int run(LocalApis apis, int runs, int volumes, PrintStream out) {
    SafetyRules.Start start = SafetyRules.Start.of(apis.hcloudState());
    List<SafetyRules.Planned> planned = new ArrayList<>();
    List<Run> results = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      String node = BenchNode.node(run);
      long server = apis.server(node).orElseThrow().id();
      Instant asked = Instant.now();
      planned.add(new SafetyRules.Planned(server, asked));
      JsonNode annotated = apis.annotateNode(node, "lifeboat.dev/remove", "delete");
      String removal = IncidentId.forRemoval(node, annotated.path("metadata").path("uid").asText());
      JsonNode ended = Failover.awaitEnded(apis, removal, Duration.ofMinutes(5));
      if (!ended.path("status").asText().equals("COMPLETED")) {
        out.printf("run %d: removal %s ended %s%n", run, removal, ended.path("status").asText());
        return 1;
      }
      JsonNode report = Failover.endReport(apis, ended, Duration.ofSeconds(60));
      Map<String, Long> byEndpoint = new TreeMap<>();
      for (JsonNode request : apis.hcloudRequestsSince(asked, Failover.ADAPTER_AGENT)) {
        byEndpoint.merge(request.path("endpoint").asText(), 1L, Long::sum);
      }
      Run figures =
          new Run(
              node,
              Duration.ofMillis(report.path("toEmptyMillis").asLong()),
              Duration.ofMillis(report.path("toLastPodReadyMillis").asLong()),
              Duration.ofMillis(report.path("totalMillis").asLong()),
              ended.path("volumes").size(),
              byEndpoint);
      results.add(figures);
      List<String> violations =
          SafetyRules.violations(start, apis.hcloudState(), List.of(), planned);
      out.printf(
          Locale.ROOT,
          "run %d: %s emptied %.1f s and deleted %.1f s after the request; safety rules on the"
              + " action log: %d violations%n",
          run,
          node,
          figures.toEmpty().toMillis() / 1000.0,
          figures.total().toMillis() / 1000.0,
          violations.size());
      if (!violations.isEmpty() || figures.volumes() != volumes) {
        violations.forEach(out::println);
        return 1;
      }
    }
    report(results).forEach(out::println);
    return 0;
  }

  /** The table: each run, then the median and the requests per moved volume by endpoint. */
  static List<String> report(List<Run> runs) {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "%-8s %-14s %9s %16s %9s %9s %11s",
            "run",
            "node",
            "emptied",
            "last pod Ready",
            "deleted",
            "requests",
            "per volume"));
    for (int i = 0; i < runs.size(); i++) {
      Run run = runs.get(i);
      lines.add(
          String.format(
              Locale.ROOT,
              "%-8d %-14s %8.1fs %15.1fs %8.1fs %9d %11.2f",
              i + 1,
              run.node(),
              run.toEmpty().toMillis() / 1000.0,
              run.toLastReady().toMillis() / 1000.0,
              run.total().toMillis() / 1000.0,
              run.requestCount(),
              run.requestCount() / (double) run.volumes()));
    }
    lines.add(
        String.format(
            Locale.ROOT,
            "%-8s %-14s %8.1fs %15.1fs %8.1fs %9d %11.2f",
            "median",
            "",
            median(runs, r -> (double) r.toEmpty().toMillis()) / 1000.0,
            median(runs, r -> (double) r.toLastReady().toMillis()) / 1000.0,
            median(runs, r -> (double) r.total().toMillis()) / 1000.0,
            Math.round(median(runs, r -> (double) r.requestCount())),
            median(runs, r -> r.requestCount() / (double) r.volumes())));
    lines.add("requests per moved volume by endpoint (median of the runs):");
    TreeMap<String, Long> endpoints = new TreeMap<>();
    runs.forEach(r -> r.requests().keySet().forEach(e -> endpoints.put(e, 0L)));
    for (String endpoint : endpoints.keySet()) {
      lines.add(
          String.format(
              Locale.ROOT,
              "  %-40s %5.2f",
              endpoint,
              median(runs, r -> r.requests().getOrDefault(endpoint, 0L) / (double) r.volumes())));
    }
    return lines;
  }

  private static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> value) {
    return BenchNode.quantile(runs.stream().map(value::applyAsDouble).toList(), 0.5);
  }
}
