package dev.lifeboat.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchStormTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

  @Test
  void eachRunLosesItsOwnCordonedNodesAndTheSparesHoldEveryVolume() {
    String yaml = BenchStorm.scenario(2, 3, 8);

    assertThat(yaml.lines().filter(l -> l.contains("name: pvc-storm-"))).hasSize(48);
    assertThat(yaml.lines().filter(l -> l.contains("server: storm-2-node-3"))).hasSize(8);
    assertThat(yaml.lines().filter(l -> l.contains("name: storm-") && l.contains("-node-")))
        .hasSize(6)
        .allMatch(l -> l.contains("cordoned: \"true\""));
    assertThat(BenchStorm.spares(2, 3, 8) * 16).isGreaterThanOrEqualTo(2 * 48);
    assertThat(yaml.lines().filter(l -> l.contains("name: storm-spare-")))
        .hasSize(BenchStorm.spares(2, 3, 8));
  }

  @Test
  void theStormMakesActionsInstantAndOpensTheGuardsForEveryVolume() {
    var properties = BenchStorm.properties(10, 8);

    assertThat(properties.get("hcloud-sim"))
        .containsEntry("hcloud-sim.durations.detach", "0s")
        .containsEntry("hcloud-sim.durations.attach", "0s")
        .containsEntry("hcloud-sim.rate-limit.enabled", "false");
    assertThat(properties.get("node-watcher"))
        .containsEntry("lifeboat.watcher.storm.max-lost-share", "1.0");
    assertThat(properties.get("volume-orchestrator"))
        .containsEntry("lifeboat.saga.max-active-flows", "80")
        .containsEntry("lifeboat.saga.max-fencing-share", "1.0");
  }

  @Test
  void theStormsPropertiesAddToTheRunsOwnPerComponent() {
    Settings base =
        Settings.local(Path.of("/repo"), Map.of())
            .withProperties(Map.of("node-watcher", Map.of("lifeboat.watcher.a", "1")));

    Settings storm = base.withProperties(BenchStorm.properties(2, 4));

    assertThat(storm.properties().get("node-watcher"))
        .containsEntry("lifeboat.watcher.a", "1")
        .containsEntry("lifeboat.watcher.storm.max-lost-share", "1.0");
    assertThat(storm.properties().get("volume-orchestrator"))
        .containsEntry("lifeboat.saga.max-active-flows", "8");
    assertThat(base.properties()).doesNotContainKey("hcloud-sim");
  }

  @Test
  void failoversPerSecondCountFromTheFirstDetectionToTheLastPodReadyOverEveryNode() {
    // Killed 0.5 s apart: detected 12 s and 13 s after their kills, last Ready 10 s later each.
    Failover.Outcome first = outcome(T0, 12_000, 10_000, 8);
    Failover.Outcome second = outcome(T0.plusMillis(500), 13_000, 10_000, 8);

    BenchStorm.Storm storm =
        new BenchStorm.Storm(
            T0,
            List.of(first, second),
            List.of(Duration.ofMillis(300), Duration.ofMillis(100), Duration.ofMillis(200)),
            Map.of(
                "DETACH",
                List.of(Duration.ofMillis(60), Duration.ofMillis(20), Duration.ofMillis(40))));

    assertThat(storm.volumes()).isEqualTo(16);
    assertThat(storm.firstDetection().toMillis()).isEqualTo(12_000);
    assertThat(storm.lastReady().toMillis()).isEqualTo(23_500);
    assertThat(storm.perSecond()).isCloseTo(16 / 11.5, org.assertj.core.data.Offset.offset(1e-9));
    List<String> report = BenchStorm.report(List.of(storm));
    assertThat(report.get(report.size() - 4))
        .startsWith("median")
        .contains("12.0s", "23.5s", "1.4");
    assertThat(report)
        .anySatisfy(l -> assertThat(l).startsWith("  DETACH").contains("0.04s", "0.06s"));
    assertThat(report)
        .last()
        .isEqualTo(
            "Lifeboat's own time per moved volume (3 volumes of all runs): median 0.20s, p99"
                + " 0.30s");
  }

  private static Failover.Outcome outcome(
      Instant killedAt, long toDetection, long toReadyAfterDetection, int volumes) {
    ObjectNode report = JSON.createObjectNode();
    report.put("detectedAt", killedAt.plusMillis(toDetection).toString());
    report.put("toLastPodReadyMillis", toReadyAfterDetection);
    report.put("volumesMoved", volumes);
    return new Failover.Outcome(null, killedAt, JSON.createObjectNode(), report, 0);
  }
}
