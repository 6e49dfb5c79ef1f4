package dev.lifeboat.watcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.doctor.ClusterSnapshot;
import dev.lifeboat.events.doctor.ClusterSnapshotTaken;
import dev.lifeboat.events.doctor.DoctorMessage;
import dev.lifeboat.events.doctor.DoctorRunRequested;
import dev.lifeboat.testkit.KafkaBrokerResource;
import dev.lifeboat.testkit.LifeboatTopics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The leader answers a doctor run asked for on the topic with the cluster as its informers hold it;
 * a request older than two minutes is passed over.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@WithKubernetesTestServer(crud = true)
class DoctorAnswersTest {

  @Inject KubernetesClient client;

  private static LifeboatTopics topics;
  private SimulatedNodes nodes;

  @BeforeAll
  static void openTopics() {
    topics = LifeboatTopics.onSharedBroker();
  }

  @AfterAll
  static void closeTopics() {
    topics.close();
  }

  @AfterEach
  void tearDown() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  void theLeaderAnswersWithTheNodesAsItsInformersHoldThem() {
    nodes = new SimulatedNodes(client);
    String name = "doctor-" + UUID.randomUUID().toString().substring(0, 6);
    nodes.add(name, 4711, "nbg1");

    ClusterSnapshotTaken answer =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> askUntilAnswered().filter(a -> hasNode(a.snapshot(), name)),
                Optional::isPresent)
            .orElseThrow();

    assertThat(answer.failure()).isNull();
    assertThat(answer.incidentId()).isEqualTo(DoctorMessage.KEY);
    assertThat(answer.snapshot().nodes())
        .filteredOn(n -> n.name().equals(name))
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.serverId()).isEqualTo(4711L);
              assertThat(n.location()).isEqualTo("nbg1");
              assertThat(n.ready()).isTrue();
              assertThat(n.hetznerVolumes()).isZero();
            });
  }

  @Test
  void aRequestOlderThanTwoMinutesIsPassedOver() {
    askUntilAnswered();
    DoctorRunRequested old = ask(Instant.now().minus(Duration.ofMinutes(3)));

    askUntilAnswered();

    // Every request stands on one partition, read in order: the old one was passed over already.
    assertThat(topics.records(Topic.DOCTOR))
        .filteredOn(r -> answerOf(r).filter(a -> a.runId().equals(old.runId())).isPresent())
        .isEmpty();
  }

  /**
   * Asks until one of the runs asked for is answered (the watcher reads the topic from where it
   * ended when it started, so a request sent before that is never seen).
   */
  private static Optional<ClusterSnapshotTaken> askUntilAnswered() {
    List<String> asked = new CopyOnWriteArrayList<>();
    AtomicReference<ClusterSnapshotTaken> answer = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              asked.add(ask(Instant.now()).runId());
              topics
                  .recordsWithin(
                      Topic.DOCTOR,
                      r -> answerOf(r).filter(a -> asked.contains(a.runId())).isPresent(),
                      1,
                      Duration.ofSeconds(3))
                  .stream()
                  .findFirst()
                  .flatMap(DoctorAnswersTest::answerOf)
                  .ifPresent(answer::set);
              return answer.get() != null;
            });
    return Optional.of(answer.get());
  }

  private static DoctorRunRequested ask(Instant at) {
    DoctorRunRequested request =
        new DoctorRunRequested(
            MessageIds.random(), DoctorMessage.KEY, at, MessageIds.random(), "test");
    topics.send(request);
    return request;
  }

  private static Optional<ClusterSnapshotTaken> answerOf(ConsumerRecord<String, byte[]> record) {
    return LifeboatTopics.read(record, ClusterSnapshotTaken.class);
  }

  private static boolean hasNode(ClusterSnapshot snapshot, String name) {
    return snapshot != null && snapshot.nodes().stream().anyMatch(n -> n.name().equals(name));
  }
}
