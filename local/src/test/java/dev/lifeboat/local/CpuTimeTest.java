package dev.lifeboat.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the cores went: the difference of two snapshots, per process and per moved volume. */
class CpuTimeTest {

  private static final Instant T0 = Instant.parse("2026-12-04T07:00:00Z");

  @Test
  void eachProcessesCpuBetweenTheSnapshotsWithItsShareAndItsCostPerVolume() {
    CpuTime.Snapshot before =
        new CpuTime.Snapshot(
            T0, Map.of("kafka", Duration.ofSeconds(10), "cluster-sim", Duration.ofSeconds(5)));
    CpuTime.Snapshot after =
        new CpuTime.Snapshot(
            T0.plusSeconds(20),
            new java.util.LinkedHashMap<>(
                Map.of("kafka", Duration.ofSeconds(16), "cluster-sim", Duration.ofSeconds(23))));

    List<String> report = CpuTime.report(before, after, 80, 2);

    assertThat(report.get(0)).contains("20 s of wall time", "2 cores: 40 core-s");
    assertThat(report)
        .anySatisfy(l -> assertThat(l).startsWith("kafka").contains("6.0s", "25%", "75 ms"));
    assertThat(report)
        .anySatisfy(
            l -> assertThat(l).startsWith("cluster-sim").contains("18.0s", "75%", "225 ms"));
    assertThat(report)
        .last()
        .satisfies(l -> assertThat(l).startsWith("all").contains("24.0s", "300 ms", "60%"));
  }
}
