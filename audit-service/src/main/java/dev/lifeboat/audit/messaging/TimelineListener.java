package dev.lifeboat.audit.messaging;

import dev.lifeboat.audit.persistence.Ingest;
import dev.lifeboat.audit.persistence.RawRecord;
import dev.lifeboat.events.kafka.KafkaHeaders;
import dev.lifeboat.service.DeadLetters;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads every {@code lifeboat.*} topic but the dead letters (pattern subscription), in batches of
 * raw records, and stores them with {@link Ingest}; the batch is acknowledged once the database has
 * it. Records that are not messages of the contract go to the dead-letter topic with the reason.
 */
@ApplicationScoped
public class TimelineListener {

  /** The channel of the topics. */
  public static final String CHANNEL = "lifeboat-topics";

  private final Ingest ingest;
  private final DeadLetters deadLetters;

  TimelineListener(Ingest ingest, DeadLetters deadLetters) {
    this.ingest = ingest;
    this.deadLetters = deadLetters;
  }

  @Incoming(CHANNEL)
  @Blocking
  public void onBatch(ConsumerRecords<String, byte[]> batch) {
    List<RawRecord> records = new ArrayList<>(batch.count());
    for (ConsumerRecord<String, byte[]> record : batch) {
      records.add(raw(record));
    }
    Ingest.Outcome outcome = ingest.store(records);
    // Every dead letter of the batch on its way at once; the batch is acknowledged (returning) only
    // once the broker has them all.
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    for (Ingest.Rejected rejected : outcome.rejected()) {
      RawRecord record = rejected.record();
      ConsumerRecord<String, byte[]> original = find(batch, record);
      sends.add(
          deadLetters.post(
              record.topic(), record.key(), record.value(), original.headers(), rejected.reason()));
    }
    deadLetters.await(sends);
  }

  /** A Kafka record as the store takes it. */
  public static RawRecord raw(ConsumerRecord<String, byte[]> record) {
    return new RawRecord(
        record.topic(),
        record.partition(),
        record.offset(),
        record.key(),
        KafkaHeaders.asText(record.headers()),
        record.value() == null ? new byte[0] : record.value());
  }

  private static ConsumerRecord<String, byte[]> find(
      ConsumerRecords<String, byte[]> batch, RawRecord raw) {
    for (ConsumerRecord<String, byte[]> record : batch) {
      if (record.topic().equals(raw.topic())
          && record.partition() == raw.partition()
          && record.offset() == raw.offset()) {
        return record;
      }
    }
    throw new IllegalStateException("record not in its batch");
  }
}
