package dev.lifeboat.adapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.doctor.DoctorMessage;
import dev.lifeboat.events.doctor.DoctorRunRequested;
import dev.lifeboat.events.doctor.HetznerSnapshot;
import dev.lifeboat.events.doctor.HetznerSnapshotTaken;
import dev.lifeboat.testkit.HcloudSimProcess;
import dev.lifeboat.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The adapter answers a doctor run asked for on the topic with the project as hcloud-sim lists it,
 * or with why it could not be read; an old request is not answered.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(HcloudSimProcess.Resource.class)
class DoctorAnswersTest extends WithTopics {

  private static final String PROJECT =
      """
      locations: [fsn1]
      servers:
        - {id: 6101, name: w-1, location: fsn1}
        - {id: 6102, name: w-2, location: fsn1, status: off}
      volumes:
        - {id: 96101, name: data-1, location: fsn1, server: w-1, delete_protection: true}
        - {id: 96102, name: spare, location: fsn1}
      """;

  @AfterEach
  void noFaults() {
    HcloudSimProcess.shared().send("DELETE", "/_sim/faults", "");
  }

  @Test
  void aRunAskedForIsAnsweredWithTheProjectAsTheApiListsIt() {
    HcloudSimProcess.shared().reset(PROJECT);

    HetznerSnapshotTaken answer = answerTo(ask(Instant.now()));

    assertThat(answer.failure()).isNull();
    assertThat(answer.incidentId()).isEqualTo(DoctorMessage.KEY);
    assertThat(answer.snapshot().servers())
        .containsExactlyInAnyOrder(
            new HetznerSnapshot.Server(6101, "w-1", "running", "fsn1"),
            new HetznerSnapshot.Server(6102, "w-2", "off", "fsn1"));
    assertThat(answer.snapshot().volumes())
        .containsExactlyInAnyOrder(
            new HetznerSnapshot.Volume(96101, "data-1", "fsn1", 6101L, true),
            new HetznerSnapshot.Volume(96102, "spare", "fsn1", null, false));
    assertThat(answer.snapshot().budget().limit()).isEqualTo(3600);
  }

  @Test
  void aProjectThatCannotBeReadIsAnsweredWithTheApisErrorAndNoToken() {
    HcloudSimProcess.shared().reset(PROJECT);
    HcloudSimProcess.shared()
        .send(
            "PUT",
            "/_sim/faults",
            "{\"rules\": [{\"endpoint\": \"GET /volumes\", \"code\": \"forbidden\", \"rate\": 1}]}");

    HetznerSnapshotTaken answer = answerTo(ask(Instant.now()));

    assertThat(answer.snapshot()).isNull();
    assertThat(answer.failure())
        .startsWith("the Hetzner API could not be read: forbidden (HTTP 403)")
        .doesNotContain("test-token");
  }

  @Test
  void aRequestOlderThanTwoMinutesIsNotAnswered() {
    HcloudSimProcess.shared().reset(PROJECT);
    DoctorRunRequested old = ask(Instant.now().minus(Duration.ofMinutes(3)));
    DoctorRunRequested fresh = ask(Instant.now());

    answerTo(fresh);

    // Both stand on one partition and are read in order: the old one was passed over already.
    assertThat(topics.records(Topic.DOCTOR))
        .filteredOn(
            r ->
                dev.lifeboat.testkit.LifeboatTopics.read(r, HetznerSnapshotTaken.class)
                    .filter(a -> a.runId().equals(old.runId()))
                    .isPresent())
        .isEmpty();
  }

  /**
   * While the budget serves others first, a reading that would take longer than {@code
   * doctor-read-within} (3 s in tests) is answered in time with why and given up: its call still
   * waiting for the budget is never sent. The next run, the bucket full again, is answered with the
   * project: the channel still reads.
   */
  @Test
  void aReadingTheBudgetHoldsUpIsAnsweredInTimeWithWhyAndGivenUp() {
    HcloudSimProcess.shared().reset(PROJECT);
    // One request in the bucket, back every 10 s: the server list takes it, the volume list waits.
    HcloudSimProcess.shared()
        .send(
            "PUT",
            "/_sim/settings",
            HcloudSimProcess.settings(HcloudSimProcess.ACTION, 1, 0.1, true));
    AdapterTestSupport.clearLog();

    HetznerSnapshotTaken heldUp = answerTo(ask(Instant.now()));

    assertThat(heldUp.snapshot()).isNull();
    assertThat(heldUp.failure())
        .startsWith(
            "the Hetzner API could not be read: the budget held the reading up past 3 s"
                + " (lifeboat.hcloud.doctor-read-within)")
        .contains("of 1 requests left", "calls waiting");
    HcloudSimProcess.shared().reset(PROJECT);
    AdapterTestSupport.clearLog();
    // The adapter's budget gets its next request some 10 s after the first answer: the given-up
    // volume list would go then.
    await()
        .during(Duration.ofSeconds(9))
        .atMost(Duration.ofSeconds(12))
        .until(
            () ->
                AdapterTestSupport.requests().stream()
                    .noneMatch(request -> request.startsWith("GET /volumes")));

    HetznerSnapshotTaken next = answerTo(ask(Instant.now()));

    assertThat(next.failure()).as("the next run is answered: the channel still reads").isNull();
    assertThat(next.snapshot().volumes()).hasSize(2);
  }

  private static DoctorRunRequested ask(Instant at) {
    DoctorRunRequested request =
        new DoctorRunRequested(
            MessageIds.random(), DoctorMessage.KEY, at, MessageIds.random(), "test");
    topics.send(request);
    return request;
  }

  private static HetznerSnapshotTaken answerTo(DoctorRunRequested request) {
    return topics.awaitMessage(
        Topic.DOCTOR, HetznerSnapshotTaken.class, a -> a.runId().equals(request.runId()));
  }
}
