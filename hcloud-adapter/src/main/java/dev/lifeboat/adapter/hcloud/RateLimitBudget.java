package dev.lifeboat.adapter.hcloud;

import dev.lifeboat.adapter.config.AdapterConfig;
import dev.lifeboat.adapter.domain.CallPriority;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The project's request budget (Hetzner: a bucket of 3600 refilled at 1/s, shared with the cloud
 * controller manager). Every call takes one request from it first. The budget follows the {@code
 * RateLimit-*} headers of every answer; while plenty remains, calls go at once; when it runs low,
 * calls wait and go in priority order (fencing, detach, attach, reads), paced by the refill; after
 * a 429 everything waits for the refill instead of hammering.
 */
@Singleton
public class RateLimitBudget {

  private record Waiter(CallPriority priority, long order, CompletableFuture<Void> go) {}

  /** Over how long the calls this adapter made are counted for {@link View#servedPerSecond}. */
  static final long SERVED_WINDOW_MILLIS = 60_000;

  /**
   * The budget as the adapter sees it now.
   *
   * @param remaining requests left, as estimated
   * @param limit the bucket's size
   * @param refillPerSecond the API's refill
   * @param servedPerSecond calls this adapter made per second over the last minute
   * @param waiting calls waiting for the budget
   */
  public record View(
      int remaining, int limit, double refillPerSecond, double servedPerSecond, int waiting) {

    /** Short: calls wait, or less than half of the bucket is left. */
    public boolean constrained() {
      return waiting > 0 || remaining < limit / 2;
    }
  }

  private final int reserve;
  private final Clock clock;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "hcloud-rate-limit-budget");
            thread.setDaemon(true);
            return thread;
          });
  private final PriorityQueue<Waiter> waiters =
      new PriorityQueue<>(Comparator.comparing(Waiter::priority).thenComparingLong(Waiter::order));
  private int limit = 3600;
  private double tokens = 3600;
  private double refillPerSecond = 1;
  private long tokensAtMillis;
  private long order;
  private int inFlight;
  private ScheduledFuture<?> nextDrain;
  private final ArrayDeque<Long> served = new ArrayDeque<>();
  private final MeterRegistry registry;
  private final List<Gauge> gauges;

  RateLimitBudget(AdapterConfig config, Clock clock, MeterRegistry registry) {
    this.reserve = config.budget().reserve();
    this.clock = clock;
    this.tokensAtMillis = clock.millis();
    this.registry = registry;
    this.gauges =
        List.of(
            Gauge.builder("lifeboat.hcloud.budget.remaining", this, RateLimitBudget::remaining)
                .description(
                    "Requests left in the project's Hetzner API budget, as the adapter sees it")
                .register(registry),
            Gauge.builder("lifeboat.hcloud.budget.waiting", this, RateLimitBudget::waiting)
                .description("Calls waiting for the budget")
                .register(registry));
  }

  /**
   * The request, sent once a call of this priority may be made: it takes one request from the
   * budget while it is on its way. A caller that stops waiting before its turn (its subscription
   * cancelled, as a doctor reading given up is) leaves the queue and takes nothing, and its request
   * is never sent.
   */
  public <T> Uni<T> spend(CallPriority priority, Supplier<Uni<T>> request) {
    return Uni.createFrom()
        .deferred(
            () -> {
              Waiter waiter;
              synchronized (this) {
                waiter = new Waiter(priority, order++, new CompletableFuture<>());
                waiters.add(waiter);
              }
              drain();
              return Uni.createFrom()
                  .completionStage(waiter.go())
                  .onCancellation()
                  .invoke(() -> withdraw(waiter))
                  .chain(
                      () ->
                          Uni.createFrom()
                              .<T>deferred(request::get)
                              .onTermination()
                              .invoke(this::answered));
            });
  }

  /** A call that took a request from the budget has ended. */
  private synchronized void answered() {
    inFlight = Math.max(0, inFlight - 1);
  }

  /**
   * A caller stopped waiting: out of the queue; or, let go just as it stopped, its request is given
   * back, since it is not sent.
   */
  private void withdraw(Waiter waiter) {
    synchronized (this) {
      if (!waiters.remove(waiter)) {
        tokens += 1;
        inFlight = Math.max(0, inFlight - 1);
      }
    }
    drain();
  }

  /**
   * What an answer's {@code RateLimit-Limit}, {@code -Remaining} and {@code -Reset} said; the API's
   * count is the truth (the cloud controller manager spends the same budget), less the other calls
   * of this adapter still on their way.
   */
  public void observe(int answeredLimit, int remaining, long resetEpochSecond) {
    synchronized (this) {
      refill();
      limit = Math.max(1, answeredLimit);
      tokens = remaining - Math.max(0, inFlight - 1);
      double secondsToFull = resetEpochSecond - clock.millis() / 1000.0;
      if (remaining < limit && secondsToFull > 0) {
        refillPerSecond = Math.max(0.01, Math.min(1000, (limit - remaining) / secondsToFull));
      }
    }
    drain();
  }

  /** The API answered 429: nothing is left until the bucket refills. */
  public void exhausted() {
    synchronized (this) {
      refill();
      tokens = Math.min(tokens, 0);
    }
    drain();
  }

  /** Requests left, as the adapter estimates them. */
  public synchronized double remaining() {
    refill();
    return Math.floor(tokens);
  }

  /** Calls waiting for the budget. */
  public synchronized int waiting() {
    return waiters.size();
  }

  /** The budget now, with the calls this adapter made over the last minute. */
  public synchronized View view() {
    refill();
    long since = clock.millis() - SERVED_WINDOW_MILLIS;
    while (!served.isEmpty() && served.peekFirst() < since) {
      served.removeFirst();
    }
    return new View(
        (int) Math.max(0, Math.floor(tokens)),
        limit,
        refillPerSecond,
        served.size() / (SERVED_WINDOW_MILLIS / 1000.0),
        waiters.size());
  }

  @PreDestroy
  void stop() {
    // The registry may outlive this instance (a test JVM that starts the application again).
    gauges.forEach(registry::remove);
    timer.shutdownNow();
  }

  private void drain() {
    List<CompletableFuture<Void>> released = new ArrayList<>();
    synchronized (this) {
      refill();
      int effectiveReserve = Math.min(reserve, limit / 2);
      while (!waiters.isEmpty()) {
        Waiter head = waiters.peek();
        double needed = 1 + head.priority().keepsInReserve(effectiveReserve);
        if (tokens < needed) {
          scheduleDrain((needed - tokens) / refillPerSecond);
          break;
        }
        tokens -= 1;
        inFlight++;
        served.addLast(clock.millis());
        released.add(waiters.poll().go());
      }
    }
    released.forEach(go -> go.complete(null));
  }

  private void scheduleDrain(double seconds) {
    if (nextDrain != null && !nextDrain.isDone()) {
      nextDrain.cancel(false);
    }
    long delayMillis = Math.max(1, (long) Math.ceil(seconds * 1000));
    nextDrain = timer.schedule(this::drain, delayMillis, TimeUnit.MILLISECONDS);
  }

  private void refill() {
    long now = clock.millis();
    if (now > tokensAtMillis) {
      tokens = Math.min(limit, tokens + (now - tokensAtMillis) / 1000.0 * refillPerSecond);
      tokensAtMillis = now;
    }
  }
}
