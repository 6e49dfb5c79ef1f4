package dev.lifeboat.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.events.Command;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.codec.MessageCodec;
import dev.lifeboat.events.codec.ReadResult;
import dev.lifeboat.events.hcloud.DetachVolume;
import dev.lifeboat.events.hcloud.HcloudCommand;
import dev.lifeboat.events.kafka.KafkaHeaders;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.saga.IncidentCompleted;
import dev.lifeboat.testkit.JarProcess;
import dev.lifeboat.testkit.LifeboatTopics;
import dev.lifeboat.testkit.TestKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged orchestrator, killed (SIGKILL) after it consumed a result and sent the next command
 * inside a transaction it had not committed, then started again on the same state directory: the
 * saga completes, the aborted command is never seen by a reader of committed records, and the
 * restarted instance sends the same command with the same id, once.
 */
class OrchestratorCrashIT {

  private final List<Process> orchestrators = new ArrayList<>();
  private final Path stateDir = Path.of("target", "crash-it-state-" + UUID.randomUUID());

  @AfterEach
  void stop() {
    orchestrators.forEach(Process::destroyForcibly);
  }

  @Test
  void aKillBetweenProcessingAndCommitSendsNoMutatingCommandTwice() throws Exception {
    TestKafka broker = TestKafka.shared();
    broker.createLifeboatTopics(Topic.DEFAULT_PREFIX);
    NodeGone gone =
        Inventories.oneVolume(
            "crash-" + UUID.randomUUID().toString().substring(0, 8), 6, Instant.now());
    try (LifeboatTopics topics = LifeboatTopics.onSharedBroker();
        FakeServices services = new FakeServices(topics);
        KafkaConsumer<String, byte[]> uncommitted = uncommittedCommands(broker)) {
      services.script(gone.incidentId(), command -> FakeServices.healthy(gone, command));
      // Commits every 10 s: the detach sent after the fence's result (and after the answers to
      // the fencing permit and flow slots, a commit each way) stays uncommitted long enough to
      // kill the process while it is.
      Process first =
          start(
              broker,
              "first",
              "kafka-streams.commit.interval.ms=10000",
              "kafka-streams.producer.transaction.timeout.ms=60000");
      topics.send(gone);

      DetachVolume inFlight = awaitUncommitted(uncommitted, gone, DetachVolume.class);
      first.destroyForcibly().waitFor();
      assertThat(services.commands(gone.incidentId()))
          .as("the killed instance never committed the detach")
          .noneMatch(DetachVolume.class::isInstance);

      start(broker, "second");
      topics.awaitMessage(
          Topic.SAGA_EVENTS,
          IncidentCompleted.class,
          completed -> completed.incidentId().equals(gone.incidentId()));

      List<Command> committed = services.commands(gone.incidentId());
      System.out.printf(
          "after the restart: %d commands committed: %s%n",
          committed.size(), committed.stream().map(c -> c.getClass().getSimpleName()).toList());
      assertThat(committed.stream().filter(DetachVolume.class::isInstance))
          .singleElement()
          .satisfies(detach -> assertThat(detach.commandId()).isEqualTo(inFlight.commandId()));
      List<String> mutating =
          committed.stream()
              .filter(HcloudCommand.class::isInstance)
              .map(c -> c.getClass().getSimpleName())
              .toList();
      assertThat(mutating).containsExactly("PowerOffServer", "DetachVolume", "AttachVolume");
      assertThat(committed).extracting(Command::commandId).doesNotHaveDuplicates();
    }
  }

  private Process start(TestKafka broker, String name, String... extra) {
    List<String> properties =
        new ArrayList<>(
            List.of(
                "kafka.bootstrap.servers=" + broker.bootstrapServers(),
                "kafka-streams.state.dir=" + stateDir.toAbsolutePath(),
                "kafka-streams.num.standby.replicas=0",
                // A killed member's partitions move on after this (the broker's minimum is 6 s).
                "kafka-streams.consumer.session.timeout.ms=6000",
                "kafka-streams.consumer.heartbeat.interval.ms=1000"));
    properties.addAll(List.of(extra));
    Process process =
        JarProcess.start(
            Path.of("target", "quarkus-app", "quarkus-run.jar"),
            JarProcess.freePort(),
            properties,
            Path.of("target", "orchestrator-" + name + ".log"));
    orchestrators.add(process);
    return process;
  }

  private static <T extends LifeboatMessage> T awaitUncommitted(
      KafkaConsumer<String, byte[]> consumer, NodeGone gone, Class<T> type) {
    List<T> found = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                ReadResult read =
                    MessageCodec.read(KafkaHeaders.asText(record.headers()), record.value());
                if (read instanceof ReadResult.Read ok
                    && type.isInstance(ok.message())
                    && ok.message().incidentId().equals(gone.incidentId())) {
                  found.add(type.cast(ok.message()));
                }
              }
              return !found.isEmpty();
            });
    return found.get(0);
  }

  private static KafkaConsumer<String, byte[]> uncommittedCommands(TestKafka broker) {
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_uncommitted",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName()));
    List<TopicPartition> partitions =
        consumer.partitionsFor(Topic.HCLOUD_COMMANDS.defaultName()).stream()
            .map(info -> new TopicPartition(info.topic(), info.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position);
    return consumer;
  }
}
