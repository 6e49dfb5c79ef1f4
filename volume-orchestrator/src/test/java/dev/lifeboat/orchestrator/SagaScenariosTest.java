package dev.lifeboat.orchestrator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.lifeboat.events.Command;
import dev.lifeboat.events.CommandResult;
import dev.lifeboat.events.IncidentId;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.cluster.AwaitReplacementPod;
import dev.lifeboat.events.cluster.ClusterCommandFailed;
import dev.lifeboat.events.cluster.RemoveOutOfServiceTaint;
import dev.lifeboat.events.hcloud.AttachVolume;
import dev.lifeboat.events.hcloud.DeleteServer;
import dev.lifeboat.events.hcloud.DetachVolume;
import dev.lifeboat.events.hcloud.HcloudCommand;
import dev.lifeboat.events.hcloud.HcloudCommandAlreadyDone;
import dev.lifeboat.events.hcloud.HcloudCommandFailed;
import dev.lifeboat.events.hcloud.PowerOffServer;
import dev.lifeboat.events.node.ClaimRef;
import dev.lifeboat.events.node.EligibleNode;
import dev.lifeboat.events.node.GoneReason;
import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.node.NodeRef;
import dev.lifeboat.events.node.NodeReturned;
import dev.lifeboat.events.node.PodRef;
import dev.lifeboat.events.saga.IncidentCancelled;
import dev.lifeboat.events.saga.IncidentCompleted;
import dev.lifeboat.events.saga.IncidentPartial;
import dev.lifeboat.events.saga.SagaEvent;
import dev.lifeboat.events.saga.StepSucceeded;
import dev.lifeboat.testkit.KafkaBrokerResource;
import dev.lifeboat.testkit.LifeboatTopics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The orchestrator on the real broker, driven by messages as node-watcher and hcloud-adapter would
 * send them ({@link FakeServices}), one incident per scenario.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class SagaScenariosTest {

  private static final Duration END = Duration.ofSeconds(60);
  private static final List<EligibleNode> FSN1 =
      List.of(
          new EligibleNode("worker-3", 4203, "fsn1"), new EligibleNode("worker-4", 4204, "fsn1"));

  private static LifeboatTopics topics;
  private static FakeServices services;

  @BeforeAll
  static void start() {
    topics = LifeboatTopics.onSharedBroker();
    services = new FakeServices(topics);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    services.close();
    topics.close();
  }

  @Test
  void eightVolumesMoveOnTheHappyPath() {
    NodeGone gone = gone(Map.of(), volumes(8, "fsn1"));
    run(gone, command -> FakeServices.healthy(gone, command));

    IncidentCompleted completed = awaitEnd(gone, IncidentCompleted.class);

    assertThat(completed.movedVolumes()).hasSize(8);
    List<Command> commands = services.commands(gone.incidentId());
    assertThat(only(commands, PowerOffServer.class)).hasSize(1);
    assertThat(only(commands, DetachVolume.class)).hasSize(8);
    assertThat(only(commands, AttachVolume.class))
        .hasSize(8)
        .allSatisfy(attach -> assertThat(attach.serverId()).isEqualTo(4203));
    assertThat(commands.stream().map(Command::commandId).distinct()).hasSize(commands.size());
    given()
        .get("/api/incidents/" + gone.incidentId())
        .then()
        .statusCode(200)
        .body("status", equalTo("COMPLETED"))
        .body("volumes.size()", equalTo(8))
        .body("volumes[0].phase", equalTo("MOVED"))
        .body("volumes[0].targetNode", equalTo("worker-3"));
  }

  @Test
  void detachIsSkippedWhenTheServerWasAlreadyDeleted() {
    NodeGone gone = gone(Map.of(), volumes(2, "fsn1"));
    run(
        gone,
        command ->
            command instanceof PowerOffServer
                ? List.of(
                    new HcloudCommandAlreadyDone(
                        MessageIds.random(),
                        command.incidentId(),
                        Instant.now(),
                        command.commandId(),
                        "server 4202 no longer exists",
                        true))
                : FakeServices.healthy(gone, command));

    awaitEnd(gone, IncidentCompleted.class);

    assertThat(only(services.commands(gone.incidentId()), DetachVolume.class)).isEmpty();
    assertThat(only(services.commands(gone.incidentId()), AttachVolume.class)).hasSize(2);
  }

  @Test
  void nodesOfADisposablePoolAreDeletedAndNotDetached() {
    NodeGone gone = gone(Map.of("lifeboat.dev/pool", "disposable"), volumes(2, "fsn1"));
    run(gone, command -> FakeServices.healthy(gone, command));

    awaitEnd(gone, IncidentCompleted.class);

    List<Command> commands = services.commands(gone.incidentId());
    assertThat(only(commands, DeleteServer.class)).hasSize(1);
    assertThat(only(commands, PowerOffServer.class)).isEmpty();
    assertThat(only(commands, DetachVolume.class)).isEmpty();
  }

  @Test
  void aNodeThatReturnsBeforeItsFenceCausesNoMutatingCommand() {
    NodeGone gone = gone(Map.of(), volumes(2, "fsn1"));
    services.script(gone.incidentId(), command -> FakeServices.healthy(gone, command));
    maintenance("pause", 3);
    try {
      topics.send(gone);
      topics.send(
          new NodeReturned(MessageIds.random(), gone.incidentId(), Instant.now(), gone.node()));

      IncidentCancelled cancelled = awaitEnd(gone, IncidentCancelled.class);
      assertThat(cancelled.reason()).contains("came back");
    } finally {
      maintenance("resume", 0);
    }
    assertThat(services.commands(gone.incidentId())).isEmpty();
  }

  @Test
  void aNodeThatReturnsAfterItsFenceStillHasItsVolumesMovedAndIsUntainted() {
    NodeGone gone = gone(Map.of(), volumes(1, "fsn1"));
    run(
        gone,
        command -> {
          if (command instanceof DetachVolume) {
            topics.send(
                new NodeReturned(
                    MessageIds.random(), gone.incidentId(), Instant.now(), gone.node()));
          }
          return FakeServices.healthy(gone, command);
        });

    awaitEnd(gone, IncidentCompleted.class);

    await()
        .atMost(END)
        .until(
            () ->
                !only(services.commands(gone.incidentId()), RemoveOutOfServiceTaint.class)
                    .isEmpty());
  }

  @Test
  void anAttachThatFailsFinallyEndsPartialWithItsReason() {
    NodeGone gone = gone(Map.of(), volumes(2, "fsn1"));
    long broken = gone.volumes().get(1).volumeId();
    run(
        gone,
        command ->
            command instanceof AttachVolume attach && attach.volumeId() == broken
                ? List.of(
                    new HcloudCommandFailed(
                        MessageIds.random(),
                        command.incidentId(),
                        Instant.now(),
                        command.commandId(),
                        "volume_limit_exceeded",
                        "server 4203 has 16 volumes",
                        false,
                        null))
                : FakeServices.healthy(gone, command));

    IncidentPartial partial = awaitEnd(gone, IncidentPartial.class);

    assertThat(partial.movedVolumes()).containsExactly(gone.volumes().get(0).volumeId());
    assertThat(partial.failures())
        .singleElement()
        .satisfies(
            failure -> {
              assertThat(failure.volumeId()).isEqualTo(broken);
              assertThat(failure.reason()).isEqualTo("volume_limit_exceeded");
            });
  }

  @Test
  void aVolumeWithNoEligibleNodeIsNeverTouched() {
    List<HeldVolume> volumes = new ArrayList<>(volumes(1, "fsn1"));
    HeldVolume stranded = volume(999_001, "hel1");
    volumes.add(stranded);
    NodeGone gone = gone(Map.of(), volumes);
    run(gone, command -> FakeServices.healthy(gone, command));

    IncidentPartial partial = awaitEnd(gone, IncidentPartial.class);

    assertThat(partial.failures())
        .singleElement()
        .satisfies(failure -> assertThat(failure.reason()).isEqualTo("NO_ELIGIBLE_NODE"));
    assertThat(services.commands(gone.incidentId()))
        .noneMatch(command -> command.toString().contains("999001"));
  }

  @Test
  void capacityLostDuringRescheduleLeavesTheVolumeDetachedWithTheReason() {
    NodeGone gone = gone(Map.of(), volumes(1, "fsn1"));
    run(
        gone,
        command ->
            command instanceof AwaitReplacementPod
                ? List.of(
                    new ClusterCommandFailed(
                        MessageIds.random(),
                        command.incidentId(),
                        Instant.now(),
                        command.commandId(),
                        "NO_ELIGIBLE_NODE",
                        "every node in fsn1 holds 16 Hetzner volumes",
                        false))
                : FakeServices.healthy(gone, command));

    IncidentPartial partial = awaitEnd(gone, IncidentPartial.class);

    assertThat(partial.failures().get(0).reason()).isEqualTo("NO_ELIGIBLE_NODE");
    assertThat(partial.failures().get(0).step().name()).isEqualTo("RESCHEDULE");
    List<Command> commands = services.commands(gone.incidentId());
    assertThat(only(commands, DetachVolume.class)).hasSize(1);
    assertThat(only(commands, AttachVolume.class)).isEmpty();
  }

  @Test
  void aDuplicateNodeGoneOpensOneIncident() {
    NodeGone gone = gone(Map.of(), volumes(1, "fsn1"));
    services.script(gone.incidentId(), command -> FakeServices.healthy(gone, command));
    topics.send(gone);
    topics.send(
        new NodeGone(
            MessageIds.random(),
            gone.incidentId(),
            Instant.now(),
            gone.node(),
            GoneReason.NOT_READY,
            gone.volumes(),
            gone.eligibleNodes(),
            gone.nodeLabels(),
            gone.knownNodes()));

    awaitEnd(gone, IncidentCompleted.class);

    assertThat(only(services.commands(gone.incidentId()), PowerOffServer.class)).hasSize(1);
    assertThat(
            sagaEvents(gone).stream()
                .filter(e -> e instanceof StepSucceeded s && s.step().name().equals("PRE_FLIGHT"))
                .count())
        .as("one pre-flight")
        .isEqualTo(1);
    assertThat(only(services.commands(gone.incidentId()), HcloudCommand.class))
        .extracting(Command::commandId)
        .doesNotHaveDuplicates();
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static void run(NodeGone gone, Function<Command, List<CommandResult>> script) {
    services.script(gone.incidentId(), script);
    topics.send(gone);
  }

  private static void maintenance(String action, int expectedPaused) {
    given()
        .header("Authorization", "Bearer test-token")
        .contentType("application/json")
        .body("{\"reason\": \"scenario\"}")
        .post("/api/maintenance/" + action)
        .then()
        .statusCode(202);
    await()
        .atMost(END)
        .untilAsserted(
            () ->
                given()
                    .get("/api/maintenance")
                    .then()
                    .statusCode(200)
                    .body("pausedPartitions", equalTo(expectedPaused)));
  }

  private static <T extends SagaEvent> T awaitEnd(NodeGone gone, Class<T> expected) {
    SagaEvent end =
        topics.awaitMessage(
            Topic.SAGA_EVENTS,
            SagaEvent.class,
            event ->
                event.incidentId().equals(gone.incidentId())
                    && (event instanceof IncidentCompleted
                        || event instanceof IncidentPartial
                        || event instanceof IncidentCancelled));
    assertThat(end).isInstanceOf(expected);
    return expected.cast(end);
  }

  private static List<LifeboatMessage> sagaEvents(NodeGone gone) {
    return topics.records(Topic.SAGA_EVENTS).stream()
        .filter(record -> gone.incidentId().equals(record.key()))
        .map(
            record ->
                dev.lifeboat.events.codec.MessageCodec.read(
                        dev.lifeboat.events.kafka.KafkaHeaders.asText(record.headers()),
                        record.value())
                    .orThrow())
        .toList();
  }

  private static <T> List<T> only(List<? extends Command> commands, Class<T> type) {
    return commands.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static NodeGone gone(Map<String, String> labels, List<HeldVolume> volumes) {
    String name = "worker-" + UUID.randomUUID().toString().substring(0, 8);
    NodeRef node = new NodeRef(name, UUID.randomUUID().toString(), 4202, "fsn1");
    return new NodeGone(
        MessageIds.random(),
        IncidentId.forNode(node.name(), node.uid()),
        Instant.now(),
        node,
        GoneReason.LEASE_EXPIRED,
        volumes,
        Map.of("fsn1", FSN1, "hel1", List.of()),
        labels,
        30);
  }

  private static List<HeldVolume> volumes(int count, String location) {
    return IntStream.range(0, count).mapToObj(i -> volume(100_001 + i, location)).toList();
  }

  private static HeldVolume volume(long id, String location) {
    return new HeldVolume(
        id,
        "pvc-" + id,
        new ClaimRef("shop", "data-db-" + id),
        location,
        List.of(new PodRef("shop", "db-" + id, UUID.randomUUID().toString(), "StatefulSet", "db")));
  }
}
