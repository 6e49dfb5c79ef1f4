package dev.lifeboat.adapter.messaging;

import dev.lifeboat.adapter.execution.EndedIncidents;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.saga.IncidentCancelled;
import dev.lifeboat.events.saga.IncidentCompleted;
import dev.lifeboat.events.saga.IncidentPartial;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Reads the saga events for one thing: when an incident ends, so that its commands still waiting
 * here are dropped ({@link EndedIncidents}). Every replica reads every partition, in a consumer
 * group of its own; a record it cannot read is the audit service's to keep, and skipped here.
 */
@ApplicationScoped
public class SagaEventListener {

  private final EndedIncidents ended;

  SagaEventListener(EndedIncidents ended) {
    this.ended = ended;
  }

  @Incoming(Channels.SAGA_EVENTS)
  public CompletionStage<Void> onEvent(Message<LifeboatMessage> message) {
    LifeboatMessage event = message.getPayload();
    if (event instanceof IncidentCompleted
        || event instanceof IncidentPartial
        || event instanceof IncidentCancelled) {
      ended.ended(event.incidentId(), event.occurredAt());
    }
    return message.ack();
  }
}
