package dev.lifeboat.service;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.codec.MessageCodec;
import dev.lifeboat.events.codec.MessageTypes;
import dev.lifeboat.events.codec.ReadResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The first thing a service does with a record it received: read it as a message that belongs on
 * the topic it came from ({@link MessageCodec#readFrom}: anything else is a dead letter with the
 * reason) and count it. Consumers that read raw records call {@link #read}; SmallRye channels read
 * through {@link dev.lifeboat.events.kafka.LifeboatMessageDeserializer}, which makes the same
 * check, and call {@link #accept} to count.
 */
@ApplicationScoped
public class Arrivals {

  /** Counter of received messages, tagged by topic and CloudEvents type. */
  public static final String RECEIVED = "lifeboat.messages.received";

  private final MeterRegistry registry;
  private final String topicPrefix;

  public Arrivals(
      MeterRegistry registry, @ConfigProperty(name = "lifeboat.topic-prefix") String topicPrefix) {
    this.registry = registry;
    this.topicPrefix = topicPrefix;
  }

  /** Reads a raw record that arrived on a topic, and counts it when it is a message. */
  public ReadResult read(String topic, Map<String, String> headers, byte[] value) {
    ReadResult read = MessageCodec.readFrom(topicPrefix, topic, headers, value);
    if (read instanceof ReadResult.Read ok) {
      count(topic, ok.message());
    }
    return read;
  }

  /** Counts a message a SmallRye channel's deserializer has read and checked. */
  public LifeboatMessage accept(LifeboatMessage message, IncomingKafkaRecordMetadata<?, ?> record) {
    count(record.getTopic(), message);
    return message;
  }

  private void count(String topic, LifeboatMessage message) {
    registry
        .counter(RECEIVED, "topic", topic, "type", MessageTypes.typeOf(message.getClass()))
        .increment();
  }
}
