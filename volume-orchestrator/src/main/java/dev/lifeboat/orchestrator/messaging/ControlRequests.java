package dev.lifeboat.orchestrator.messaging;

import dev.lifeboat.events.Topic;
import dev.lifeboat.events.control.ControlRequest;
import dev.lifeboat.events.kafka.LifeboatMessageSerializer;
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
 * Sends a person's requests to the control topic, from where the sagas take them on the same
 * exactly-once path as every other input.
 */
@ApplicationScoped
public class ControlRequests {

  private final KafkaProducer<String, ControlRequest> producer;
  private final String topic;

  ControlRequests(
      @Identifier("default-kafka-broker") Map<String, Object> kafka,
      @ConfigProperty(name = "lifeboat.topic-prefix") String prefix) {
    Map<String, Object> config = KafkaSend.producerConfig(kafka);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "lifeboat-volume-orchestrator-control");
    config.put(LifeboatMessageSerializer.SOURCE_CONFIG, "/lifeboat/volume-orchestrator/api");
    StringSerializer keys = new StringSerializer();
    LifeboatMessageSerializer values = new LifeboatMessageSerializer();
    values.configure(config, false);
    @SuppressWarnings({"unchecked", "rawtypes"}) // the serializer writes every message type
    KafkaProducer<String, ControlRequest> created =
        new KafkaProducer<>(
            config, keys, (org.apache.kafka.common.serialization.Serializer) values);
    this.producer = created;
    this.topic = Topic.CONTROL.nameWith(prefix);
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

  private void await(ProducerRecord<String, ControlRequest> record) {
    KafkaSend.await(producer.send(record), topic);
  }

  @PreDestroy
  void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
