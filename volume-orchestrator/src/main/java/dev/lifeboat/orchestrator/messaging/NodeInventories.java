package dev.lifeboat.orchestrator.messaging;

import dev.lifeboat.events.Topic;
import dev.lifeboat.events.inventory.NodeInventory;
import dev.lifeboat.events.kafka.InventoryRecords;
import dev.lifeboat.service.KafkaSend;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Every node as node-watcher last reported it, read from the compacted {@code node-inventory} topic
 * from its beginning and kept up to date, on every instance (no consumer group): what the API
 * answers a removal request with at once, and plans a drill of a live node from. A record that
 * cannot be read is skipped and logged with its key and the reason (it is no incident's input; the
 * watcher reports the node again when it changes). It is not sent to the dead letters: every
 * instance reads the whole topic again at each start, without a consumer group, so each would send
 * it again every time.
 */
@ApplicationScoped
public class NodeInventories {

  private static final Logger LOG = Logger.getLogger(NodeInventories.class);

  private final Map<String, Object> kafka;
  private final String topic;
  private final Map<String, NodeInventory> nodes = new ConcurrentHashMap<>();
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile boolean caughtUp;
  private Thread thread;

  NodeInventories(
      @Identifier("default-kafka-broker") Map<String, Object> kafka,
      @ConfigProperty(name = "lifeboat.topic-prefix") String prefix) {
    this.kafka = kafka;
    this.topic = Topic.NODE_INVENTORY.nameWith(prefix);
  }

  void start(@Observes StartupEvent startup) {
    thread = new Thread(this::run, "node-inventories");
    thread.setDaemon(true);
    thread.start();
  }

  void stop(@Observes ShutdownEvent shutdown) {
    KafkaConsumer<String, byte[]> running = consumer;
    if (running != null) {
      running.wakeup();
    }
  }

  /** The node's latest report; empty when none was read (unknown, or not read yet). */
  public Optional<NodeInventory> node(String name) {
    return Optional.ofNullable(nodes.get(name));
  }

  /** Whether the topic was read to where it ended when this instance started. */
  public boolean caughtUp() {
    return caughtUp;
  }

  private void run() {
    Map<String, Object> config = KafkaSend.consumerConfig(kafka);
    config.put(
        ConsumerConfig.CLIENT_ID_CONFIG, "lifeboat-orchestrator-inventory-" + UUID.randomUUID());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    while (!Thread.currentThread().isInterrupted()) {
      try (KafkaConsumer<String, byte[]> reader =
          new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
        consumer = reader;
        read(reader);
        return;
      } catch (WakeupException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warnf("reading %s failed, starting again in 2 s: %s", topic, e.toString());
        try {
          Thread.sleep(2_000); // a fixed pause before reading again; nothing waits on it
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  private void read(KafkaConsumer<String, byte[]> reader) {
    List<TopicPartition> partitions = new ArrayList<>();
    reader
        .partitionsFor(topic, Duration.ofSeconds(30))
        .forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
    reader.assign(partitions);
    reader.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = reader.endOffsets(partitions);
    while (true) {
      for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(500))) {
        InventoryRecords.read(record, LOG::warn)
            .ifPresent(node -> nodes.put(node.incidentId(), node));
      }
      if (!caughtUp && partitions.stream().allMatch(p -> reader.position(p) >= end.get(p))) {
        caughtUp = true;
        LOG.infof("node inventory read: %d node(s)", nodes.size());
      }
    }
  }
}
