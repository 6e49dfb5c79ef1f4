package dev.lifeboat.adapter.messaging;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.codec.MessageTypes;
import dev.lifeboat.events.hcloud.HcloudCommand;
import dev.lifeboat.service.Arrivals;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Receives the orchestrator's Hetzner commands. Records that are not messages of the contract never
 * reach it: the connector sends them to the dead-letter topic with the reason, as it does with a
 * message that {@link Arrivals} refuses.
 */
@ApplicationScoped
public class HcloudCommandListener {

  private final Arrivals arrivals;

  HcloudCommandListener(Arrivals arrivals) {
    this.arrivals = arrivals;
  }

  @Incoming(Channels.HCLOUD_COMMANDS)
  public void onCommand(LifeboatMessage message, IncomingKafkaRecordMetadata<String, ?> record) {
    HcloudCommand command = (HcloudCommand) arrivals.accept(message, record);
    // Calling Hetzner arrives with the hcloud-adapter issue; until then commands are only logged.
    Log.infof(
        "received %s %s of incident %s",
        MessageTypes.typeOf(command.getClass()), command.commandId(), command.incidentId());
  }
}
