package dev.lifeboat.service;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.codec.MessageTypes;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The first thing a service does with a message it received: check that its topic carries its
 * family (an error here sends the record to the dead-letter topic with the reason) and count it.
 */
@ApplicationScoped
public class Arrivals {

  /** Counter of received messages, tagged by topic and CloudEvents type. */
  public static final String RECEIVED = "lifeboat.messages.received";

  private final MeterRegistry registry;
  private final String topicPrefix;

  Arrivals(
      MeterRegistry registry, @ConfigProperty(name = "lifeboat.topic-prefix") String topicPrefix) {
    this.registry = registry;
    this.topicPrefix = topicPrefix;
  }

  /** The message, once checked against the topic it came from and counted. */
  public LifeboatMessage accept(LifeboatMessage message, IncomingKafkaRecordMetadata<?, ?> record) {
    return accept(message, record.getTopic());
  }

  /**
   * The message, once checked against the named topic it came from and counted; an {@link
   * IllegalArgumentException} names both when the topic does not carry its family.
   */
  public LifeboatMessage accept(LifeboatMessage message, String topic) {
    Topic.carrying(topicPrefix, topic, message);
    registry
        .counter(RECEIVED, "topic", topic, "type", MessageTypes.typeOf(message.getClass()))
        .increment();
    return message;
  }
}
