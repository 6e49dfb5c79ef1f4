package dev.lifeboat.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * A picture of one incident: a row per volume with its saga steps as bars, and under each the
 * Hetzner actions that carried it (from hcloud-sim's action log), on a time axis from the kill; the
 * moments the node was declared gone and fenced as lines across. Written by {@code ./lifeboat bench
 * node --png}.
 */
final class Gantt {

  /** The steps drawn, in order, each with its colour. */
  static final Map<String, Color> STEPS = new LinkedHashMap<>();

  static {
    STEPS.put("DETACH", new Color(0x4C78A8));
    STEPS.put("RELEASE", new Color(0xF58518));
    STEPS.put("RESCHEDULE", new Color(0x54A24B));
    STEPS.put("ATTACH", new Color(0xB279A2));
    STEPS.put("VERIFY", new Color(0x72B7B2));
  }

  /** The colour of a Hetzner action's bar. */
  static final Color ACTION = new Color(0x333333);

  static final int LEFT = 150;
  static final int TOP = 60;
  static final int ROW = 34;
  static final int WIDTH = 1100;
  static final int RIGHT = 30;

  /** A bar: a row, from and to on the time axis, its colour, and whether it is a Hetzner action. */
  record Bar(int row, Duration from, Duration to, Color colour, boolean action) {}

  /** What is drawn: the row labels, the bars, the lines across (label to time), the axis end. */
  record Chart(
      String title, List<String> rows, List<Bar> bars, Map<String, Duration> marks, Duration end) {

    /** The x of a time on the axis. */
    int x(Duration at) {
      double share = at.toMillis() / (double) Math.max(1, end.toMillis());
      return LEFT + (int) Math.round(share * (WIDTH - LEFT - RIGHT));
    }

    /** The y of the top of a row's step bar. */
    static int y(int row) {
      return TOP + row * ROW;
    }

    int height() {
      return TOP + rows.size() * ROW + 70;
    }
  }

  private Gantt() {}

  /**
   * The chart of an incident.
   *
   * @param killedAt the moment the node was lost, the axis's zero
   * @param report the audit service's report (when it was declared gone and fenced)
   * @param detail the audit service's incident detail (each volume's steps)
   * @param hcloudState hcloud-sim's state, with every action
   */
  static Chart chart(
      String title, Instant killedAt, JsonNode report, JsonNode detail, JsonNode hcloudState) {
    List<SimAction> actions = SimAction.all(hcloudState);
    List<String> rows = new ArrayList<>();
    List<Bar> bars = new ArrayList<>();
    Duration end = Duration.ZERO;
    for (JsonNode volume : detail.path("volumes")) {
      long id = volume.path("volumeId").asLong();
      int row = rows.size();
      rows.add("volume " + id);
      for (JsonNode step : volume.path("steps")) {
        Color colour = STEPS.get(step.path("name").asText());
        Optional<Instant> from = instant(step.path("startedAt"));
        Optional<Instant> to = instant(step.path("endedAt"));
        if (colour == null || from.isEmpty() || to.isEmpty()) {
          continue;
        }
        Bar bar =
            new Bar(
                row,
                Duration.between(killedAt, from.get()),
                Duration.between(killedAt, to.get()),
                colour,
                false);
        bars.add(bar);
        end = max(end, bar.to());
      }
      for (SimAction action : actions) {
        if (action.volume() == id
            && action.started() != null
            && action.finished() != null
            && action.started().isAfter(killedAt)) {
          bars.add(
              new Bar(
                  row,
                  Duration.between(killedAt, action.started()),
                  Duration.between(killedAt, action.finished()),
                  ACTION,
                  true));
        }
      }
    }
    Map<String, Duration> marks = new LinkedHashMap<>();
    instant(report.path("detectedAt"))
        .ifPresent(
            detected -> {
              Duration toDetection = Duration.between(killedAt, detected);
              marks.put("declared gone", toDetection);
              if (report.path("toFenceMillis").isNumber()) {
                marks.put("fenced", toDetection.plusMillis(report.path("toFenceMillis").asLong()));
              }
            });
    for (Duration mark : marks.values()) {
      end = max(end, mark);
    }
    long seconds = (end.toMillis() + 4999) / 5000 * 5;
    return new Chart(title, rows, bars, marks, Duration.ofSeconds(Math.max(5, seconds)));
  }

  /** Draws the chart. */
  static BufferedImage draw(Chart chart) {
    BufferedImage image = new BufferedImage(WIDTH, chart.height(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, chart.height());
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
      g.setColor(Color.BLACK);
      g.drawString(chart.title(), 12, 24);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      int bottom = Chart.y(chart.rows().size());
      for (long s = 0; s <= chart.end().toSeconds(); s += 5) {
        int x = chart.x(Duration.ofSeconds(s));
        g.setColor(new Color(0xE0E0E0));
        g.drawLine(x, TOP - 6, x, bottom);
        g.setColor(Color.DARK_GRAY);
        g.drawString(s + " s", x - 8, bottom + 16);
      }
      for (int row = 0; row < chart.rows().size(); row++) {
        g.setColor(Color.BLACK);
        g.drawString(chart.rows().get(row), 12, Chart.y(row) + 15);
      }
      for (Bar bar : chart.bars()) {
        int x = chart.x(bar.from());
        int width = Math.max(2, chart.x(bar.to()) - x);
        g.setColor(bar.colour());
        if (bar.action()) {
          g.fillRect(x, Chart.y(bar.row()) + 22, width, 6);
        } else {
          g.fillRect(x, Chart.y(bar.row()) + 2, width, 18);
        }
      }
      g.setStroke(
          new BasicStroke(
              1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {5, 4}, 0));
      int label = 0;
      for (Map.Entry<String, Duration> mark : chart.marks().entrySet()) {
        int x = chart.x(mark.getValue());
        g.setColor(Color.RED.darker());
        g.drawLine(x, TOP - 14, x, bottom);
        g.drawString(mark.getKey(), x + 4, TOP - 16 + 12 * label++);
      }
      int legendX = 12;
      int legendY = bottom + 40;
      for (Map.Entry<String, Color> step : STEPS.entrySet()) {
        g.setColor(step.getValue());
        g.fillRect(legendX, legendY - 10, 14, 12);
        g.setColor(Color.BLACK);
        String name = step.getKey().toLowerCase(Locale.ROOT);
        g.drawString(name, legendX + 18, legendY);
        legendX += 30 + g.getFontMetrics().stringWidth(name);
      }
      g.setColor(ACTION);
      g.fillRect(legendX, legendY - 6, 14, 6);
      g.setColor(Color.BLACK);
      g.drawString("its Hetzner action (hcloud-sim's log)", legendX + 18, legendY);
    } finally {
      g.dispose();
    }
    return image;
  }

  /** Draws the chart into a PNG file. */
  static void write(Chart chart, Path file) {
    System.setProperty("java.awt.headless", "true");
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      if (!ImageIO.write(draw(chart), "png", file.toFile())) {
        throw new IllegalStateException("this JDK has no PNG writer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static Optional<Instant> instant(JsonNode time) {
    return time.isTextual() ? Optional.of(Instant.parse(time.asText())) : Optional.empty();
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
