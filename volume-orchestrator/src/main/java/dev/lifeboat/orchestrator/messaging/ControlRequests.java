package dev.lifeboat.orchestrator.messaging;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.control.ControlRequest;
import dev.lifeboat.events.kafka.LifeboatMessageSerializer;
import dev.lifeboat.events.node.RemovalRequested;
import dev.lifeboat.service.KafkaSend;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sends a person's requests to the control topic, and removals asked through the API to the
 * node-events topic (where the annotation's arrive too), from where the sagas take them on the same
 * exactly-once path as every other input.
 */
@ApplicationScoped
public class ControlRequests {

  private final KafkaProducer<String, LifeboatMessage> producer;
  private final String topic;
  private final String nodeEvents;

  ControlRequests(
      @Identifier("default-kafka-broker") Map<String, Object> kafka,
      @ConfigProperty(name = "lifeboat.topic-prefix") String prefix) {
    Map<String, Object> config = KafkaSend.producerConfig(kafka);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "lifeboat-volume-orchestrator-control");
    config.put(LifeboatMessageSerializer.SOURCE_CONFIG, "/lifeboat/volume-orchestrator/api");
    StringSerializer keys = new StringSerializer();
    LifeboatMessageSerializer values = new LifeboatMessageSerializer();
    values.configure(config, false);
    this.producer = new KafkaProducer<>(config, keys, values);
    this.topic = Topic.CONTROL.nameWith(prefix);
    this.nodeEvents = Topic.NODE_EVENTS.nameWith(prefix);
  }

  /** Asks for a node's removal; returns once the broker has it. */
  public void askRemoval(RemovalRequested request) {
    KafkaSend.await(
        producer.send(new ProducerRecord<>(nodeEvents, request.incidentId(), request)), nodeEvents);
  }

  /** Sends a request about one incident; returns once the broker has it. */
  public void send(ControlRequest request) {
    await(new ProducerRecord<>(topic, request.incidentId(), request));
  }

  /**
   * Sends a request that concerns every incident to every partition of the control topic, so that
   * every instance's tasks receive it.
   */
  public void broadcast(ControlRequest request) {
    for (PartitionInfo partition : producer.partitionsFor(topic)) {
      await(new ProducerRecord<>(topic, partition.partition(), request.incidentId(), request));
    }
  }

  private void await(ProducerRecord<String, LifeboatMessage> record) {
    KafkaSend.await(producer.send(record), topic);
  }

  @PreDestroy
  void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
