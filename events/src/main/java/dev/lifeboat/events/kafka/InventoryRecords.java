package dev.lifeboat.events.kafka;

import dev.lifeboat.events.codec.MessageCodec;
import dev.lifeboat.events.codec.ReadResult;
import dev.lifeboat.events.inventory.NodeInventory;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Records of the compacted {@code node-inventory} topic, as its readers (the orchestrator's API, a
 * new node-watcher leader) take them: read whole, without a consumer group, so a record that is not
 * an inventory is skipped and said why, not sent to the dead letters at every read.
 */
public final class InventoryRecords {

  private InventoryRecords() {}

  /** The record's inventory; empty, once {@code skipped} was told why, when it holds none. */
  public static Optional<NodeInventory> read(
      ConsumerRecord<String, byte[]> record, Consumer<String> skipped) {
    ReadResult read = MessageCodec.read(KafkaHeaders.asText(record.headers()), record.value());
    if (read instanceof ReadResult.Read ok && ok.message() instanceof NodeInventory node) {
      return Optional.of(node);
    }
    skipped.accept(
        String.format(
            "record %s-%d@%d of key %s skipped: %s",
            record.topic(),
            record.partition(),
            record.offset(),
            record.key(),
            read instanceof ReadResult.NotRead refused
                ? refused.unreadable().describe()
                : "not a node inventory"));
    return Optional.empty();
  }
}
