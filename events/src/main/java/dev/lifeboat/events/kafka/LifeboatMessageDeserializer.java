package dev.lifeboat.events.kafka;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.codec.MessageCodec;
import dev.lifeboat.events.codec.Unreadable;
import dev.lifeboat.events.codec.UnreadableMessageException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer of the contract. A record that is not a message of the contract raises {@link
 * UnreadableMessageException} naming the reason, for the consumer's dead-letter handling.
 */
public class LifeboatMessageDeserializer implements Deserializer<LifeboatMessage> {

  @Override
  public LifeboatMessage deserialize(String topic, byte[] data) {
    throw new UnreadableMessageException(
        new Unreadable(
            Unreadable.Reason.MISSING_HEADER,
            "record on " + topic + " has no headers; the contract needs CloudEvents headers"));
  }

  @Override
  public LifeboatMessage deserialize(String topic, Headers headers, byte[] data) {
    return MessageCodec.read(KafkaHeaders.asText(headers), data).orThrow();
  }
}
