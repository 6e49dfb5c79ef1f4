package dev.lifeboat.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchNodeTest {

  @Test
  void theWorldHasEachRunsNodeCordonedWithItsVolumesAndSparesWithRoom() {
    String yaml = BenchNode.scenario(3, 8);

    assertThat(yaml.lines().filter(l -> l.contains("name: pvc-bench-"))).hasSize(24);
    assertThat(yaml.lines().filter(l -> l.contains("server: bench-node-2"))).hasSize(8);
    assertThat(yaml.lines().filter(l -> l.contains("name: bench-node-")))
        .hasSize(3)
        .allMatch(l -> l.contains("cordoned: \"true\""));
    assertThat(yaml.lines().filter(l -> l.contains("name: bench-spare-")))
        .hasSize(BenchNode.spares(3))
        .noneMatch(l -> l.contains("cordoned"));
  }

  @Test
  void theMedianInterpolatesAndP99IsTheNearestRank() {
    assertThat(BenchNode.quantile(List.of(4.0, 1.0, 3.0, 2.0), 0.5)).isEqualTo(2.5);
    assertThat(BenchNode.quantile(List.of(5.0, 1.0, 3.0), 0.5)).isEqualTo(3.0);
    assertThat(BenchNode.quantile(List.of(5.0, 1.0, 3.0, 9.0, 2.0), 0.99)).isEqualTo(9.0);
  }

  @Test
  void thePictureIsOfTheRunWhoseLastPodWasReadyAtTheMedian() {
    List<BenchNode.Run> runs = List.of(ready(40), ready(31), ready(52), ready(35), ready(38));

    assertThat(BenchNode.medianRun(runs)).isEqualTo(4);
    assertThat(BenchNode.medianRun(runs.subList(0, 2))).isEqualTo(1);
  }

  private static BenchNode.Run ready(int seconds) {
    return new BenchNode.Run(
        Duration.ofSeconds(5),
        Duration.ofSeconds(6),
        Duration.ofSeconds(seconds),
        8,
        Map.of(),
        List.of());
  }

  @Test
  void theReportGivesEachRunTheMedianAndRequestsPerVolumeByEndpoint() {
    BenchNode.Run fast =
        new BenchNode.Run(
            Duration.ofSeconds(6),
            Duration.ofSeconds(8),
            Duration.ofSeconds(30),
            8,
            Map.of("GET /v1/actions", 8, "POST /v1/volumes/{id}/actions/detach", 8),
            List.of(Duration.ofMillis(900), Duration.ofMillis(1_100)));
    BenchNode.Run slow =
        new BenchNode.Run(
            Duration.ofSeconds(8),
            Duration.ofSeconds(10),
            Duration.ofSeconds(40),
            8,
            Map.of("GET /v1/actions", 16, "POST /v1/volumes/{id}/actions/detach", 8),
            List.of(Duration.ofMillis(1_300), Duration.ofMillis(5_000)));

    List<String> lines = BenchNode.report(List.of(fast, slow));

    assertThat(lines.get(1)).contains("30.0s", "24.0s", "16", "2.00");
    assertThat(lines.get(3)).startsWith("median").contains("35.0s", "28.0s", "7.0s");
    assertThat(lines.get(4)).startsWith("p99").contains("40.0s");
    assertThat(lines)
        .anySatisfy(l -> assertThat(l).contains("GET /v1/actions").endsWith("1.50"))
        .anySatisfy(l -> assertThat(l).contains("actions/detach").endsWith("1.00"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .isEqualTo(
                        "Lifeboat's own time per moved volume (4 volumes of all runs):"
                            + " median 1.20s, p99 5.00s"));
  }

  @Test
  void aVolumesOwnTimeLeavesOutHetznerItsServersEarlierActionTheSchedulerAndTheKubelet()
      throws Exception {
    // Volume 1 waited 1 s for the server's earlier detach, detached in 3 s, was rescheduled in
    // 2 s, attached in 3 s and verified in 4 s: 20 s in all, of which 13 s waiting on others.
    JsonNode detail =
        movedVolume(
            ", {\"volumeId\": 2, \"status\": \"FAILED\", \"steps\": []}",
            step("DETACH", 0, 5),
            step("RELEASE", 5, 6),
            step("RESCHEDULE", 6, 8),
            step("ATTACH", 9, 13),
            step("VERIFY", 16, 20));
    JsonNode state =
        JSON.readTree(
            "{\"actions\": ["
                + action("detach_volume", 9, 50, -2, 1)
                + ","
                + action("detach_volume", 1, 50, 1, 4)
                + ","
                + action("attach_volume", 1, 60, 10, 13)
                + "]}");

    assertThat(BenchNode.overheads(detail, state)).containsExactly(Duration.ofSeconds(7));
  }

  @Test
  void stepTimesAreEachMovedVolumesStepsInTheSagasOrderAndNotThoseOfOneThatFailed()
      throws Exception {
    JsonNode detail =
        movedVolume(
            ", {\"volumeId\": 2, \"status\": \"FAILED\", \"steps\": ["
                + step("DETACH", 0, 9)
                + "]}",
            step("DETACH", 0, 2),
            step("RELEASE", 2, 3),
            step("ATTACH", 6, 11));

    java.util.Map<String, java.util.List<Duration>> times = BenchNode.stepTimes(detail);

    assertThat(times.keySet()).containsExactly("DETACH", "RELEASE", "ATTACH");
    assertThat(times.get("DETACH")).containsExactly(Duration.ofSeconds(2));
    assertThat(times.get("ATTACH")).containsExactly(Duration.ofSeconds(5));
  }

  @Test
  void anAttachAnotherClientStartedBeforeTheStepCountsOnlyFromTheStepsStart() throws Exception {
    // The CSI driver's attach ran from 7 to 11 s; the ATTACH step began at 9 s and adopted it.
    JsonNode detail =
        movedVolume(
            "",
            step("DETACH", 0, 4),
            step("RESCHEDULE", 5, 7),
            step("ATTACH", 9, 12),
            step("VERIFY", 12, 15));
    JsonNode state =
        JSON.readTree(
            "{\"actions\": ["
                + action("detach_volume", 1, 50, 0, 3)
                + ","
                + action("attach_volume", 1, 60, 7, 11)
                + "]}");

    // 15 s in all, less 3 (detach), 2 (reschedule), 2 (the attach after 9 s), 3 (verify).
    assertThat(BenchNode.overheads(detail, state)).containsExactly(Duration.ofSeconds(5));
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private static final java.time.Instant T0 = java.time.Instant.parse("2026-12-02T10:00:00Z");

  /** The incident detail of volume 1, moved through these steps, then the other volumes. */
  private static JsonNode movedVolume(String others, String... steps) throws Exception {
    return JSON.readTree(
        "{\"volumes\": [{\"volumeId\": 1, \"status\": \"MOVED\", \"steps\": ["
            + String.join(",", steps)
            + "]}"
            + others
            + "]}");
  }

  private static String step(String name, int from, int to) {
    return "{\"name\": \""
        + name
        + "\", \"startedAt\": \""
        + T0.plusSeconds(from)
        + "\", \"endedAt\": \""
        + T0.plusSeconds(to)
        + "\"}";
  }

  private static String action(String command, long volume, long server, int from, int to) {
    return "{\"command\": \""
        + command
        + "\", \"status\": \"success\", \"started\": \""
        + T0.plusSeconds(from)
        + "\", \"finished\": \""
        + T0.plusSeconds(to)
        + "\", \"resources\": [{\"id\": "
        + volume
        + ", \"type\": \"volume\"}, {\"id\": "
        + server
        + ", \"type\": \"server\"}]}";
  }
}
