package dev.lifeboat.watcher.messaging;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.kafka.LifeboatMessageSerializer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sends node events and cluster results, each on its family's topic keyed by incident id, and dead
 * letters; every send waits until the broker has the record.
 */
@ApplicationScoped
public class Reports {

  /** Header naming why a record went to the dead-letter topic (as SmallRye's strategy). */
  public static final String DEAD_LETTER_REASON = "dead-letter-reason";

  /** Header naming the topic a dead letter came from (as SmallRye's strategy). */
  public static final String DEAD_LETTER_TOPIC = "dead-letter-topic";

  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaProducer<String, LifeboatMessage> messages;
  private final KafkaProducer<String, byte[]> raw;
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
    this.raw = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    this.prefix = prefix;
  }

  /** Sends the message on its topic; returns once the broker has it. */
  public void publish(LifeboatMessage message) {
    String topic = Topic.of(message).nameWith(prefix);
    await(messages.send(new ProducerRecord<>(topic, message.incidentId(), message)), topic);
  }

  /** Sends a record that is not a message of the contract to the dead-letter topic. */
  public void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
    ProducerRecord<String, byte[]> dead =
        new ProducerRecord<>(
            Topic.DEAD_LETTERS.nameWith(prefix),
            null,
            record.key(),
            record.value(),
            record.headers());
    dead.headers().remove(DEAD_LETTER_REASON);
    dead.headers().remove(DEAD_LETTER_TOPIC);
    dead.headers().add(DEAD_LETTER_REASON, reason.getBytes(StandardCharsets.UTF_8));
    dead.headers().add(DEAD_LETTER_TOPIC, record.topic().getBytes(StandardCharsets.UTF_8));
    await(raw.send(dead), dead.topic());
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
    raw.close(Duration.ofSeconds(5));
  }
}
