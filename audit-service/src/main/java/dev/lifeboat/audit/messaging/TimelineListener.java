package dev.lifeboat.audit.messaging;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.codec.MessageTypes;
import dev.lifeboat.service.Arrivals;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Receives every message on Lifeboat's topics, for the timeline. Records that are not messages of
 * the contract never reach it: the connector sends them to the dead-letter topic with the reason,
 * as it does with a message that {@link Arrivals} refuses.
 */
@ApplicationScoped
public class TimelineListener {

  private final Arrivals arrivals;

  TimelineListener(Arrivals arrivals) {
    this.arrivals = arrivals;
  }

  @Incoming(Channels.LIFEBOAT_TOPICS)
  public void onMessage(LifeboatMessage message, IncomingKafkaRecordMetadata<String, ?> record) {
    arrivals.accept(message, record);
    // Persisting the timeline arrives with the audit-service issue; until then only logged.
    Log.infof(
        "received %s %s of incident %s",
        MessageTypes.typeOf(message.getClass()), message.messageId(), message.incidentId());
  }
}
