package dev.lifeboat.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.events.IncidentId;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.codec.CloudEventHeaders;
import dev.lifeboat.events.node.NodeReturned;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KafkaBrokerTest {

  private static KafkaBroker broker;
  private static LifeboatTopics topics;

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.shared();
    broker.createLifeboatTopics(Topic.DEFAULT_PREFIX);
    topics = LifeboatTopics.onSharedBroker();
  }

  @AfterEach
  void brokerIsRunningAgain() {
    broker.start();
  }

  @AfterAll
  static void closeClients() {
    topics.close();
  }

  @Test
  void everyLifeboatTopicExistsWithThreePartitions() throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      var descriptions =
          admin
              .describeTopics(
                  java.util.Arrays.stream(Topic.values()).map(Topic::defaultName).toList())
              .allTopicNames()
              .get();

      assertThat(descriptions).hasSize(Topic.values().length);
      assertThat(descriptions.values()).allSatisfy(d -> assertThat(d.partitions()).hasSize(3));
    }
  }

  @Test
  void typedMessageArrivesOnItsTopicKeyedByIncidentWithCloudEventsHeaders() {
    NodeReturned returned = returned("worker-typed");

    RecordMetadata sent = topics.send(returned);
    ConsumerRecord<String, byte[]> record =
        topics.awaitRecord(
            Topic.NODE_EVENTS,
            r -> r.offset() == sent.offset() && r.partition() == sent.partition());

    assertThat(sent.topic()).isEqualTo("lifeboat.node-events");
    assertThat(record.key()).isEqualTo(returned.incidentId());
    assertThat(LifeboatTopics.header(record, CloudEventHeaders.TYPE))
        .contains("lifeboat.node.returned.v1");
    assertThat(topics.awaitMessage(Topic.NODE_EVENTS, NodeReturned.class, m -> m.equals(returned)))
        .isEqualTo(returned);
  }

  @Test
  void messageSentWhileTheBrokerIsDownArrivesAfterItRestarts() throws Exception {
    NodeReturned before = returned("worker-before-restart");
    topics.send(before);

    broker.stop();
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000))) {
      assertThatThrownBy(() -> admin.describeCluster().clusterId().get(3, TimeUnit.SECONDS))
          .as("the broker is really down")
          .isInstanceOfAny(ExecutionException.class, java.util.concurrent.TimeoutException.class);
    }
    NodeReturned during = returned("worker-during-restart");
    CompletableFuture<RecordMetadata> pending =
        CompletableFuture.supplyAsync(() -> topics.send(during));
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !pending.isDone());

    broker.start();

    assertThat(pending.get(2 * LifeboatTopics.WAIT.toSeconds(), TimeUnit.SECONDS).topic())
        .isEqualTo("lifeboat.node-events");
    assertThat(topics.awaitMessage(Topic.NODE_EVENTS, NodeReturned.class, during::equals))
        .isEqualTo(during);
    assertThat(topics.awaitMessage(Topic.NODE_EVENTS, NodeReturned.class, before::equals))
        .as("what was written before the outage is still there")
        .isEqualTo(before);
  }

  /**
   * The local run's broker killed and started again on its log (chaos rounds, seed 8): the second
   * start must not format it again with a new cluster id, which Kafka refuses.
   */
  @Test
  void aBrokerStartedAgainOnItsDataKeepsItsClusterId() throws Exception {
    java.nio.file.Path data = java.nio.file.Path.of("target", "kafka-again-" + MessageIds.random());
    KafkaBroker.at(data, JarProcess.freePort(), JarProcess.freePort());
    String first = java.nio.file.Files.readString(data.resolve("meta.properties"));

    KafkaBroker.at(data, JarProcess.freePort(), JarProcess.freePort());

    assertThat(java.nio.file.Files.readString(data.resolve("meta.properties")))
        .contains("cluster.id=")
        .isEqualTo(first);
  }

  private static NodeReturned returned(String nodeName) {
    var node = new dev.lifeboat.events.node.NodeRef(nodeName, MessageIds.random(), 17, "fsn1");
    return new NodeReturned(
        MessageIds.random(),
        IncidentId.forNode(node.name(), node.uid()),
        Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
        node);
  }
}
