package dev.lifeboat.adapter;

import static dev.lifeboat.adapter.AdapterTestSupport.assertEveryDetachWentOutWithin;
import static dev.lifeboat.adapter.AdapterTestSupport.clearLog;
import static dev.lifeboat.adapter.AdapterTestSupport.detach;
import static dev.lifeboat.adapter.AdapterTestSupport.fenced;
import static dev.lifeboat.adapter.AdapterTestSupport.lostServerWith;
import static dev.lifeboat.adapter.AdapterTestSupport.observe;
import static dev.lifeboat.adapter.AdapterTestSupport.requestLog;
import static dev.lifeboat.adapter.AdapterTestSupport.requests;
import static dev.lifeboat.adapter.AdapterTestSupport.result;
import static dev.lifeboat.adapter.AdapterTestSupport.run;
import static dev.lifeboat.adapter.AdapterTestSupport.state;
import static dev.lifeboat.adapter.AdapterTestSupport.volume;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.adapter.domain.ActionDurations;
import dev.lifeboat.events.hcloud.DetachVolume;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A lost server's detaches sent at once, as the orchestrator sends them: once a detach has run as
 * long as the recent ones did, the next one starts instead of a look (docs/design.md, "Request
 * economy"). A process of its own, so that the durations it learns are this test's; each test first
 * detaches more than half the durations the poller keeps one by one, so that their median and
 * longest are its own.
 */
@QuarkusTest
@TestProfile(HandOverTest.OwnProcess.class)
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(HcloudSimProcess.Resource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HandOverTest extends WithTopics {

  private static final Duration AGE = Duration.ofSeconds(10);

  /** Detaches made one by one before those sent at once. */
  private static final int LEARNT = ActionDurations.KEPT / 2 + 1;

  /** The defaults, in a process of its own. */
  public static class OwnProcess implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("lifeboat.hcloud.sighting-max-age", AGE.toMillis() + "ms");
    }
  }

  @AfterEach
  void detachesAsUsual() {
    detachesTake("PT0.2S");
  }

  /**
   * Each volume is detached once and freed, none is refused {@code locked}, the looks are about
   * half the detaches, and every detach still went out within the sighting age of a read of the
   * server.
   */
  @Test
  @Order(1)
  void detachesSentAtOnceStartEachOtherAndOneLookAsksAboutTwo() {
    List<Long> volumes = lostServerWith(610001, 16);
    detachesTake("PT0.6S"); // long enough to be handed over
    clearLog();
    List<Long> atOnce = learnThenLeave(volumes);

    assertThat(sendAtOnce(atOnce)).allMatch(HcloudCommandSucceeded.class::isInstance);

    assertThat(volumes).allMatch(id -> volume(id).get("server").isNull());
    assertThat(detachActionsPerVolume(atOnce)).allSatisfy((v, n) -> assertThat(n).isEqualTo(1));
    List<String> all = requests();
    List<String> lines =
        all.subList(
            all.indexOf("POST /v1/volumes/" + firstPosted(all, atOnce) + "/actions/detach 201"),
            all.size());
    assertThat(lines)
        .as("no detach started while the server was locked")
        .noneMatch(r -> r.endsWith(" 423"));
    long looks =
        lines.stream()
            .filter(r -> r.matches("GET /v1/(actions\\?.*|servers\\?page=1&per_page=50) 200"))
            .count();
    assertThat(looks)
        .as("about one look for two detaches: %s", lines)
        .isLessThanOrEqualTo(atOnce.size() / 2 + 1);
    assertEveryDetachWentOutWithin(AGE, requestLog());
  }

  /**
   * Actions that became slower than the recent ones: a detach started early, while the one before
   * it still runs, is refused {@code locked} and made again once the server is free. Each volume is
   * detached once and freed, none is left behind.
   */
  @Test
  @Order(2) // last: the slow detaches it teaches would keep the durations unsteady for the other
  void aDetachStartedWhileTheServerIsStillLockedIsMadeAgainAndDetachesOnce() {
    List<Long> volumes = lostServerWith(620001, LEARNT + 4);
    detachesTake("PT0.6S");
    List<Long> atOnce = learnThenLeave(volumes);
    detachesTake("PT1.5S");
    clearLog();

    assertThat(sendAtOnce(atOnce)).allMatch(HcloudCommandSucceeded.class::isInstance);

    assertThat(volumes).allMatch(id -> volume(id).get("server").isNull());
    assertThat(detachActionsPerVolume(atOnce)).allSatisfy((v, n) -> assertThat(n).isEqualTo(1));
    assertThat(requests())
        .as("the detach started early was refused while the server was locked")
        .anyMatch(r -> r.matches("POST /v1/volumes/\\d+/actions/detach 423"));
  }

  /**
   * Fences server 6001, observes it, detaches the first {@link #LEARNT} volumes one by one so that
   * the poller knows how long detaches take here; the volumes left.
   */
  private List<Long> learnThenLeave(List<Long> volumes) {
    fenced(6001);
    assertThat(run(topics, observe(6001))).isInstanceOf(ServerObserved.class);
    for (long volume : volumes.subList(0, LEARNT)) {
      assertThat(run(topics, detach(volume, 6001))).isInstanceOf(HcloudCommandSucceeded.class);
    }
    return volumes.subList(LEARNT, volumes.size());
  }

  /** Which of these volumes' detaches the request log shows first. */
  private static long firstPosted(List<String> requests, List<Long> volumes) {
    return requests.stream()
        .flatMap(r -> volumes.stream().filter(v -> r.startsWith("POST /v1/volumes/" + v + "/")))
        .findFirst()
        .orElseThrow();
  }

  /** Sends a detach of each volume at once, and waits for every result. */
  private List<HcloudResult> sendAtOnce(List<Long> volumes) {
    List<DetachVolume> detaches = volumes.stream().map(v -> detach(v, 6001)).toList();
    detaches.forEach(topics::send);
    return detaches.stream().map(d -> result(topics, d)).toList();
  }

  /** Sets how long hcloud-sim's detaches take (an ISO-8601 duration). */
  private static void detachesTake(String duration) {
    HcloudSimProcess.shared()
        .send(
            "PUT", "/_sim/settings", "{\"durations\": {\"detach_volume\": \"" + duration + "\"}}");
  }

  /** How many detach actions hcloud-sim ran on each of these volumes. */
  private static Map<Long, Long> detachActionsPerVolume(List<Long> volumes) {
    Map<Long, Long> count = new TreeMap<>();
    volumes.forEach(v -> count.put(v, 0L));
    for (JsonNode action : state().get("actions")) {
      if (!action.get("command").asText().equals("detach_volume")) {
        continue;
      }
      for (JsonNode resource : action.get("resources")) {
        long id = resource.get("id").asLong();
        if (resource.get("type").asText().equals("volume") && count.containsKey(id)) {
          count.merge(id, 1L, Long::sum);
        }
      }
    }
    return count;
  }
}
