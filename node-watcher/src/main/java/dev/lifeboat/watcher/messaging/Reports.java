package dev.lifeboat.watcher.messaging;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.kafka.LifeboatMessageSerializer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
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

  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaProducer<String, LifeboatMessage> messages;
  private final String prefix;

  Reports(
      @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
      @ConfigProperty(name = "lifeboat.topic-prefix") String prefix) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(LifeboatMessageSerializer.SOURCE_CONFIG, "/lifeboat/node-watcher");
    Serializer<LifeboatMessage> values = new LifeboatMessageSerializer();
    values.configure(config, false);
    this.messages = new KafkaProducer<>(config, new StringSerializer(), values);
    this.prefix = prefix;
  }

  /** Sends the message on its topic; returns once the broker has it. */
  public void publish(LifeboatMessage message) {
    String topic = Topic.of(message).nameWith(prefix);
    await(messages.send(new ProducerRecord<>(topic, message.incidentId(), message)), topic);
  }

  private static void await(Future<?> sent, String topic) {
    try {
      sent.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending to " + topic, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not send to " + topic + ": " + e.getMessage(), e);
    }
  }

  @PreDestroy
  void close() {
    messages.close(Duration.ofSeconds(5));
  }
}
