package dev.lifeboat.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.codec.MessageCodec;
import dev.lifeboat.events.codec.ReadResult;
import dev.lifeboat.events.hcloud.PowerOffServer;
import dev.lifeboat.events.kafka.KafkaHeaders;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.saga.IncidentHeld;
import dev.lifeboat.testkit.JarProcess;
import dev.lifeboat.testkit.KafkaBroker;
import dev.lifeboat.testkit.LifeboatTopics;
import io.restassured.RestAssured;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fencing cap under a burst, on two instances of the packaged orchestrator sharing the
 * partitions: six nodes of a nine-node cluster are declared gone within milliseconds, and only
 * three (the cap for nine nodes) are fenced; the others wait for a person. Nothing answers the
 * fences, so every incident that was let through stays fencing.
 */
class FencingCapIT {

  private static final int KNOWN_NODES = 9;
  private static final int CAP = 3;
  private static final int LOST = 6;

  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final String prefix = "cap-" + run + ".";
  private final List<Process> orchestrators = new ArrayList<>();

  @AfterEach
  void stop() {
    orchestrators.forEach(Process::destroyForcibly);
  }

  @Test
  void aBurstOfLossesOnTwoInstancesFencesAtMostTheCap() {
    KafkaBroker broker = KafkaBroker.shared();
    broker.createLifeboatTopics(prefix);
    List<Integer> ports = List.of(JarProcess.freePort(), JarProcess.freePort());
    for (int i = 0; i < ports.size(); i++) {
      start(broker, ports.get(i), "instance-" + i);
    }
    ports.forEach(FencingCapIT::awaitReady);

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

  private void start(KafkaBroker broker, int port, String name) {
    orchestrators.add(
        JarProcess.start(
            Path.of("target", "quarkus-app", "quarkus-run.jar"),
            port,
            List.of(
                "kafka.bootstrap.servers=" + broker.bootstrapServers(),
                "lifeboat.topic-prefix=" + prefix,
                "quarkus.kafka-streams.application-id=lifeboat-cap-" + run,
                "quarkus.kafka-streams.application-server=localhost:" + port,
                "kafka-streams.state.dir="
                    + Path.of("target", "cap-it-" + run + "-" + name).toAbsolutePath(),
                "kafka-streams.num.standby.replicas=0"),
            Path.of("target", "fencing-cap-" + name + ".log")));
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
