package dev.lifeboat.adapter;

import static dev.lifeboat.adapter.AdapterTestSupport.attach;
import static dev.lifeboat.adapter.AdapterTestSupport.clearLog;
import static dev.lifeboat.adapter.AdapterTestSupport.delete;
import static dev.lifeboat.adapter.AdapterTestSupport.detach;
import static dev.lifeboat.adapter.AdapterTestSupport.fenced;
import static dev.lifeboat.adapter.AdapterTestSupport.mutatingRequests;
import static dev.lifeboat.adapter.AdapterTestSupport.observe;
import static dev.lifeboat.adapter.AdapterTestSupport.powerOff;
import static dev.lifeboat.adapter.AdapterTestSupport.requests;
import static dev.lifeboat.adapter.AdapterTestSupport.run;
import static dev.lifeboat.adapter.AdapterTestSupport.server;
import static dev.lifeboat.adapter.AdapterTestSupport.state;
import static dev.lifeboat.adapter.AdapterTestSupport.volume;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.events.FailureCodes;
import dev.lifeboat.events.hcloud.HcloudCommandAlreadyDone;
import dev.lifeboat.events.hcloud.HcloudCommandFailed;
import dev.lifeboat.events.hcloud.HcloudCommandSucceeded;
import dev.lifeboat.events.hcloud.HcloudResult;
import dev.lifeboat.events.hcloud.ServerObserved;
import dev.lifeboat.testkit.HcloudSimProcess;
import dev.lifeboat.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each command against hcloud-sim over the real broker: success, already done (no mutating
 * request), refusals, retryable errors recovering and final errors reported as final.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(HcloudSimProcess.Resource.class)
class CommandExecutionTest extends WithTopics {

  @BeforeEach
  void demo() {
    HcloudSimProcess.shared().reset(null);
  }

  @Test
  void powerOffSucceedsThenIsAlreadyDoneWithoutAMutatingRequest() {
    HcloudResult first = run(topics, powerOff(4206));

    assertThat(first).isInstanceOf(HcloudCommandSucceeded.class);
    assertThat(server(4206).get("status").asText()).isEqualTo("off");
    clearLog();

    HcloudResult again = run(topics, powerOff(4206));

    assertThat(again)
        .isInstanceOfSatisfying(
            HcloudCommandAlreadyDone.class,
            r -> {
              assertThat(r.observed()).isEqualTo("server 4206 status off");
              assertThat(r.serverDeleted()).isFalse();
            });
    assertThat(mutatingRequests()).isEmpty();
  }

  @Test
  void anObservationReadsTheServerOnceAndChangesNothing() {
    fenced(4202); // crashed: off at once, its volumes still attached
    HcloudSimProcess.shared().send("POST", "/_sim/servers/4203/delete", "");
    clearLog();

    HcloudResult off = run(topics, observe(4202));
    List<String> offRequests = requests();
    HcloudResult running = run(topics, observe(4206));
    HcloudResult deleted = run(topics, observe(4203));

    assertThat(off)
        .isInstanceOfSatisfying(
            ServerObserved.class,
            o -> {
              assertThat(o.status()).isEqualTo("off");
              assertThat(o.locked()).isFalse();
            });
    assertThat(offRequests).containsExactly("GET /v1/servers/4202 200");
    assertThat(running)
        .isInstanceOfSatisfying(
            ServerObserved.class,
            o -> {
              assertThat(o.status()).isEqualTo("running");
              assertThat(o.locked()).isFalse();
            });
    assertThat(deleted)
        .isInstanceOfSatisfying(
            ServerObserved.class, o -> assertThat(o.status()).isEqualTo(ServerObserved.DELETED));
    assertThat(mutatingRequests()).isEmpty();
    assertThat(server(4202).get("status").asText()).isEqualTo("off");
    assertThat(volume(100001).get("server").asLong()).isEqualTo(4202);
  }

  @Test
  void deleteServerDetachesItsVolumesThenIsAlreadyDone() {
    assertThat(run(topics, delete(4203))).isInstanceOf(HcloudCommandSucceeded.class);
    assertThat(volume(100002).get("server").isNull()).isTrue();
    clearLog();

    assertThat(run(topics, delete(4203)))
        .isInstanceOfSatisfying(
            HcloudCommandAlreadyDone.class,
            r -> {
              assertThat(r.observed()).isEqualTo("server 4203 no longer exists");
              assertThat(r.serverDeleted()).isTrue();
            });
    assertThat(mutatingRequests()).isEmpty();
  }

  @Test
  void aDetachFromAServerThatRunsIsRefusedAndTheVolumeStays() {
    // Fenced, then powered on again by a person (as with the hcloud CLI), slowly.
    fenced(4202);
    AdapterTestSupport.poweredOnByAPerson(4202, "PT4S");
    clearLog();

    HcloudResult starting = run(topics, detach(100001, 4202));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> server(4202).get("status").asText().equals("running"));
    HcloudResult running = run(topics, detach(100003, 4202));

    for (HcloudResult result : List.of(starting, running)) {
      assertThat(result)
          .isInstanceOfSatisfying(
              HcloudCommandFailed.class,
              f -> {
                assertThat(f.errorCode()).isEqualTo("server_running");
                assertThat(f.retryable()).isFalse();
              });
    }
    assertThat(((HcloudCommandFailed) starting).errorMessage()).contains("starting");
    assertThat(volume(100001).get("server").asLong()).isEqualTo(4202);
    assertThat(volume(100003).get("server").asLong()).isEqualTo(4202);
    assertThat(mutatingRequests()).isEmpty();
  }

  @Test
  void detachSucceedsThenIsAlreadyDone() {
    fenced(4202);
    clearLog();
    HcloudResult first = run(topics, detach(100001, 4202));

    assertThat(first)
        .isInstanceOfSatisfying(
            HcloudCommandSucceeded.class, r -> assertThat(r.actionId()).isPositive());
    assertThat(volume(100001).get("server").isNull()).isTrue();
    // One read before the detach: the fenced server shows both its fence and the volume on it.
    assertThat(requests().stream().takeWhile(r -> !r.startsWith("POST")))
        .containsExactly("GET /v1/servers/4202 200");
    clearLog();

    assertThat(run(topics, detach(100001, 4202))).isInstanceOf(HcloudCommandAlreadyDone.class);
    assertThat(mutatingRequests()).isEmpty();
  }

  @Test
  void attachSucceedsThenIsAlreadyDone() {
    HcloudResult first = run(topics, attach(100006, 4202));

    assertThat(first).isInstanceOf(HcloudCommandSucceeded.class);
    assertThat(volume(100006).get("server").asLong()).isEqualTo(4202);
    clearLog();

    assertThat(run(topics, attach(100006, 4202)))
        .isInstanceOfSatisfying(
            HcloudCommandAlreadyDone.class,
            r ->
                assertThat(r.observed())
                    .isEqualTo("volume 100006 is already attached to server 4202"));
    assertThat(mutatingRequests()).isEmpty();
  }

  @Test
  void anAttachToAServerThatDoesNotRunIsRefusedAndTheVolumeStaysDetached() {
    // The replacement pod's node was lost after it was chosen: its server is off now.
    fenced(4202);
    clearLog();

    assertThat(run(topics, attach(100006, 4202)))
        .isInstanceOfSatisfying(
            HcloudCommandFailed.class,
            f -> {
              assertThat(f.errorCode()).isEqualTo(FailureCodes.TARGET_NOT_RUNNING);
              assertThat(f.retryable()).isFalse();
              assertThat(f.errorMessage()).contains("server 4202 is off");
            });
    assertThat(volume(100006).get("server").isNull()).isTrue();
    assertThat(mutatingRequests()).isEmpty();
  }

  @Test
  void volumeOnAThirdServerIsAFinalFailureAndNeverDetached() {
    HcloudResult detachFromWrongServer = run(topics, detach(100001, 4203));
    HcloudResult attachWhileElsewhere = run(topics, attach(100001, 4203));

    assertThat(detachFromWrongServer)
        .isInstanceOfSatisfying(
            HcloudCommandFailed.class,
            r -> {
              assertThat(r.errorCode()).isEqualTo("attached_elsewhere");
              assertThat(r.retryable()).isFalse();
              assertThat(r.errorMessage()).contains("attached to server 4202");
            });
    assertThat(attachWhileElsewhere)
        .isInstanceOfSatisfying(
            HcloudCommandFailed.class,
            r -> assertThat(r.errorCode()).isEqualTo("attached_elsewhere"));
    assertThat(mutatingRequests()).isEmpty();
    assertThat(volume(100001).get("server").asLong()).isEqualTo(4202);
  }

  @Test
  void deletedVolumeIsAnExplicitFinalFailure() {
    assertThat(run(topics, attach(999_999, 4202)))
        .isInstanceOfSatisfying(
            HcloudCommandFailed.class,
            r -> {
              assertThat(r.errorCode()).isEqualTo("volume_not_found");
              assertThat(r.retryable()).isFalse();
            });
  }

  @Test
  void attachAcrossLocationsIsFinalWithHetznersCode() {
    assertThat(run(topics, attach(100006, 4205)))
        .isInstanceOfSatisfying(
            HcloudCommandFailed.class,
            r -> {
              assertThat(r.errorCode()).isEqualTo("invalid_input");
              assertThat(r.errorMessage())
                  .isEqualTo("server and volume must be in the same location");
              assertThat(r.retryable()).isFalse();
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "locked",
        "conflict",
        "rate_limit_exceeded",
        "timeout",
        "bad_gateway",
        "unavailable",
        "server_error"
      })
  void retryableErrorIsRetriedUntilTheCommandSucceeds(String code) {
    faults(
        "{\"rules\": [{\"endpoint\": \"POST /volumes/{id}/actions/attach\", \"code\": \""
            + code
            + "\", \"rate\": 1.0, \"times\": 2}]}");

    HcloudResult result = run(topics, attach(100006, 4202));

    assertThat(result).isInstanceOf(HcloudCommandSucceeded.class);
    assertThat(mutatingRequests())
        .filteredOn(r -> r.startsWith("POST /v1/volumes/100006/actions/attach"))
        .hasSize(3);
  }

  @Test
  void callThatGetsNoAnswerInTimeIsRetried() {
    faults(
        "{\"rules\": [{\"endpoint\": \"GET /volumes/{id}\", \"rate\": 0, \"latency_ms\": 3000, \"times\": 1}]}");

    HcloudResult result = run(topics, attach(100006, 4202));

    assertThat(result).isInstanceOf(HcloudCommandSucceeded.class);
    // The slow answer is logged by the simulator when it is finally sent, after the retry's.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(requests())
                    .filteredOn(r -> r.startsWith("GET /v1/volumes/100006 "))
                    .hasSize(2));
  }

  @ParameterizedTest
  @ValueSource(strings = {"not_found", "invalid_input", "unauthorized", "forbidden"})
  void finalErrorIsReportedAsFinalWithItsCodeAfterOneTry(String code) {
    faults(
        "{\"rules\": [{\"endpoint\": \"POST /volumes/{id}/actions/attach\", \"code\": \""
            + code
            + "\", \"rate\": 1.0}]}");

    HcloudResult result = run(topics, attach(100006, 4202));

    assertThat(result)
        .isInstanceOfSatisfying(
            HcloudCommandFailed.class,
            r -> {
              assertThat(r.errorCode()).isEqualTo(code);
              assertThat(r.retryable()).isFalse();
            });
    assertThat(mutatingRequests())
        .filteredOn(r -> r.startsWith("POST /v1/volumes/100006/actions/attach"))
        .hasSize(1);
  }

  @Test
  void actionEndingInErrorIsReportedWithItsCode() {
    faults(
        "{\"action_failures\": [{\"command\": \"detach_volume\", \"code\": \"user_action_required\", \"message\": \"contact support\"}]}");
    fenced(4202);

    HcloudResult result = run(topics, detach(100001, 4202));

    assertThat(result)
        .isInstanceOfSatisfying(
            HcloudCommandFailed.class,
            r -> {
              assertThat(r.errorCode()).isEqualTo("user_action_required");
              assertThat(r.errorMessage()).isEqualTo("contact support");
              assertThat(r.actionId()).isPositive();
              assertThat(r.retryable()).isFalse();
            });
  }

  @Test
  void redeliveredCommandWaitsForTheActionAlreadyRunningInsteadOfStartingASecond() {
    HcloudSimProcess.shared()
        .send("PUT", "/_sim/settings", "{\"durations\": {\"attach_volume\": \"PT5S\"}}");
    // What a crashed adapter leaves behind: its attach request reached Hetzner, its result never
    // left.
    JsonNode started =
        AdapterTestSupport.read(
            io.restassured.RestAssured.given()
                .baseUri(HcloudSimProcess.shared().apiUrl())
                .header("Authorization", "Bearer test-token")
                .contentType("application/json")
                .body("{\"server\": 4202}")
                .post("/volumes/100006/actions/attach")
                .then()
                .statusCode(201)
                .extract()
                .asString());
    long firstAction = started.get("action").get("id").asLong();

    HcloudResult result = run(topics, attach(100006, 4202));

    assertThat(result)
        .isInstanceOfSatisfying(
            HcloudCommandSucceeded.class, r -> assertThat(r.actionId()).isEqualTo(firstAction));
    assertThat(volume(100006).get("server").asLong()).isEqualTo(4202);
    long attachActions = 0;
    for (JsonNode action : state().get("actions")) {
      if (action.get("command").asText().equals("attach_volume")) {
        attachActions++;
      }
    }
    assertThat(attachActions).isEqualTo(1);
  }

  @Test
  void anAttachRunningToAnotherServerIsNeverTakenForOurs() {
    HcloudSimProcess.shared()
        .send("PUT", "/_sim/settings", "{\"durations\": {\"attach_volume\": \"PT4S\"}}");
    // The CSI driver attaches the volume to another server at the same moment.
    io.restassured.RestAssured.given()
        .baseUri(HcloudSimProcess.shared().apiUrl())
        .header("Authorization", "Bearer test-token")
        .contentType("application/json")
        .body("{\"server\": 4203}")
        .post("/volumes/100006/actions/attach")
        .then()
        .statusCode(201);

    HcloudResult result = run(topics, attach(100006, 4202));

    assertThat(result)
        .as("the volume went to the CSI driver's server, not ours: no success for 4202")
        .isInstanceOfSatisfying(
            HcloudCommandFailed.class,
            f -> {
              assertThat(f.retryable()).isFalse();
              // The next attempt observes the volume on the driver's server and refuses.
              assertThat(f.errorCode()).isEqualTo("attached_elsewhere");
            });
    assertThat(volume(100006).get("server").asLong()).isEqualTo(4203);
  }

  @Test
  void requestsPerCommandAreFew() {
    clearLog();
    run(topics, powerOff(4206));
    int powerOff = requests().size();
    fenced(4205);
    clearLog();
    run(topics, detach(100007, 4205));
    int detach = requests().size();
    clearLog();
    run(topics, attach(100007, 4204)); // 4206 is off now: an attach goes to a running server
    int attach = requests().size();

    System.out.printf(
        "Hetzner requests per command: poweroff %d, detach %d, attach %d (log: %s)%n",
        powerOff, detach, attach, requests());
    assertThat(powerOff).isBetween(3, 5);
    assertThat(detach).isBetween(3, 5);
    assertThat(attach).isBetween(3, 5);
  }

  private static void faults(String json) {
    HcloudSimProcess.shared().send("PUT", "/_sim/faults", json);
  }
}
