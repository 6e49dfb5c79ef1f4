package dev.lifeboat.adapter.hcloud;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One command at a time per server, in arrival order: Hetzner locks a server during each action, so
 * commands touching the same server queue here instead of colliding there. Commands on different
 * servers run side by side.
 */
@Singleton
public class ServerQueues {

  private final Map<Long, CompletableFuture<Void>> tails = new HashMap<>();
  private final AtomicInteger queued = new AtomicInteger();

  ServerQueues(MeterRegistry registry) {
    Gauge.builder("lifeboat.hcloud.queue.length", queued, AtomicInteger::get)
        .description("Commands waiting for or running on their server")
        .register(registry);
  }

  /** Runs the work once every earlier work on the same server has ended. */
  public <T> Uni<T> inOrder(long serverId, Supplier<Uni<T>> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    CompletableFuture<Void> done;
    synchronized (tails) {
      CompletableFuture<Void> previous =
          tails.getOrDefault(serverId, CompletableFuture.completedFuture(null));
      queued.incrementAndGet();
      done =
          previous.thenCompose(
              ignored ->
                  Uni.createFrom()
                      .deferred(work::get)
                      .subscribeAsCompletionStage()
                      .handle(
                          (value, failure) -> {
                            if (failure == null) {
                              result.complete(value);
                            } else {
                              result.completeExceptionally(failure);
                            }
                            return (Void) null;
                          }));
      tails.put(serverId, done);
    }
    done.whenComplete(
        (ignored, failure) -> {
          queued.decrementAndGet();
          synchronized (tails) {
            tails.remove(serverId, done);
          }
        });
    return Uni.createFrom().completionStage(result);
  }
}
