package dev.lifeboat.audit.messaging;

import dev.lifeboat.audit.persistence.DeadLetterStore;
import dev.lifeboat.audit.persistence.DeadRecord;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Keeps the dead letters of every service, with their reason, so that a person sees on the API what
 * was refused and why. They are read as raw bytes, key included, and kept as such: nothing here can
 * be refused again (a NUL byte or bytes that are not UTF-8 included).
 */
@ApplicationScoped
public class DeadLetterListener {

  /** The channel of the dead-letter topic. */
  public static final String CHANNEL = "dead-letters";

  private final DeadLetterStore store;

  DeadLetterListener(DeadLetterStore store) {
    this.store = store;
  }

  @Incoming(CHANNEL)
  @Blocking
  public void onBatch(ConsumerRecords<byte[], byte[]> batch) {
    batch.forEach(record -> store.store(dead(record)));
  }

  /** The record as the bytes it was. */
  static DeadRecord dead(ConsumerRecord<byte[], byte[]> record) {
    List<DeadRecord.Header> headers = new ArrayList<>();
    record.headers().forEach(h -> headers.add(new DeadRecord.Header(h.key(), h.value())));
    return new DeadRecord(
        record.topic(), record.partition(), record.offset(), record.key(), headers, record.value());
  }
}
