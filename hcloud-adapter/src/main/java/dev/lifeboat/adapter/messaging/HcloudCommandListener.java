package dev.lifeboat.adapter.messaging;

import dev.lifeboat.adapter.execution.CommandExecutor;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.hcloud.HcloudCommand;
import dev.lifeboat.service.Arrivals;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Receives the orchestrator's Hetzner commands and starts each at once, so a command waiting on a
 * slow action, the budget or its server's queue never holds up the others. A command's record is
 * acknowledged (and its offset may be committed) only once its result is on the broker:
 * at-least-once, made harmless by observe-then-act. Records that are not commands of the contract
 * go to the dead-letter topic with the reason.
 */
@ApplicationScoped
public class HcloudCommandListener {

  private final Arrivals arrivals;
  private final CommandExecutor executor;
  private final HcloudResults results;

  HcloudCommandListener(Arrivals arrivals, CommandExecutor executor, HcloudResults results) {
    this.arrivals = arrivals;
    this.executor = executor;
    this.results = results;
  }

  @Incoming(Channels.HCLOUD_COMMANDS)
  public CompletionStage<Void> onCommand(Message<LifeboatMessage> message) {
    HcloudCommand command;
    try {
      IncomingKafkaRecordMetadata<?, ?> record =
          message.getMetadata(IncomingKafkaRecordMetadata.class).orElseThrow();
      command = (HcloudCommand) arrivals.accept(message.getPayload(), record);
    } catch (RuntimeException refused) {
      return message.nack(refused);
    }
    executor
        .execute(command)
        .subscribeAsCompletionStage()
        .thenCompose(results::publish)
        .whenComplete(
            (published, failure) -> {
              if (failure == null) {
                message.ack();
              } else {
                message.nack(failure);
              }
            });
    return CompletableFuture.completedFuture(null);
  }
}
