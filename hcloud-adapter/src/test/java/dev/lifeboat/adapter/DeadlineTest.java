package dev.lifeboat.adapter;

import static dev.lifeboat.adapter.AdapterTestSupport.clearLog;
import static dev.lifeboat.adapter.AdapterTestSupport.mutatingRequests;
import static dev.lifeboat.adapter.AdapterTestSupport.result;
import static dev.lifeboat.adapter.AdapterTestSupport.run;
import static dev.lifeboat.adapter.AdapterTestSupport.server;
import static dev.lifeboat.adapter.AdapterTestSupport.volume;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.adapter.domain.Decisions;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.hcloud.AttachVolume;
import dev.lifeboat.events.hcloud.HcloudCommandFailed;
import dev.lifeboat.events.hcloud.HcloudCommandSucceeded;
import dev.lifeboat.events.hcloud.HcloudResult;
import dev.lifeboat.events.hcloud.PowerOffServer;
import dev.lifeboat.events.saga.IncidentCancelled;
import dev.lifeboat.testkit.HcloudSimProcess;
import dev.lifeboat.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Commands the saga no longer wants are not started: past their deadline (the saga gave up on them,
 * and perhaps sent another attempt), or sent before their incident ended (aborted, cancelled); so a
 * fence never lands after that.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(HcloudSimProcess.Resource.class)
class DeadlineTest extends WithTopics {

  private final String incident = "adapter-test-" + MessageIds.random();

  @BeforeEach
  void demo() {
    HcloudSimProcess.shared().reset(null);
    clearLog();
  }

  @Test
  void aCommandPastItsDeadlineIsNotCarriedOut() {
    HcloudResult result = run(topics, powerOff(Instant.now().minusSeconds(1)));

    assertThat(result)
        .isInstanceOfSatisfying(
            HcloudCommandFailed.class,
            f -> {
              assertThat(f.errorCode()).isEqualTo(Decisions.DEADLINE_PASSED);
              assertThat(f.retryable()).isFalse();
            });
    assertThat(server(4202).get("status").asText()).isEqualTo("running");
    assertThat(mutatingRequests()).isEmpty();
  }

  @Test
  void aFenceWhoseDeadlinePassesWhileItWaitsForItsServerIsDropped() {
    // An attach to the same server runs for 3 s; the fence queued behind it may wait 1 s.
    HcloudSimProcess.shared()
        .send("PUT", "/_sim/settings", "{\"durations\": {\"attach_volume\": \"PT3S\"}}");
    AttachVolume slow =
        new AttachVolume(
            MessageIds.random(), incident, Instant.now(), MessageIds.random(), 100006, 4202);
    PowerOffServer fence = powerOff(Instant.now().plus(Duration.ofSeconds(1)));
    topics.send(slow);
    topics.send(fence);

    HcloudResult fenceResult = result(topics, fence);
    HcloudResult attachResult = result(topics, slow);

    assertThat(attachResult).isInstanceOf(HcloudCommandSucceeded.class);
    assertThat(volume(100006).get("server").asLong()).isEqualTo(4202);
    assertThat(fenceResult)
        .isInstanceOfSatisfying(
            HcloudCommandFailed.class,
            f -> assertThat(f.errorCode()).isEqualTo(Decisions.DEADLINE_PASSED));
    assertThat(server(4202).get("status").asText()).isEqualTo("running");
    assertThat(mutatingRequests()).noneMatch(r -> r.contains("poweroff"));
  }

  @Test
  void aFenceQueuedWhenItsIncidentIsCancelledIsDropped() {
    HcloudSimProcess.shared()
        .send("PUT", "/_sim/settings", "{\"durations\": {\"attach_volume\": \"PT3S\"}}");
    // Another incident's attach holds the server for 3 s; this incident's fence queues behind it,
    // and the incident is cancelled meanwhile (its node came back).
    AttachVolume slow =
        new AttachVolume(
            MessageIds.random(),
            "adapter-test-" + MessageIds.random(),
            Instant.now(),
            MessageIds.random(),
            100006,
            4202);
    PowerOffServer fence = powerOff(Instant.now().plus(Duration.ofMinutes(5)));
    topics.send(slow);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> server(4202).get("locked").asBoolean() || !volume(100006).get("server").isNull());
    topics.send(fence);
    topics.send(
        new IncidentCancelled(
            MessageIds.random(), incident, Instant.now(), "node worker-2 came back"));

    HcloudResult fenceResult = result(topics, fence);

    assertThat(result(topics, slow)).isInstanceOf(HcloudCommandSucceeded.class);
    assertThat(fenceResult)
        .isInstanceOfSatisfying(
            HcloudCommandFailed.class,
            f -> {
              assertThat(f.errorCode()).isEqualTo(Decisions.INCIDENT_ENDED);
              assertThat(f.retryable()).isFalse();
            });
    assertThat(server(4202).get("status").asText()).isEqualTo("running");
    assertThat(mutatingRequests()).noneMatch(r -> r.contains("poweroff"));
  }

  @Test
  void aCommandSentAfterItsIncidentEndedIsCarriedOut() {
    // A person retried a volume of a partial incident: the retry's commands are newer than the end.
    Instant endedAt = Instant.now().minusSeconds(5);
    PowerOffServer older = powerOff(null, endedAt.minusSeconds(1));
    topics.send(new IncidentCancelled(MessageIds.random(), incident, endedAt, "ended before"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                io.quarkus.arc.Arc.container()
                    .instance(dev.lifeboat.adapter.execution.EndedIncidents.class)
                    .get()
                    .endedAfterSending(older)
                    .isPresent());

    HcloudResult result = run(topics, powerOff(null, Instant.now()));

    assertThat(result).isInstanceOf(HcloudCommandSucceeded.class);
    assertThat(server(4202).get("status").asText()).isEqualTo("off");
  }

  private PowerOffServer powerOff(Instant notAfter, Instant sentAt) {
    return new PowerOffServer(
        MessageIds.random(), incident, sentAt, MessageIds.random(), 4202, List.of(), notAfter);
  }

  private PowerOffServer powerOff(Instant notAfter) {
    return new PowerOffServer(
        MessageIds.random(),
        incident,
        Instant.now(),
        MessageIds.random(),
        4202,
        List.of(),
        notAfter);
  }
}
