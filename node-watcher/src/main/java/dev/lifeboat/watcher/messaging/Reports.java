package dev.lifeboat.watcher.messaging;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.kafka.LifeboatMessageSerializer;
import dev.lifeboat.service.KafkaSend;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sends node events and cluster results, each on its family's topic keyed by incident id; every
 * send waits until the broker has the record.
 */
@ApplicationScoped
public class Reports {

  private final KafkaProducer<String, LifeboatMessage> messages;
  private final String prefix;

  Reports(
      @Identifier("default-kafka-broker") Map<String, Object> kafka,
      @ConfigProperty(name = "lifeboat.topic-prefix") String prefix) {
    Map<String, Object> config = KafkaSend.producerConfig(kafka);
    config.put(LifeboatMessageSerializer.SOURCE_CONFIG, "/lifeboat/node-watcher");
    Serializer<LifeboatMessage> values = new LifeboatMessageSerializer();
    values.configure(config, false);
    this.messages = new KafkaProducer<>(config, new StringSerializer(), values);
    this.prefix = prefix;
  }

  /** Sends the message on its topic; returns once the broker has it. */
  public void publish(LifeboatMessage message) {
    String topic = Topic.of(message).nameWith(prefix);
    KafkaSend.await(
        messages.send(new ProducerRecord<>(topic, message.incidentId(), message)), topic);
  }

  @PreDestroy
  void close() {
    messages.close(Duration.ofSeconds(5));
  }
}
