package dev.lifeboat.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GanttTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant KILL = Instant.parse("2026-12-02T10:00:00Z");

  @TempDir Path dir;

  @Test
  void eachVolumeIsARowOfItsStepsWithItsHetznerActionsAndTheIncidentsMomentsOnTheAxis()
      throws Exception {
    Gantt.Chart chart = Gantt.chart("one node", KILL, report(12, 900), detail(), state());

    assertThat(chart.rows()).containsExactly("volume 11", "volume 12");
    assertThat(chart.bars())
        .filteredOn(bar -> !bar.action())
        .extracting(Gantt.Bar::row, bar -> bar.from().toSeconds(), Gantt.Bar::colour)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, 13L, Gantt.STEPS.get("DETACH")),
            org.assertj.core.groups.Tuple.tuple(0, 17L, Gantt.STEPS.get("ATTACH")),
            org.assertj.core.groups.Tuple.tuple(1, 13L, Gantt.STEPS.get("DETACH")));
    // The action of volume 12 began before the kill (another incident's): not on this chart.
    assertThat(chart.bars())
        .filteredOn(Gantt.Bar::action)
        .extracting(Gantt.Bar::row, Gantt.Bar::from, Gantt.Bar::to)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, Duration.ofSeconds(14), Duration.ofSeconds(16)));
    assertThat(chart.marks())
        .containsEntry("declared gone", Duration.ofSeconds(12))
        .containsEntry("fenced", Duration.ofMillis(12_900));
    assertThat(chart.end()).isEqualTo(Duration.ofSeconds(25));
  }

  @Test
  void thePngShowsEachBarInItsColourWhereItsTimeIs() throws Exception {
    Gantt.Chart chart = Gantt.chart("one node", KILL, report(12, 900), detail(), state());
    Path file = dir.resolve("docs/gantt.png");

    Gantt.write(chart, file);

    BufferedImage png = ImageIO.read(file.toFile());
    assertThat(png.getWidth()).isEqualTo(Gantt.WIDTH);
    assertThat(png.getHeight()).isEqualTo(chart.height());
    int detachMiddle = chart.x(Duration.ofMillis(14_500));
    assertThat(new Color(png.getRGB(detachMiddle, Gantt.Chart.y(0) + 10)))
        .isEqualTo(Gantt.STEPS.get("DETACH"));
    assertThat(new Color(png.getRGB(chart.x(Duration.ofSeconds(19)), Gantt.Chart.y(0) + 10)))
        .isEqualTo(Gantt.STEPS.get("ATTACH"));
    assertThat(new Color(png.getRGB(chart.x(Duration.ofSeconds(15)), Gantt.Chart.y(0) + 25)))
        .isEqualTo(Gantt.ACTION);
    // Volume 12 detached until 16 s and nothing after: white at 19 s in its row.
    assertThat(new Color(png.getRGB(chart.x(Duration.ofSeconds(19)), Gantt.Chart.y(1) + 10)))
        .isEqualTo(Color.WHITE);
  }

  private static JsonNode report(int detectedAfter, int fenceMillis) throws Exception {
    return JSON.readTree(
        "{\"detectedAt\": \""
            + KILL.plusSeconds(detectedAfter)
            + "\", \"toFenceMillis\": "
            + fenceMillis
            + "}");
  }

  private static JsonNode detail() throws Exception {
    return JSON.readTree(
        "{\"volumes\": ["
            + "{\"volumeId\": 11, \"steps\": ["
            + step("DETACH", 13, 16)
            + ","
            + step("ATTACH", 17, 21)
            + ", {\"name\": \"VERIFY\", \"startedAt\": \""
            + KILL.plusSeconds(21)
            + "\"}]},"
            + "{\"volumeId\": 12, \"steps\": ["
            + step("DETACH", 13, 16)
            + "]}]}");
  }

  private static JsonNode state() throws Exception {
    return JSON.readTree(
        "{\"actions\": [" + action(11, 14, 16) + "," + action(12, -30, -28) + "]}");
  }

  private static String step(String name, int from, int to) {
    return "{\"name\": \""
        + name
        + "\", \"startedAt\": \""
        + KILL.plusSeconds(from)
        + "\", \"endedAt\": \""
        + KILL.plusSeconds(to)
        + "\"}";
  }

  private static String action(long volume, int from, int to) {
    return "{\"command\": \"detach_volume\", \"status\": \"success\", \"started\": \""
        + KILL.plusSeconds(from)
        + "\", \"finished\": \""
        + KILL.plusSeconds(to)
        + "\", \"resources\": [{\"id\": "
        + volume
        + ", \"type\": \"volume\"}, {\"id\": 50, \"type\": \"server\"}]}";
  }
}
