package dev.lifeboat.watcher.messaging;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.cluster.ClusterResult;
import dev.lifeboat.events.node.NodeEvent;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** Sends what node-watcher observes and achieves, keyed by incident id. */
@ApplicationScoped
public class ClusterReports {

  private final Emitter<LifeboatMessage> nodeEvents;
  private final Emitter<LifeboatMessage> clusterResults;

  ClusterReports(
      @Channel(Channels.NODE_EVENTS) Emitter<LifeboatMessage> nodeEvents,
      @Channel(Channels.CLUSTER_RESULTS) Emitter<LifeboatMessage> clusterResults) {
    this.nodeEvents = nodeEvents;
    this.clusterResults = clusterResults;
  }

  /** Sends a fact about a node; completes when the broker has it. */
  public CompletionStage<Void> publish(NodeEvent event) {
    return send(nodeEvents, event);
  }

  /** Sends the outcome of a cluster command; completes when the broker has it. */
  public CompletionStage<Void> publish(ClusterResult result) {
    return send(clusterResults, result);
  }

  private static CompletionStage<Void> send(
      Emitter<LifeboatMessage> emitter, LifeboatMessage message) {
    CompletableFuture<Void> acked = new CompletableFuture<>();
    emitter.send(
        KafkaRecord.of(message.incidentId(), message)
            .withAck(
                () -> {
                  acked.complete(null);
                  return CompletableFuture.completedFuture(null);
                })
            .withNack(
                failure -> {
                  acked.completeExceptionally(failure);
                  return CompletableFuture.completedFuture(null);
                }));
    return acked;
  }
}
