package dev.lifeboat.adapter.hcloud;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One command at a time per server, in arrival order: Hetzner locks a server during each action, so
 * commands touching the same server queue here instead of colliding there. Commands on different
 * servers run side by side.
 *
 * <p>One exception, asked for by the poller ({@link #startNextEarly}): a detach waiting behind a
 * detach whose action has run as long as every recent one did may start before that action is seen
 * to end. Hetzner's answer to its request tells whether the server was free (the action before it
 * ended) or still locked (then it is made again, as any {@code locked} answer is). Never more than
 * two commands run on one server.
 */
@Singleton
public class ServerQueues {

  /** A server's commands: how many run, and the ones waiting, first in line first. */
  private static final class Lane {
    int running;
    final Deque<Queued> waiting = new ArrayDeque<>();
  }

  private record Queued(boolean mayStartEarly, Runnable start) {}

  private final Map<Long, Lane> lanes = new HashMap<>();
  private final AtomicInteger queued = new AtomicInteger();

  ServerQueues(MeterRegistry registry) {
    Gauge.builder("lifeboat.hcloud.queue.length", queued, AtomicInteger::get)
        .description("Commands waiting for or running on their server")
        .register(registry);
  }

  /**
   * Runs the work once every earlier work on the same server has ended, or, where {@code
   * mayStartEarly}, once the one before it is presumed ended ({@link #startNextEarly}).
   */
  public <T> Uni<T> inOrder(long serverId, boolean mayStartEarly, Supplier<Uni<T>> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Runnable start =
        () ->
            Uni.createFrom()
                .deferred(work::get)
                .subscribe()
                .with(
                    value -> {
                      result.complete(value);
                      ended(serverId);
                    },
                    failure -> {
                      result.completeExceptionally(failure);
                      ended(serverId);
                    });
    queued.incrementAndGet();
    boolean now;
    synchronized (lanes) {
      Lane lane = lanes.computeIfAbsent(serverId, id -> new Lane());
      now = lane.running == 0 && lane.waiting.isEmpty();
      if (now) {
        lane.running = 1;
      } else {
        lane.waiting.addLast(new Queued(mayStartEarly, start));
      }
    }
    if (now) {
      start.run();
    }
    return Uni.createFrom().completionStage(result);
  }

  /**
   * Whether the next work on the server, if started early now, would be one that may: the only work
   * running there is the caller's, and the first waiting may start early.
   */
  public boolean nextMayStartEarly(long serverId) {
    synchronized (lanes) {
      Lane lane = lanes.get(serverId);
      return lane != null
          && lane.running == 1
          && !lane.waiting.isEmpty()
          && lane.waiting.peekFirst().mayStartEarly();
    }
  }

  /**
   * Starts the next work on the server while the one running goes on, if {@link
   * #nextMayStartEarly}; whether it did.
   */
  public boolean startNextEarly(long serverId) {
    Queued next;
    synchronized (lanes) {
      if (!nextMayStartEarly(serverId)) {
        return false;
      }
      Lane lane = lanes.get(serverId);
      next = lane.waiting.removeFirst();
      lane.running++;
    }
    next.start().run();
    return true;
  }

  /** A work ended: the next starts once none runs on the server. */
  private void ended(long serverId) {
    queued.decrementAndGet();
    Queued next = null;
    synchronized (lanes) {
      Lane lane = lanes.get(serverId);
      lane.running--;
      if (lane.running == 0) {
        next = lane.waiting.pollFirst();
        if (next == null) {
          lanes.remove(serverId);
        } else {
          lane.running = 1;
        }
      }
    }
    if (next != null) {
      next.start().run();
    }
  }
}
