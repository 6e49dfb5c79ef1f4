package dev.lifeboat.events.kafka;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.codec.MessageCodec;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer of the contract: the value is the message's JSON and the CloudEvents headers are
 * set from it. The producer property {@value #SOURCE_CONFIG} names {@code ce_source}.
 */
public class LifeboatMessageSerializer implements Serializer<LifeboatMessage> {

  /** Producer property naming the service that sends, such as {@code /lifeboat/node-watcher}. */
  public static final String SOURCE_CONFIG = "lifeboat.ce.source";

  private String source = "/lifeboat";

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    Object configured = configs.get(SOURCE_CONFIG);
    if (configured != null && !configured.toString().isBlank()) {
      source = configured.toString();
    }
  }

  @Override
  public byte[] serialize(String topic, LifeboatMessage message) {
    return message == null ? null : MessageCodec.payload(message);
  }

  @Override
  public byte[] serialize(String topic, Headers headers, LifeboatMessage message) {
    if (message == null) {
      return null;
    }
    KafkaHeaders.put(headers, MessageCodec.headers(message, source));
    return MessageCodec.payload(message);
  }
}
