package dev.lifeboat.orchestrator;

import dev.lifeboat.events.Command;
import dev.lifeboat.events.CommandResult;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.cluster.AwaitPodReady;
import dev.lifeboat.events.cluster.AwaitReplacementPod;
import dev.lifeboat.events.cluster.ClusterCommandSucceeded;
import dev.lifeboat.events.cluster.PodReady;
import dev.lifeboat.events.cluster.ReplacementPodScheduled;
import dev.lifeboat.events.codec.MessageCodec;
import dev.lifeboat.events.codec.ReadResult;
import dev.lifeboat.events.hcloud.HcloudCommand;
import dev.lifeboat.events.hcloud.HcloudCommandSucceeded;
import dev.lifeboat.events.kafka.KafkaHeaders;
import dev.lifeboat.events.node.EligibleNode;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.node.PodRef;
import dev.lifeboat.testkit.LifeboatTopics;
import dev.lifeboat.testkit.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Plays node-watcher and hcloud-adapter for scenario tests: reads the orchestrator's commands from
 * the real broker (committed only) and answers them as a scripted cluster and cloud would. Each
 * test scripts its own incident; by default every command succeeds and the replacement pod lands on
 * the first eligible node of the volume's location.
 */
final class FakeServices implements AutoCloseable {

  private final LifeboatTopics topics;
  private final Map<String, Function<Command, List<CommandResult>>> scripts =
      new ConcurrentHashMap<>();
  private final Map<String, List<Command>> received = new ConcurrentHashMap<>();
  private final Thread loop;
  private final KafkaConsumer<String, byte[]> consumer;
  private volatile boolean running = true;

  FakeServices(LifeboatTopics topics) {
    this.topics = topics;
    this.consumer = consumer();
    List<TopicPartition> partitions = new ArrayList<>();
    for (Topic topic : List.of(Topic.CLUSTER_COMMANDS, Topic.HCLOUD_COMMANDS)) {
      consumer
          .partitionsFor(topic.defaultName())
          .forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    partitions.forEach(consumer::position); // from here on, every new command is seen
    this.loop = new Thread(this::serve, "fake-watcher-and-adapter");
    this.loop.setDaemon(true);
    this.loop.start();
  }

  /** Answers the commands of this incident with the script. */
  void script(String incidentId, Function<Command, List<CommandResult>> script) {
    scripts.put(incidentId, script);
  }

  /** Every command received for the incident, in order. */
  List<Command> commands(String incidentId) {
    return List.copyOf(received.getOrDefault(incidentId, List.of()));
  }

  /** The answers of a healthy cluster and cloud to a command of this incident. */
  static List<CommandResult> healthy(NodeGone gone, Command command) {
    String id = MessageIds.random();
    Instant now = Instant.now();
    if (command instanceof HcloudCommand) {
      return List.of(
          new HcloudCommandSucceeded(
              id, command.incidentId(), now, command.commandId(), 1, now, now));
    }
    if (command instanceof AwaitReplacementPod await) {
      EligibleNode node = gone.eligibleIn(await.location()).get(0);
      PodRef pod =
          new PodRef(
              await.claim().namespace(),
              await.claim().name().replace("data-", ""),
              UUID.randomUUID().toString(),
              "StatefulSet",
              "db");
      return List.of(
          new ReplacementPodScheduled(
              id,
              command.incidentId(),
              now,
              command.commandId(),
              await.volumeId(),
              pod,
              node.name(),
              node.serverId(),
              node.location()));
    }
    if (command instanceof AwaitPodReady await) {
      return List.of(
          new PodReady(
              id,
              command.incidentId(),
              now,
              command.commandId(),
              await.volumeId(),
              await.pod(),
              await.nodeName()));
    }
    return List.of(
        new ClusterCommandSucceeded(
            id, command.incidentId(), now, command.commandId(), false, "ok"));
  }

  private void serve() {
    try (consumer) {
      while (running) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          ReadResult read =
              MessageCodec.read(KafkaHeaders.asText(record.headers()), record.value());
          if (read instanceof ReadResult.Read ok && ok.message() instanceof Command command) {
            received
                .computeIfAbsent(command.incidentId(), key -> new CopyOnWriteArrayList<>())
                .add(command);
            Function<Command, List<CommandResult>> script = scripts.get(command.incidentId());
            if (script != null) {
              for (LifeboatMessage result : script.apply(command)) {
                topics.send(result);
              }
            }
          }
        }
      }
    }
  }

  private static KafkaConsumer<String, byte[]> consumer() {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            TestKafka.shared().bootstrapServers(),
            ConsumerConfig.CLIENT_ID_CONFIG,
            "fake-services-" + UUID.randomUUID(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class.getName(),
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ByteArrayDeserializer.class.getName()));
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    loop.join(5_000);
  }
}
