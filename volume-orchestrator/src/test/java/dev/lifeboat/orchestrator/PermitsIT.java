package dev.lifeboat.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.codec.MessageCodec;
import dev.lifeboat.events.codec.ReadResult;
import dev.lifeboat.events.hcloud.DetachVolume;
import dev.lifeboat.events.hcloud.HcloudCommandSucceeded;
import dev.lifeboat.events.hcloud.PowerOffServer;
import dev.lifeboat.events.kafka.KafkaHeaders;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.permit.FlowSlotsGranted;
import dev.lifeboat.events.permit.FlowSlotsRefused;
import dev.lifeboat.events.saga.IncidentHeld;
import dev.lifeboat.testkit.JarProcess;
import dev.lifeboat.testkit.LifeboatTopics;
import dev.lifeboat.testkit.TestKafka;
import io.restassured.RestAssured;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fencing cap and the limit of flows in progress under a burst, on two instances of the
 * packaged orchestrator sharing the partitions. Nothing answers what they send but the test, so
 * every incident that was let through stays fencing, or keeps its flows running.
 */
class PermitsIT {

  private static final int KNOWN_NODES = 9;
  private static final int CAP = 3;
  private static final int LOST = 6;

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String prefix = "permits-" + run + ".";
  private final List<Process> orchestrators = new ArrayList<>();

  @AfterEach
  void stop() {
    orchestrators.forEach(Process::destroyForcibly);
  }

  /**
   * Six nodes of a nine-node cluster are declared gone within milliseconds, and only three (the cap
   * for nine nodes) are fenced; the others wait for a person.
   */
  @Test
  void aBurstOfLossesOnTwoInstancesFencesAtMostTheCap() {
    TestKafka broker = TestKafka.shared();
    startTwoInstances(broker, List.of());

    List<NodeGone> burst = new ArrayList<>();
    try (LifeboatTopics topics = new LifeboatTopics(broker.bootstrapServers(), prefix)) {
      Instant now = Instant.now();
      for (int n = 0; n < LOST; n++) {
        NodeGone gone = Inventories.oneVolume("burst-" + run + "-" + n, KNOWN_NODES, now);
        burst.add(gone);
        topics.send(gone);
      }
      Set<String> incidents = burst.stream().map(NodeGone::incidentId).collect(Collectors.toSet());

      // Every incident either fenced or was held: the burst has been decided.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  ofIncidents(topics, Topic.HCLOUD_COMMANDS, PowerOffServer.class, incidents).size()
                          + ofIncidents(topics, Topic.SAGA_EVENTS, IncidentHeld.class, incidents)
                              .size()
                      >= LOST);
      List<PowerOffServer> fences =
          ofIncidents(topics, Topic.HCLOUD_COMMANDS, PowerOffServer.class, incidents);
      List<IncidentHeld> held =
          ofIncidents(topics, Topic.SAGA_EVENTS, IncidentHeld.class, incidents);
      System.out.printf(
          "burst of %d losses in a cluster of %d on two instances: %d fenced, %d held%n",
          LOST, KNOWN_NODES, fences.size(), held.size());

      assertThat(fences).hasSize(CAP);
      assertThat(held).hasSize(LOST - CAP).allMatch(h -> h.code().equals("FENCING_CAP"));
      assertThat(fences.stream().map(PowerOffServer::incidentId))
          .doesNotContainAnyElementsOf(held.stream().map(IncidentHeld::incidentId).toList());
    }
  }

  /**
   * Four nodes of a 30-node cluster (a fencing cap of 10), four volumes each, are declared gone and
   * fenced within milliseconds; at most 6 flows may be in progress, 4 per incident. The first
   * incident decided runs 4, the second the 2 left, the other two wait, asking again: 6 flows in
   * all, never the 16 the incidents would start if each saw "nothing in progress".
   */
  @Test
  void aBurstOfFencedIncidentsOnTwoInstancesRunsAtMostTheFlowLimit() {
    TestKafka broker = TestKafka.shared();
    startTwoInstances(
        broker,
        List.of("lifeboat.saga.max-active-flows=6", "lifeboat.saga.max-parallel-volumes=4"));

    List<NodeGone> burst = new ArrayList<>();
    try (LifeboatTopics topics = new LifeboatTopics(broker.bootstrapServers(), prefix)) {
      Instant now = Instant.now();
      for (int n = 0; n < 4; n++) {
        NodeGone gone = Inventories.withVolumes("flows-" + run + "-" + n, 4, 30, now);
        burst.add(gone);
        topics.send(gone);
      }
      Set<String> incidents = burst.stream().map(NodeGone::incidentId).collect(Collectors.toSet());
      List<PowerOffServer> fences =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () -> ofIncidents(topics, Topic.HCLOUD_COMMANDS, PowerOffServer.class, incidents),
                  found -> found.size() == burst.size());
      // Every fence succeeds at once.
      Instant done = Instant.now();
      for (PowerOffServer fence : fences) {
        topics.send(
            new HcloudCommandSucceeded(
                MessageIds.random(), fence.incidentId(), done, fence.commandId(), 1, done, done));
      }

      // Every incident either started its flows or was refused: the burst has been decided.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                Set<String> decided = new HashSet<>(detachingVolumes(topics, incidents).keySet());
                ofIncidents(topics, Topic.FENCING_PERMITS, FlowSlotsRefused.class, incidents)
                    .forEach(refused -> decided.add(refused.incidentId()));
                return decided.equals(incidents);
              });
      Map<String, Long> detaching = detachingVolumes(topics, incidents);
      System.out.printf(
          "burst of 4 fenced incidents of 4 volumes on two instances, limit 6: flows started %s%n",
          detaching.values());

      assertThat(detaching.values()).containsExactlyInAnyOrder(4L, 2L);
      assertThat(
              ofIncidents(topics, Topic.FENCING_PERMITS, FlowSlotsGranted.class, incidents).stream()
                  .mapToInt(FlowSlotsGranted::granted)
                  .sum())
          .isEqualTo(6);
    }
  }

  private void startTwoInstances(TestKafka broker, List<String> settings) {
    broker.createLifeboatTopics(prefix);
    List<Integer> ports = List.of(JarProcess.freePort(), JarProcess.freePort());
    for (int i = 0; i < ports.size(); i++) {
      start(broker, ports.get(i), "instance-" + i, settings);
    }
    ports.forEach(PermitsIT::awaitReady);
  }

  private void start(TestKafka broker, int port, String name, List<String> settings) {
    List<String> properties =
        new ArrayList<>(
            List.of(
                "kafka.bootstrap.servers=" + broker.bootstrapServers(),
                "lifeboat.topic-prefix=" + prefix,
                "quarkus.kafka-streams.application-id=lifeboat-permits-" + run,
                "quarkus.kafka-streams.application-server=localhost:" + port,
                "kafka-streams.state.dir="
                    + Path.of("target", "permits-it-" + run + "-" + name).toAbsolutePath(),
                "kafka-streams.num.standby.replicas=0"));
    properties.addAll(settings);
    orchestrators.add(
        JarProcess.start(
            Path.of("target", "quarkus-app", "quarkus-run.jar"),
            port,
            properties,
            Path.of("target", "permits-" + run + "-" + name + ".log")));
  }

  /** How many distinct volumes each incident was sent detaching. */
  private static Map<String, Long> detachingVolumes(LifeboatTopics topics, Set<String> incidents) {
    return ofIncidents(topics, Topic.HCLOUD_COMMANDS, DetachVolume.class, incidents).stream()
        .collect(
            Collectors.groupingBy(
                DetachVolume::incidentId,
                Collectors.mapping(DetachVolume::volumeId, Collectors.toSet())))
        .entrySet()
        .stream()
        .collect(Collectors.toMap(Map.Entry::getKey, entry -> (long) entry.getValue().size()));
  }

  private static void awaitReady(int port) {
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(
            () ->
                RestAssured.given().port(port).get("/q/health/ready").then().extract().statusCode()
                    == 200);
  }

  private static <T extends LifeboatMessage> List<T> ofIncidents(
      LifeboatTopics topics, Topic topic, Class<T> type, Set<String> incidents) {
    List<T> found = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : topics.records(topic)) {
      read(record)
          .filter(type::isInstance)
          .map(type::cast)
          .filter(message -> incidents.contains(message.incidentId()))
          .ifPresent(found::add);
    }
    return found;
  }

  private static Optional<LifeboatMessage> read(ConsumerRecord<String, byte[]> record) {
    ReadResult read = MessageCodec.read(KafkaHeaders.asText(record.headers()), record.value());
    return read instanceof ReadResult.Read ok ? Optional.of(ok.message()) : Optional.empty();
  }
}
