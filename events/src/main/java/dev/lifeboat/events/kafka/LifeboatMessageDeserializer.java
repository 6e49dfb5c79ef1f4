package dev.lifeboat.events.kafka;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.codec.MessageCodec;
import dev.lifeboat.events.codec.Unreadable;
import dev.lifeboat.events.codec.UnreadableMessageException;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer of the contract. A record that is not a message of the contract raises {@link
 * UnreadableMessageException} naming the reason, for the consumer's dead-letter handling.
 */
public class LifeboatMessageDeserializer implements Deserializer<LifeboatMessage> {

  /** Consumer property naming the prefix of Lifeboat's topics; {@code lifeboat.} by default. */
  public static final String TOPIC_PREFIX = "lifeboat.topic-prefix";

  private String topicPrefix = Topic.DEFAULT_PREFIX;

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    Object prefix = configs.get(TOPIC_PREFIX);
    if (prefix != null) {
      topicPrefix = prefix.toString();
    }
  }

  @Override
  public LifeboatMessage deserialize(String topic, byte[] data) {
    throw new UnreadableMessageException(
        new Unreadable(
            Unreadable.Reason.MISSING_HEADER,
            "record on " + topic + " has no headers; the contract needs CloudEvents headers"));
  }

  @Override
  public LifeboatMessage deserialize(String topic, Headers headers, byte[] data) {
    return MessageCodec.readFrom(topicPrefix, topic, KafkaHeaders.asText(headers), data).orThrow();
  }
}
