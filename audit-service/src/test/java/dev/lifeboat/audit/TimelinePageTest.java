package dev.lifeboat.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.testkit.CommandRun;
import dev.lifeboat.testkit.KafkaBrokerResource;
import dev.lifeboat.testkit.LifeboatTopics;
import dev.lifeboat.testkit.OutsideTools;
import dev.lifeboat.testkit.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The timeline page in a real headless Chromium: the script draws the swimlanes of a stored
 * incident, and a screenshot is saved under {@code target/}.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
class TimelinePageTest {

  private static final Pattern BAR =
      Pattern.compile(
          "<div class=\"bar step-(\\w+) status-(\\w+)\" data-step=\"\\w+\" data-status=\"\\w+\""
              + " data-attempts=\"(\\d+)\"");

  @Test
  void theTimelineShowsOneSwimlanePerVolumeWithItsStepsAndRetries() throws Exception {
    Path chromium = OutsideTools.require("chromium", "apt-get install chromium");
    ScriptedIncident incident = new ScriptedIncident(Instant.now().minusSeconds(300));
    try (LifeboatTopics topics = LifeboatTopics.onSharedBroker()) {
      incident.messages.forEach(topics::send);
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(
            () ->
                given()
                    .get("/api/incidents/" + incident.incidentId)
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("status")
                    .equals("PARTIAL"));
    String url = "http://localhost:" + RestAssured.port + "/timeline/" + incident.incidentId;

    String dom = browse(chromium, url, "--dump-dom").stdout();

    assertThat(dom).contains("data-rendered=\"true\"");
    assertThat(count(dom, "<div class=\"lane\"")).isEqualTo(3);
    assertThat(dom)
        .contains("data-volume=\"200001\" data-status=\"MOVED\"")
        .contains("data-volume=\"200002\" data-status=\"FAILED\"");
    List<String> bars = new ArrayList<>();
    Matcher matcher = BAR.matcher(dom);
    while (matcher.find()) {
      bars.add(matcher.group(1) + " " + matcher.group(2) + " " + matcher.group(3));
    }
    assertThat(bars)
        .contains(
            "FENCE SUCCEEDED 1", "ATTACH SUCCEEDED 2", "VERIFY SUCCEEDED 1", "RESCHEDULE FAILED 1");
    assertThat(dom).contains("class=\"retry\" data-attempt=\"1\"");
    assertThat(dom).contains("ATTACH attempt 1 failed: locked server 4203 is locked");
    assertThat(dom).contains("1 of 2 volumes moved");
    assertThat(dom)
        .as("each lane names its volume's claim beside its id")
        .contains("volume 200001 (shop/data-200001) MOVED")
        .contains("volume 200002 (shop/data-200002) FAILED");

    Path screenshot = Path.of("target", "timeline.png").toAbsolutePath();
    Files.deleteIfExists(screenshot);
    browse(chromium, url, "--screenshot=" + screenshot, "--window-size=1400,700");
    assertThat(screenshot).exists();
    assertThat(Files.size(screenshot)).isGreaterThan(10_000);
  }

  @Test
  void anUnknownIncidentsPageIsA404() {
    given().get("/timeline/nobody-000000000000").then().statusCode(404);
  }

  static CommandRun browse(Path chromium, String url, String... extra) throws Exception {
    Path profile = Files.createTempDirectory(Path.of("target"), "chromium-");
    List<String> command =
        new ArrayList<>(
            List.of(
                chromium.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--no-first-run",
                "--user-data-dir=" + profile.toAbsolutePath(),
                "--virtual-time-budget=10000"));
    command.addAll(List.of(extra));
    command.add(url);
    CommandRun run = CommandRun.run(command, Map.of(), Duration.ofSeconds(90));
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    return run;
  }

  private static int count(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      count++;
    }
    return count;
  }
}
