package dev.lifeboat.watcher.messaging;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.cluster.ClusterCommand;
import dev.lifeboat.events.codec.MessageTypes;
import dev.lifeboat.service.Arrivals;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Receives the orchestrator's cluster commands. Records that are not messages of the contract never
 * reach it: the connector sends them to the dead-letter topic with the reason, as it does with a
 * message that {@link Arrivals} refuses.
 */
@ApplicationScoped
public class ClusterCommandListener {

  private final Arrivals arrivals;

  ClusterCommandListener(Arrivals arrivals) {
    this.arrivals = arrivals;
  }

  @Incoming(Channels.CLUSTER_COMMANDS)
  public void onCommand(LifeboatMessage message, IncomingKafkaRecordMetadata<String, ?> record) {
    ClusterCommand command = (ClusterCommand) arrivals.accept(message, record);
    // Carrying out commands arrives with the node-watcher issue; until then they are only logged.
    Log.infof(
        "received %s %s of incident %s",
        MessageTypes.typeOf(command.getClass()), command.commandId(), command.incidentId());
  }
}
