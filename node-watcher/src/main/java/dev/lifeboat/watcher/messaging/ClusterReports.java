package dev.lifeboat.watcher.messaging;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.cluster.ClusterResult;
import dev.lifeboat.events.node.NodeEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Sends what node-watcher observes and achieves, keyed by incident id. */
@ApplicationScoped
public class ClusterReports {

  private final MutinyEmitter<LifeboatMessage> nodeEvents;
  private final MutinyEmitter<LifeboatMessage> clusterResults;

  ClusterReports(
      @Channel(Channels.NODE_EVENTS) MutinyEmitter<LifeboatMessage> nodeEvents,
      @Channel(Channels.CLUSTER_RESULTS) MutinyEmitter<LifeboatMessage> clusterResults) {
    this.nodeEvents = nodeEvents;
    this.clusterResults = clusterResults;
  }

  /** Sends a fact about a node; completes when the broker has it. */
  public CompletionStage<Void> publish(NodeEvent event) {
    return nodeEvents
        .sendMessage(KafkaRecord.of(event.incidentId(), (LifeboatMessage) event))
        .subscribeAsCompletionStage();
  }

  /** Sends the outcome of a cluster command; completes when the broker has it. */
  public CompletionStage<Void> publish(ClusterResult result) {
    return clusterResults
        .sendMessage(KafkaRecord.of(result.incidentId(), (LifeboatMessage) result))
        .subscribeAsCompletionStage();
  }
}
