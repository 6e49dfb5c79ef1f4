package dev.lifeboat.adapter;

import static dev.lifeboat.adapter.AdapterTestSupport.assertEveryDetachWentOutWithin;
import static dev.lifeboat.adapter.AdapterTestSupport.clearLog;
import static dev.lifeboat.adapter.AdapterTestSupport.detach;
import static dev.lifeboat.adapter.AdapterTestSupport.fenced;
import static dev.lifeboat.adapter.AdapterTestSupport.lostServerWith;
import static dev.lifeboat.adapter.AdapterTestSupport.observe;
import static dev.lifeboat.adapter.AdapterTestSupport.requestLog;
import static dev.lifeboat.adapter.AdapterTestSupport.requests;
import static dev.lifeboat.adapter.AdapterTestSupport.run;
import static dev.lifeboat.adapter.AdapterTestSupport.server;
import static dev.lifeboat.adapter.AdapterTestSupport.volume;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.events.hcloud.HcloudCommandFailed;
import dev.lifeboat.events.hcloud.HcloudCommandSucceeded;
import dev.lifeboat.events.hcloud.HcloudResult;
import dev.lifeboat.events.hcloud.ServerObserved;
import dev.lifeboat.testkit.HcloudSimProcess;
import dev.lifeboat.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The looks at a lost server's detaches keep its fence proof young (docs/design.md, "Request
 * economy"), with a sighting age short enough for one server's detaches to outlast it several
 * times, and a process of its own, so that the durations it learns are this test's.
 */
@QuarkusTest
@TestProfile(FenceProofLooksTest.ShortSightings.class)
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(HcloudSimProcess.Resource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FenceProofLooksTest extends WithTopics {

  private static final Duration AGE = Duration.ofSeconds(2);

  /** Sightings of 2 s; answers held up 1.5 s are waited for (the test profile's limit is 1.5 s). */
  public static class ShortSightings implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "lifeboat.hcloud.sighting-max-age",
          AGE.toMillis() + "ms",
          "quarkus.rest-client.hcloud.read-timeout",
          "5000");
    }
  }

  /**
   * 16 volumes (as many as a server holds) leave a lost server one after another, for longer than a
   * sighting lasts. Each detach is looked at once, and a look that falls due while the server's
   * sighting is half spent reads the server list: the same read proves the fence for the next
   * detach, so no detach reads the server for itself, and none goes out more than the sighting age
   * after a read showed the server off.
   *
   * <p>The one read a detach may make for itself is the one a stalled machine forces: a pause of
   * more than half the sighting age between a look and the next detach (seen once in CI) ages the
   * proof past its limit, and reading again is then the rule. Such a read must come at least half
   * the age after the read before it; one sooner is a read the looks should have made needless.
   */
  @Test
  @Order(1)
  void detachesOfALostServerAreLookedAtOnceAndTheirLooksKeepTheFenceProofYoung() {
    List<Long> volumes = lostServerWith(600001, 16);
    fenced(6001);
    List<JsonNode> log = observeAndDetachEach(volumes);
    List<String> lines = log.stream().map(FenceProofLooksTest::line).toList();
    int second = lines.indexOf("POST /v1/volumes/600002/actions/detach");
    assertThat(second).as("the second detach in %s", lines).isPositive();
    Instant lastRead = lastRead(log.subList(0, second));
    int listLooks = 0;
    int gaps = 0;
    for (int i = second; i < log.size(); i++) {
      String line = lines.get(i);
      if (line.endsWith("/detach")) {
        gaps++;
        assertThat(i + 1).as("a look after %s: %s", line, lines).isLessThan(log.size());
        String look = lines.get(i + 1);
        assertThat(look)
            .as("the request after %s is its look: %s", line, lines)
            .matches("GET /v1/(actions\\?.*|servers\\?page=1&per_page=50)");
        if (look.startsWith("GET /v1/servers")) {
          listLooks++;
          lastRead = at(log.get(i + 1));
        }
        i++;
      } else {
        assertThat(line)
            .as(
                "request %d, beyond one look per detach, can only be a read of the server: %s",
                i, lines)
            .startsWith("GET /v1/servers");
        assertThat(Duration.between(lastRead, at(log.get(i))))
            .as("request %d reads the server although the last read was young: %s", i, lines)
            .isGreaterThanOrEqualTo(AGE.dividedBy(2));
        lastRead = at(log.get(i));
      }
    }
    assertThat(gaps).as("every detach after the first: %s", lines).isEqualTo(15);
    assertThat(listLooks)
        .as("looks on the server list once the sighting aged: %s", lines)
        .isPositive();
    assertEveryDetachWentOutWithin(AGE, log);
  }

  /**
   * Reads of the server whose answers are held up 1.5 s on their way: each shows the server as it
   * was when it was carried out, so its sighting must age from then (from when it was asked), or
   * detaches would go out up to 1.5 s after their fence proof expired (measured with sightings
   * dated from the answer: the first detach went out 2.36 s after the read it relied on).
   */
  @Test
  @Order(2) // last: its slow reads teach the poller that detaches take longer than they do
  void aReadWhoseAnswerIsHeldUpIsAsOldAsWhenItWasAsked() {
    List<Long> volumes = lostServerWith(600101, 4);
    fenced(6001);
    HcloudSimProcess.shared()
        .send(
            "PUT",
            "/_sim/faults",
            """
            {"rules": [{"endpoint": "GET /servers/{id}", "answer_latency_ms": 1500},
                       {"endpoint": "GET /servers", "answer_latency_ms": 1500}]}
            """);
    List<JsonNode> log = observeAndDetachEach(volumes);
    assertThat(log.stream().map(FenceProofLooksTest::line))
        .as("one detach per volume")
        .filteredOn(line -> line.endsWith("/detach"))
        .hasSize(4);
    assertEveryDetachWentOutWithin(AGE, log);
  }

  /**
   * A person powers the server on right after a read showed it off; a detach decided on that read,
   * still young, then waits for the budget longer than a sighting lasts (the simulator's bucket of
   * one request, refilled every 4 s). When the budget lets the detach go, its proof has expired:
   * the server is read again, found running, and the detach is not sent; the volume stays on the
   * server that runs.
   */
  @Test
  @Order(3) // last: it leaves this process's budget short for a few seconds
  void aDetachThatWaitedForTheBudgetPastItsProofReadsTheServerAgain() {
    long volume = lostServerWith(600201, 1).get(0);
    fenced(6001);
    HcloudSimProcess.shared()
        .send(
            "PUT",
            "/_sim/settings",
            HcloudSimProcess.settings(HcloudSimProcess.ACTION, 1, 0.25, true));
    clearLog();
    assertThat(run(topics, observe(6001))).isInstanceOf(ServerObserved.class);
    // That read took the last request: the adapter waits about 4 s before its next call. The
    // person's own call below is not limited.
    HcloudSimProcess.shared()
        .send(
            "PUT",
            "/_sim/settings",
            HcloudSimProcess.settings(HcloudSimProcess.ACTION, 3600, 1, false));

    AdapterTestSupport.poweredOnByAPerson(6001, "PT0.3S");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> server(6001).get("status").asText().equals("running"));

    HcloudResult result = run(topics, detach(volume, 6001));

    assertThat(result)
        .isInstanceOfSatisfying(
            HcloudCommandFailed.class,
            f -> {
              assertThat(f.errorCode()).isEqualTo("server_running");
              assertThat(f.retryable()).isFalse();
            });
    assertThat(volume(volume).get("server").asLong()).as("still on the server").isEqualTo(6001);
    assertThat(requests()).as("no detach sent").noneMatch(line -> line.contains("/detach"));
  }

  /**
   * Observes the lost server, then detaches each volume from it, one after another; every volume
   * ends free. The request log from the observation on.
   */
  private List<JsonNode> observeAndDetachEach(List<Long> volumes) {
    clearLog();
    assertThat(run(topics, observe(6001))).isInstanceOf(ServerObserved.class);
    for (long volume : volumes) {
      assertThat(run(topics, detach(volume, 6001))).isInstanceOf(HcloudCommandSucceeded.class);
    }
    assertThat(volumes).allMatch(id -> volume(id).get("server").isNull());
    return requestLog();
  }

  private static String line(JsonNode entry) {
    return entry.get("method").asText() + " " + entry.get("path").asText();
  }

  private static Instant at(JsonNode entry) {
    return Instant.parse(entry.get("at").asText());
  }

  /** When the server was last read in these requests (each logged when answered). */
  private static Instant lastRead(List<JsonNode> log) {
    return log.stream()
        .filter(entry -> line(entry).startsWith("GET /v1/servers"))
        .map(FenceProofLooksTest::at)
        .reduce((first, later) -> later)
        .orElseThrow(() -> new AssertionError("no read of the server before the second detach"));
  }
}
