package dev.lifeboat.watcher.messaging;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.cluster.ClusterCommand;
import dev.lifeboat.events.codec.MessageTypes;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Receives the orchestrator's cluster commands. Records that are not commands of the contract never
 * reach it: the connector sends them to the dead-letter topic with the reason.
 */
@ApplicationScoped
public class ClusterCommandListener {

  /** Counter of received messages, tagged by topic and CloudEvents type. */
  public static final String RECEIVED = "lifeboat.messages.received";

  private final MeterRegistry registry;

  ClusterCommandListener(MeterRegistry registry) {
    this.registry = registry;
  }

  @Incoming(Channels.CLUSTER_COMMANDS)
  public void onCommand(LifeboatMessage message) {
    ClusterCommand command = (ClusterCommand) Topic.CLUSTER_COMMANDS.requireCarried(message);
    String type = MessageTypes.typeOf(command.getClass());
    registry.counter(RECEIVED, "topic", Channels.CLUSTER_COMMANDS, "type", type).increment();
    // Carrying out commands arrives with the node-watcher issue; until then they are only logged.
    Log.infof("received %s %s of incident %s", type, command.commandId(), command.incidentId());
  }
}
