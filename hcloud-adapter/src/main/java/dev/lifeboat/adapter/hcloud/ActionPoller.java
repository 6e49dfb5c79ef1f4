package dev.lifeboat.adapter.hcloud;

import dev.lifeboat.adapter.config.AdapterConfig;
import dev.lifeboat.adapter.domain.ActionDurations;
import dev.lifeboat.adapter.domain.CallPriority;
import dev.lifeboat.adapter.domain.PollPlan;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
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
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Waits for Hetzner actions: one poller for every action the process waits on, asking {@code GET
 * /actions?id=..} for at most 25 ids at a time, every action in flight in the same request. Each
 * action is first asked about when actions of its kind have lately taken (their median, {@link
 * ActionDurations}), or after the initial interval while none has ended yet; then ever less often
 * while it runs on. A poll made for one action carries every other, so many concurrent actions cost
 * a few requests per second; an attach due shortly before a fence or detach waits for that one's
 * poll ({@link PollPlan}, {@code lifeboat.hcloud.poll.attach-slack}). Batches holding fencing
 * actions go first when the budget is low.
 */
@Singleton
@Startup
public class ActionPoller {

  /** The most ids hcloud-go puts in one poll, and the API's default page size. */
  public static final int BATCH = 25;

  /** An action waited on; {@code askAt} and {@code step} belong to the poller's thread. */
  private static final class Waiting {
    final long id;
    final CallPriority priority;
    final CompletableFuture<HcloudDtos.Action> done = new CompletableFuture<>();
    final long deadline;
    volatile long askAt;
    long step;

    Waiting(long id, CallPriority priority, long deadline, long askAt, long step) {
      this.id = id;
      this.priority = priority;
      this.deadline = deadline;
      this.askAt = askAt;
      this.step = step;
    }

    CallPriority priority() {
      return priority;
    }

    PollPlan.Waiting plan() {
      return new PollPlan.Waiting(askAt, priority == CallPriority.ATTACH);
    }

    long id() {
      return id;
    }
  }

  private final HcloudApi api;
  private final RateLimitBudget budget;
  private final Clock clock;
  private final MeterRegistry registry;
  private final Duration initial;
  private final Duration max;
  private final Duration actionTimeout;
  private final long attachSlack;
  private final ActionDurations durations = new ActionDurations();
  private final Map<Long, Waiting> waiting = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "hcloud-action-poller");
            thread.setDaemon(true);
            return thread;
          });
  private ScheduledFuture<?> next;
  private long nextAt = Long.MAX_VALUE;
  private boolean polling;

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
    this.attachSlack = PollPlan.slackMillis(config.poll().attachSlack());
  }

  /** Completes with the action once it has ended (success or error). */
  public Uni<HcloudDtos.Action> await(HcloudDtos.Action action, CallPriority priority) {
    if (action.ended()) {
      record(action);
      return Uni.createFrom().item(action);
    }
    long now = clock.millis();
    // The action started before its POST was answered, so its median end is at most this far off.
    Duration first = durations.median(action.command()).orElse(initial);
    Waiting entry =
        waiting.computeIfAbsent(
            action.id(),
            id ->
                new Waiting(
                    id,
                    priority,
                    now + actionTimeout.toMillis(),
                    now + first.toMillis(),
                    initial.toMillis()));
    reschedule();
    return Uni.createFrom().completionStage(entry.done);
  }

  @PreDestroy
  void stop() {
    timer.shutdownNow();
  }

  /**
   * Plans the next poll for the actions waited on now ({@link PollPlan}); a poll in flight plans
   * the next one itself when it is answered.
   */
  private synchronized void reschedule() {
    if (polling) {
      return;
    }
    long at = PollPlan.next(waiting.values().stream().map(Waiting::plan).toList(), attachSlack);
    if (at == nextAt) {
      return;
    }
    if (next != null) {
      next.cancel(false);
      next = null;
    }
    nextAt = at;
    if (at != Long.MAX_VALUE) {
      next = timer.schedule(this::poll, Math.max(0, at - clock.millis()), TimeUnit.MILLISECONDS);
    }
  }

  private void poll() {
    synchronized (this) {
      polling = true;
      next = null;
      nextAt = Long.MAX_VALUE;
    }
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
        .with(ended -> scheduleNext(), failure -> scheduleNext());
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
                    entry.done.complete(action);
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

  /**
   * After a poll: each action that was due and still runs is asked about again a little later than
   * last time (from the initial interval up to the longest); then the next poll is planned.
   */
  private void scheduleNext() {
    synchronized (this) {
      polling = false; // an action added from now on plans the next poll itself
    }
    long now = clock.millis();
    for (Waiting entry : waiting.values()) {
      if (entry.askAt <= now) {
        entry.askAt = now + entry.step;
        entry.step = Math.min(max.toMillis(), (long) (entry.step * 1.5));
      }
    }
    reschedule();
  }

  private void expireOverdue() {
    long now = clock.millis();
    for (Waiting entry : List.copyOf(waiting.values())) {
      if (entry.deadline < now && waiting.remove(entry.id, entry)) {
        entry.done.completeExceptionally(
            HcloudException.noAnswer(
                "action_timeout", "action " + entry.id + " did not end within " + actionTimeout));
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
    if ("success".equals(action.status())) {
      durations.record(action.command(), took);
    }
    Timer.builder("lifeboat.hcloud.action.duration")
        .description("How long Hetzner actions took, from started to finished")
        .tag("command", action.command())
        .tag("status", action.status())
        .register(registry)
        .record(took);
  }
}
