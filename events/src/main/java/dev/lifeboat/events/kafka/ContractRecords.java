package dev.lifeboat.events.kafka;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.codec.MessageCodec;
import dev.lifeboat.events.codec.ReadResult;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Records read by a consumer that is not the one that sends the unreadable ones to the dead letters
 * (a reader without a consumer group, or one of a topic the audit service already guards): a record
 * that is not a message of the wanted type is skipped and said why.
 */
public final class ContractRecords {

  private ContractRecords() {}

  /** The record's message if it is a {@code type}; empty, once {@code skipped} was told why. */
  public static <T extends LifeboatMessage> Optional<T> read(
      ConsumerRecord<String, byte[]> record, Class<T> type, Consumer<String> skipped) {
    ReadResult read = MessageCodec.read(KafkaHeaders.asText(record.headers()), record.value());
    if (read instanceof ReadResult.Read ok && type.isInstance(ok.message())) {
      return Optional.of(type.cast(ok.message()));
    }
    if (read instanceof ReadResult.NotRead refused) {
      skipped.accept(
          String.format(
              "record %s-%d@%d of key %s skipped: %s",
              record.topic(),
              record.partition(),
              record.offset(),
              record.key(),
              refused.unreadable().describe()));
    }
    return Optional.empty();
  }
}
