package dev.lifeboat.adapter;

import static dev.lifeboat.adapter.AdapterTestSupport.assertEveryDetachWentOutWithin;
import static dev.lifeboat.adapter.AdapterTestSupport.clearLog;
import static dev.lifeboat.adapter.AdapterTestSupport.detach;
import static dev.lifeboat.adapter.AdapterTestSupport.fenced;
import static dev.lifeboat.adapter.AdapterTestSupport.lostServerWith;
import static dev.lifeboat.adapter.AdapterTestSupport.observe;
import static dev.lifeboat.adapter.AdapterTestSupport.requestLog;
import static dev.lifeboat.adapter.AdapterTestSupport.run;
import static dev.lifeboat.adapter.AdapterTestSupport.volume;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.events.hcloud.HcloudCommandSucceeded;
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
import org.junit.jupiter.api.Test;

/**
 * The looks at a lost server's detaches keep its fence proof young (docs/design.md, "Request
 * economy"), with a sighting age short enough for one server's detaches to outlast it several
 * times, and a process of its own, so that the durations it learns are this test's.
 */
@QuarkusTest
@TestProfile(FenceProofLooksTest.ShortSightings.class)
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(HcloudSimProcess.Resource.class)
class FenceProofLooksTest extends WithTopics {

  private static final Duration AGE = Duration.ofSeconds(2);

  /** Sightings of 2 s. */
  public static class ShortSightings implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("lifeboat.hcloud.sighting-max-age", AGE.toMillis() + "ms");
    }
  }

  /**
   * 16 volumes (as many as a server holds) leave a lost server one after another, for longer than a
   * sighting lasts. Each detach is looked at once, and a look that falls due while the server's
   * sighting is half spent reads the server list: the same read proves the fence for the next
   * detach, so no detach reads the server for itself, and none goes out more than the sighting age
   * after a read showed the server off.
   */
  @Test
  void detachesOfALostServerAreLookedAtOnceAndTheirLooksKeepTheFenceProofYoung() {
    List<Long> volumes = lostServerWith(600001, 16);
    fenced(6001);
    clearLog();
    assertThat(run(topics, observe(6001))).isInstanceOf(ServerObserved.class);

    for (long volume : volumes) {
      assertThat(run(topics, detach(volume, 6001))).isInstanceOf(HcloudCommandSucceeded.class);
    }

    assertThat(volumes).allMatch(id -> volume(id).get("server").isNull());
    List<JsonNode> log = requestLog();
    List<String> lines =
        log.stream().map(e -> e.get("method").asText() + " " + e.get("path").asText()).toList();
    int second = lines.indexOf("POST /v1/volumes/600002/actions/detach");
    List<String> afterTheFirst = lines.subList(second, lines.size());
    for (int i = 0; i < afterTheFirst.size(); i++) {
      String line = afterTheFirst.get(i);
      if (i % 2 == 0) {
        assertThat(line).as("request %d after the second detach: %s", i, lines).contains("/detach");
      } else {
        assertThat(line)
            .as("one look per detach, no read for the next one: %s", lines)
            .matches("GET /v1/(actions\\?.*|servers\\?page=1&per_page=50)");
      }
    }
    assertThat(afterTheFirst).as("every detach after the first looked at once").hasSize(30);
    assertThat(afterTheFirst)
        .as("a look on the server list once the sighting aged")
        .anyMatch(line -> line.startsWith("GET /v1/servers?"));
    assertEveryDetachWentOutWithin(AGE, log);
  }
}
