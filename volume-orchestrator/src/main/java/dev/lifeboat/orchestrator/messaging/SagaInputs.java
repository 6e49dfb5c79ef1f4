package dev.lifeboat.orchestrator.messaging;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.codec.MessageTypes;
import dev.lifeboat.service.Arrivals;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Receives everything the sagas react to. Records that are not messages of the contract never reach
 * it: the connector sends them to the dead-letter topic with the reason, as it does with a message
 * that {@link Arrivals} refuses.
 */
@ApplicationScoped
public class SagaInputs {

  private final Arrivals arrivals;

  SagaInputs(Arrivals arrivals) {
    this.arrivals = arrivals;
  }

  @Incoming(Channels.NODE_EVENTS)
  @Incoming(Channels.CLUSTER_RESULTS)
  @Incoming(Channels.HCLOUD_RESULTS)
  @Incoming(Channels.CONTROL)
  public void onMessage(LifeboatMessage message, IncomingKafkaRecordMetadata<String, ?> record) {
    arrivals.accept(message, record);
    // The saga arrives with the volume-orchestrator issue; until then messages are only logged.
    Log.infof(
        "received %s %s of incident %s",
        MessageTypes.typeOf(message.getClass()), message.messageId(), message.incidentId());
  }
}
