package dev.lifeboat.audit.messaging;

import dev.lifeboat.audit.persistence.DeadLetterStore;
import dev.lifeboat.service.DeadLetters;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Keeps the dead letters of every service, with their reason, so that a person sees on the API what
 * was refused and why. They are read as raw bytes: nothing here can be refused again.
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
  public void onBatch(ConsumerRecords<String, byte[]> batch) {
    batch.forEach(
        record ->
            store.store(
                TimelineListener.raw(record),
                header(record, DeadLetters.TOPIC),
                header(record, DeadLetters.REASON)));
  }

  private static String header(
      org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null
        ? null
        : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
  }
}
