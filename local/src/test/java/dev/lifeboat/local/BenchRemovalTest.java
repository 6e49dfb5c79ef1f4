package dev.lifeboat.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The removal benchmark's table, from figures given. */
class BenchRemovalTest {

  @Test
  void theTableShowsEachRunTheMedianAndTheRequestsPerVolumeByEndpoint() {
    List<BenchRemoval.Run> runs =
        List.of(
            run("bench-node-1", 27_000, 30_000, 34_000, 24),
            run("bench-node-2", 36_000, 40_000, 44_000, 32),
            run("bench-node-3", 31_000, 35_000, 38_000, 28));

    List<String> lines = BenchRemoval.report(runs);

    assertThat(lines.get(0)).containsSubsequence("emptied", "last pod Ready", "deleted");
    assertThat(lines.get(1))
        .contains("bench-node-1")
        .containsSubsequence("27.0s", "30.0s", "34.0s");
    assertThat(lines.get(4))
        .startsWith("median")
        .contains("31.0s")
        .contains("35.0s")
        .contains("38.0s")
        .contains(" 28 ")
        .endsWith("3.50");
    assertThat(lines).contains("requests per moved volume by endpoint (median of the runs):");
    assertThat(lines.get(6)).contains("GET /servers").endsWith("1.50");
    assertThat(lines.get(7)).contains("POST /volumes/{id}/actions/detach").endsWith("2.00");
  }

  private static BenchRemoval.Run run(
      String node, long empty, long ready, long total, long requests) {
    long detaches = 16;
    return new BenchRemoval.Run(
        node,
        Duration.ofMillis(empty),
        Duration.ofMillis(ready),
        Duration.ofMillis(total),
        8,
        Map.of("GET /servers", requests - detaches, "POST /volumes/{id}/actions/detach", detaches));
  }
}
