package dev.lifeboat.adapter.hcloud;

import dev.lifeboat.adapter.config.AdapterConfig;
import dev.lifeboat.adapter.domain.CallPriority;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Waits for Hetzner actions: one poller for every action the process waits on, asking {@code GET
 * /actions?id=..} for at most 25 ids at a time. The interval starts short when an action is added
 * and backs off while nothing changes, so many concurrent actions cost a few requests per second.
 * Batches holding fencing actions go first when the budget is low.
 */
@Singleton
public class ActionPoller {

  /** The most ids hcloud-go puts in one poll, and the API's default page size. */
  public static final int BATCH = 25;

  private record Waiting(
      long id, CallPriority priority, CompletableFuture<HcloudDtos.Action> done, long deadline) {}

  private final HcloudApi api;
  private final RateLimitBudget budget;
  private final Clock clock;
  private final MeterRegistry registry;
  private final Duration initial;
  private final Duration max;
  private final Duration actionTimeout;
  private final Map<Long, Waiting> waiting = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "hcloud-action-poller");
            thread.setDaemon(true);
            return thread;
          });
  private Duration interval;
  private boolean polling;
  private boolean pollSoon;

  ActionPoller(
      @RestClient HcloudApi api,
      RateLimitBudget budget,
      Clock clock,
      MeterRegistry registry,
      AdapterConfig config) {
    this.api = api;
    this.budget = budget;
    this.clock = clock;
    this.registry = registry;
    this.initial = config.poll().initialInterval();
    this.max = config.poll().maxInterval();
    this.actionTimeout = config.poll().actionTimeout();
    this.interval = initial;
  }

  /** Completes with the action once it has ended (success or error). */
  public Uni<HcloudDtos.Action> await(HcloudDtos.Action action, CallPriority priority) {
    if (action.ended()) {
      record(action);
      return Uni.createFrom().item(action);
    }
    Waiting entry =
        waiting.computeIfAbsent(
            action.id(),
            id ->
                new Waiting(
                    id,
                    priority,
                    new CompletableFuture<>(),
                    clock.millis() + actionTimeout.toMillis()));
    startSoon();
    return Uni.createFrom().completionStage(entry.done());
  }

  @PreDestroy
  void stop() {
    timer.shutdownNow();
  }

  private synchronized void startSoon() {
    interval = initial;
    if (polling) {
      pollSoon = true;
      return;
    }
    polling = true;
    timer.schedule(this::poll, initial.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void poll() {
    expireOverdue();
    List<Waiting> all = new ArrayList<>(waiting.values());
    all.sort(Comparator.comparing(Waiting::priority).thenComparingLong(Waiting::id));
    List<List<Waiting>> batches = new ArrayList<>();
    for (int i = 0; i < all.size(); i += BATCH) {
      batches.add(all.subList(i, Math.min(i + BATCH, all.size())));
    }
    Multi.createFrom()
        .iterable(batches)
        .onItem()
        .transformToUniAndConcatenate(this::pollBatch)
        .collect()
        .with(java.util.stream.Collectors.summingInt(Integer::intValue))
        .subscribe()
        .with(this::scheduleNext, failure -> scheduleNext(0));
  }

  private Uni<Integer> pollBatch(List<Waiting> batch) {
    CallPriority priority = batch.get(0).priority();
    List<Long> ids = batch.stream().map(Waiting::id).toList();
    return budget
        .acquire(priority == CallPriority.FENCE ? CallPriority.FENCE : CallPriority.READ)
        .chain(() -> api.actions(ids, BATCH))
        .onTermination()
        .invoke(budget::answered)
        .map(
            list -> {
              int ended = 0;
              for (HcloudDtos.Action action : list.actions()) {
                if (action.ended()) {
                  Waiting entry = waiting.remove(action.id());
                  if (entry != null) {
                    record(action);
                    entry.done().complete(action);
                    ended++;
                  }
                }
              }
              return ended;
            })
        .onFailure()
        .recoverWithItem(
            failure -> {
              Log.warnf("polling actions %s failed: %s", ids, failure.toString());
              return 0;
            });
  }

  private synchronized void scheduleNext(int ended) {
    if (waiting.isEmpty()) {
      polling = false;
      pollSoon = false;
      return;
    }
    if (ended > 0 || pollSoon) {
      interval = initial;
    } else {
      interval = Duration.ofMillis(Math.min(max.toMillis(), (long) (interval.toMillis() * 1.5)));
    }
    pollSoon = false;
    timer.schedule(this::poll, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void expireOverdue() {
    long now = clock.millis();
    for (Waiting entry : List.copyOf(waiting.values())) {
      if (entry.deadline() < now && waiting.remove(entry.id(), entry)) {
        entry
            .done()
            .completeExceptionally(
                HcloudException.noAnswer(
                    "action_timeout",
                    "action " + entry.id() + " did not end within " + actionTimeout));
      }
    }
  }

  private void record(HcloudDtos.Action action) {
    if (action.started() == null || action.finished() == null) {
      return;
    }
    Duration took =
        Duration.between(
            OffsetDateTime.parse(action.started()), OffsetDateTime.parse(action.finished()));
    Timer.builder("lifeboat.hcloud.action.duration")
        .description("How long Hetzner actions took, from started to finished")
        .tag("command", action.command())
        .tag("status", action.status())
        .register(registry)
        .record(took);
  }
}
