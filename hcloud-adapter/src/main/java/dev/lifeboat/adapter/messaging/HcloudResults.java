package dev.lifeboat.adapter.messaging;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.hcloud.HcloudResult;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Sends the outcomes of Hetzner commands, keyed by incident id. */
@ApplicationScoped
public class HcloudResults {

  private final MutinyEmitter<LifeboatMessage> results;

  HcloudResults(@Channel(Channels.HCLOUD_RESULTS) MutinyEmitter<LifeboatMessage> results) {
    this.results = results;
  }

  /** Sends the outcome of a command; completes when the broker has it. */
  public CompletionStage<Void> publish(HcloudResult result) {
    return results
        .sendMessage(KafkaRecord.of(result.incidentId(), (LifeboatMessage) result))
        .subscribeAsCompletionStage();
  }
}
