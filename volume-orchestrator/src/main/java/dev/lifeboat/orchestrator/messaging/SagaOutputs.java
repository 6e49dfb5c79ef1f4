package dev.lifeboat.orchestrator.messaging;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.cluster.ClusterCommand;
import dev.lifeboat.events.hcloud.HcloudCommand;
import dev.lifeboat.events.saga.SagaEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Sends the sagas' commands and events, keyed by incident id. */
@ApplicationScoped
public class SagaOutputs {

  private final MutinyEmitter<LifeboatMessage> clusterCommands;
  private final MutinyEmitter<LifeboatMessage> hcloudCommands;
  private final MutinyEmitter<LifeboatMessage> sagaEvents;

  SagaOutputs(
      @Channel(Channels.CLUSTER_COMMANDS) MutinyEmitter<LifeboatMessage> clusterCommands,
      @Channel(Channels.HCLOUD_COMMANDS) MutinyEmitter<LifeboatMessage> hcloudCommands,
      @Channel(Channels.SAGA_EVENTS) MutinyEmitter<LifeboatMessage> sagaEvents) {
    this.clusterCommands = clusterCommands;
    this.hcloudCommands = hcloudCommands;
    this.sagaEvents = sagaEvents;
  }

  /** Sends a command to node-watcher; completes when the broker has it. */
  public CompletionStage<Void> send(ClusterCommand command) {
    return send(clusterCommands, command);
  }

  /** Sends a command to hcloud-adapter; completes when the broker has it. */
  public CompletionStage<Void> send(HcloudCommand command) {
    return send(hcloudCommands, command);
  }

  /** Records a saga event; completes when the broker has it. */
  public CompletionStage<Void> send(SagaEvent event) {
    return send(sagaEvents, event);
  }

  private static CompletionStage<Void> send(
      MutinyEmitter<LifeboatMessage> emitter, LifeboatMessage message) {
    return emitter
        .sendMessage(KafkaRecord.of(message.incidentId(), message))
        .subscribeAsCompletionStage();
  }
}
