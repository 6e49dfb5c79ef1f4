package dev.lifeboat.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchBudgetTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant KILL = Instant.parse("2026-12-02T10:00:00Z");

  @Test
  void theLimitStaysOnAndOnlyTheGuardsForAPersonAreOpened() {
    var properties = BenchBudget.properties(360, 1.0);

    assertThat(properties.get("hcloud-sim"))
        .containsEntry("hcloud-sim.rate-limit.enabled", "true")
        .containsEntry("hcloud-sim.rate-limit.capacity", "360")
        .doesNotContainKey("hcloud-sim.durations.detach");
    assertThat(properties.get("volume-orchestrator"))
        .containsEntry("lifeboat.saga.max-fencing-share", "1.0")
        .doesNotContainKey("lifeboat.saga.max-active-flows");
    assertThat(BenchBudget.nodes(2000)).isEqualTo(250);
    assertThat(BenchBudget.nodes(201)).isEqualTo(26);
    assertThat(BenchBudget.fullBucket(360, 0.5))
        .isEqualTo(
            "{\"rate_limit\": {\"enabled\": true, \"capacity\": 360, \"refill_per_second\": 0.5}}");
  }

  @Test
  void theMinimumIsWhatTheFullBucketCannotPayForAtTheRefillAndA429CostsNothing() throws Exception {
    List<JsonNode> requests = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      requests.add(request("lifeboat-hcloud-adapter", "GET /actions", 200));
    }
    for (int i = 0; i < 80; i++) {
      requests.add(request("lifeboat-cluster-sim", "GET /servers", 200));
    }
    requests.add(request("lifeboat-hcloud-adapter", "GET /actions", 429));

    BenchBudget.Run run =
        BenchBudget.Run.of(
            List.of(outcome(0, 12, 40_000, 8), outcome(1, 14, 110_000, 8)),
            KILL,
            requests,
            360,
            1.0);

    assertThat(run.volumes()).isEqualTo(16);
    assertThat(run.requests()).isEqualTo(480);
    assertThat(run.adapterRequests()).isEqualTo(400);
    assertThat(run.refused()).isEqualTo(1);
    assertThat(run.firstDetection()).isEqualTo(Duration.ofSeconds(12));
    assertThat(run.lastReady()).isEqualTo(Duration.ofSeconds(1 + 14 + 110));
    assertThat(run.budgetMinimum()).isEqualTo(Duration.ofSeconds(120));
    // 12 s to 125 s: 113 s against 120 s.
    assertThat(run.ratio()).isCloseTo(113 / 120.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(run.adapterPerVolume()).isEqualTo(25.0);
    assertThat(BenchBudget.report(run))
        .anySatisfy(l -> assertThat(l).contains("16", "480", "400", "120.0s", "0.94"))
        .anySatisfy(l -> assertThat(l).contains("GET /actions").endsWith("25.00"));
  }

  @Test
  void aBucketThatPaidForEverythingHasNoMinimumToCompareWith() throws Exception {
    BenchBudget.Run run =
        BenchBudget.Run.of(
            List.of(outcome(0, 12, 30_000, 8)),
            KILL,
            List.of(request("lifeboat-hcloud-adapter", "GET /actions", 200)),
            3600,
            1.0);

    assertThat(run.budgetMinimum()).isZero();
    assertThat(run.ratio()).isZero();
  }

  /** A node lost {@code afterKill} s after the kill, declared and back after these times. */
  private static Failover.Outcome outcome(int afterKill, int detected, long readyMillis, int moved)
      throws Exception {
    Instant killedAt = KILL.plusSeconds(afterKill);
    return new Failover.Outcome(
        new LocalApis.Server(1, "n", "off", "fsn1"),
        killedAt,
        JSON.createObjectNode(),
        JSON.readTree(
            "{\"detectedAt\": \""
                + killedAt.plusSeconds(detected)
                + "\", \"toLastPodReadyMillis\": "
                + readyMillis
                + ", \"volumesMoved\": "
                + moved
                + "}"),
        0);
  }

  private static JsonNode request(String agent, String endpoint, int status) {
    return JSON.createObjectNode()
        .put("user_agent", agent)
        .put("endpoint", endpoint)
        .put("status", status);
  }
}
