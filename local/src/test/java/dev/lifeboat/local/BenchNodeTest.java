package dev.lifeboat.local;

import static org.assertj.core.api.Assertions.assertThat;

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
  void theReportGivesEachRunTheMedianAndRequestsPerVolumeByEndpoint() {
    BenchNode.Run fast =
        new BenchNode.Run(
            Duration.ofSeconds(6),
            Duration.ofSeconds(8),
            Duration.ofSeconds(30),
            8,
            Map.of("GET /v1/actions", 8, "POST /v1/volumes/{id}/actions/detach", 8));
    BenchNode.Run slow =
        new BenchNode.Run(
            Duration.ofSeconds(8),
            Duration.ofSeconds(10),
            Duration.ofSeconds(40),
            8,
            Map.of("GET /v1/actions", 16, "POST /v1/volumes/{id}/actions/detach", 8));

    List<String> lines = BenchNode.report(List.of(fast, slow));

    assertThat(lines.get(1)).contains("30.0s", "24.0s", "16", "2.00");
    assertThat(lines.get(3)).startsWith("median").contains("35.0s", "28.0s", "7.0s");
    assertThat(lines.get(4)).startsWith("p99").contains("40.0s");
    assertThat(lines)
        .anySatisfy(l -> assertThat(l).contains("GET /v1/actions").endsWith("1.50"))
        .anySatisfy(l -> assertThat(l).contains("actions/detach").endsWith("1.00"));
  }
}
