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
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 *
 * <p>A detach due to be asked about while its server's sighting has spent half its age is asked
 * about on the server list instead ({@link ServerSightings#halfSpent}): the volume gone from its
 * unlocked server says the action succeeded, and the same read is the young sighting the server's
 * next detach needs to prove the fence, which would otherwise read the list for itself. Every
 * action whose effect the list shows ends with it; one it does not show (still running, or failed)
 * is asked about again as usual, by {@code GET /actions}, since the list is then young. An action
 * seen ended on the list has no finish time; it took at most until the list was read, which teaches
 * {@link ActionDurations} only when that is less than the median so far.
 *
 * <p>An attach answered {@code locked} (the CSI driver attaching the same volume to the same node
 * first) waits for its effect alone ({@link #awaitEffect}), first asked about a whole action's
 * median after the refusal: while one waits, every detach's look reads the list, which shows it,
 * where looking up the running action would cost a request of its own.
 */
@Singleton
@Startup
public class ActionPoller {

  /** The most ids hcloud-go puts in one poll, and the API's default page size. */
  public static final int BATCH = 25;

  /**
   * How long an effect alone is waited for before its caller looks its action up: a server locked
   * that long holds something else than the attach that locked the volume.
   */
  static final Duration EFFECT_WAIT = Duration.ofSeconds(30);

  /**
   * The shortest actions after which a detach lets the next one start instead of being looked at: a
   * wrong guess costs the next one a retry at least 500 ms later, longer than a shorter action
   * itself (measured: with instant actions, `bench storm`, the handover slowed the detaches).
   */
  static final Duration SHORTEST_HANDED_OVER = Duration.ofMillis(500);

  /**
   * What a server read shows once an action on a volume succeeded: the volume on the server ({@code
   * attached}) or off it, the server no longer locked by the action.
   */
  public record Effect(long serverId, long volumeId, boolean attached) {

    /** The command of the action that has this effect. */
    String command() {
      return attached ? "attach_volume" : "detach_volume";
    }

    boolean shownBy(HcloudDtos.Server server) {
      return server.id() == serverId
          && !server.locked()
          && (server.volumes() != null && server.volumes().contains(volumeId)) == attached;
    }
  }

  /**
   * An action waited on, or an effect alone ({@code started} null: an action of another client
   * whose id is not known); {@code askAt} and {@code step} belong to the poller's thread.
   */
  private static final class Waiting {
    final long id;
    final HcloudDtos.Action started;
    final Effect effect;
    final CallPriority priority;
    final CompletableFuture<HcloudDtos.Action> done = new CompletableFuture<>();
    final long deadline;
    volatile long askAt;
    long step;

    /**
     * How long its kind's actions steadily take, in millis, if, once due, it lets its server's next
     * detach start instead of being asked about ({@link #handOver}); 0 if not. Then {@code parked},
     * asked about with that one.
     */
    final long handOverAfter;

    boolean parked;

    Waiting(
        long id,
        HcloudDtos.Action started,
        Effect effect,
        CallPriority priority,
        long deadline,
        long askAt,
        long step,
        long handOverAfter) {
      this.id = id;
      this.started = started;
      this.effect = effect;
      this.priority = priority;
      this.deadline = deadline;
      this.askAt = askAt;
      this.step = step;
      this.handOverAfter = handOverAfter;
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

    boolean effectOnly() {
      return started == null;
    }

    /**
     * Whether its look should read the server list: an effect alone, which nothing else shows; a
     * detach whose server's sighting is half spent, or while an effect alone waits (the same read
     * answers both).
     */
    boolean wantsTheList(ServerSightings sightings, boolean anEffectWaits) {
      return effectOnly()
          || (effect != null
              && !effect.attached()
              && (anEffectWaits || sightings.halfSpent(effect.serverId())));
    }

    /**
     * What it ends with once the list shows its effect: a success with no finish time, with the
     * start and resources of the action started (an effect alone has none, and its caller reads
     * only that it ended).
     */
    HcloudDtos.Action shownEnded() {
      return new HcloudDtos.Action(
          id,
          effect.command(),
          "success",
          100,
          effectOnly() ? null : started.started(),
          null,
          effectOnly() ? List.of() : started.resources(),
          null);
    }
  }

  private final HcloudApi api;
  private final HcloudCalls calls;
  private final ServerSightings sightings;
  private final ServerQueues queues;
  private final RateLimitBudget budget;
  private final Clock clock;
  private final MeterRegistry registry;
  private final Duration initial;
  private final Duration max;
  private final Duration actionTimeout;
  private final long attachSlack;
  private final ActionDurations durations = new ActionDurations();
  private final Map<Long, Waiting> waiting = new ConcurrentHashMap<>();
  private final AtomicLong effectIds = new AtomicLong();
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
      HcloudCalls calls,
      ServerSightings sightings,
      ServerQueues queues,
      RateLimitBudget budget,
      Clock clock,
      MeterRegistry registry,
      AdapterConfig config) {
    this.api = api;
    this.calls = calls;
    this.sightings = sightings;
    this.queues = queues;
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
    return await(action, priority, null);
  }

  /**
   * Completes with the action once it has ended (success or error), or once a read of the server
   * list made for it shows its effect (then as a success with no finish time).
   */
  public Uni<HcloudDtos.Action> await(
      HcloudDtos.Action action, CallPriority priority, Effect effect) {
    if (action.ended()) {
      record(action);
      return Uni.createFrom().item(action);
    }
    long now = clock.millis();
    long handOverAfter =
        effect != null && !effect.attached() && queues.nextMayStartEarly(effect.serverId())
            ? steady(action.command()).map(Duration::toMillis).orElse(0L)
            : 0;
    // The action started before its POST was answered, so its median end is at most this far off;
    // one that hands over is due once it has run as long as the longest lately.
    long askAt =
        now
            + (handOverAfter > 0
                ? handOverAfter
                : durations.median(action.command()).orElse(initial).toMillis());
    Waiting entry =
        waiting.computeIfAbsent(
            action.id(),
            id ->
                new Waiting(
                    id,
                    action,
                    effect,
                    priority,
                    now + actionTimeout.toMillis(),
                    askAt,
                    initial.toMillis(),
                    handOverAfter));
    reschedule();
    return Uni.createFrom().completionStage(entry.done);
  }

  /**
   * Waits for an effect whose action is not known (another client's, holding the volume locked) to
   * show on the server list, read with a detach's look when one is due within the slack: true once
   * it shows; false, for the caller to look the action up, when the project does not fit on one
   * page of the list, once the list shows the server unlocked without it (that action ended
   * otherwise, or was not on this server), or after {@link #EFFECT_WAIT}.
   */
  public Uni<Boolean> awaitEffect(Effect effect) {
    if (!calls.serversOnOnePage()) {
      return Uni.createFrom().item(false);
    }
    long now = clock.millis();
    // The other client's action started before this one was refused: a whole action of the kind
    // (or, none known yet, of a detach, which takes about as long) is later than its end.
    Duration first =
        durations
            .median(effect.command())
            .or(() -> durations.median("detach_volume"))
            .orElse(initial);
    long id = -effectIds.incrementAndGet();
    Waiting entry =
        new Waiting(
            id,
            null,
            effect,
            CallPriority.ATTACH,
            now + EFFECT_WAIT.toMillis(),
            now + first.toMillis(),
            initial.toMillis(),
            0);
    waiting.put(id, entry);
    reschedule();
    return Uni.createFrom().completionStage(entry.done).map(Objects::nonNull);
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
    long now = clock.millis();
    boolean onePage = calls.serversOnOnePage();
    if (!onePage) {
      // The list no longer answers for every server: effects alone are the callers' to look up.
      waiting.values().stream().filter(Waiting::effectOnly).toList().forEach(w -> end(w, null));
    }
    if (handOver(now)
        && PollPlan.next(waiting.values().stream().map(Waiting::plan).toList(), attachSlack)
            > now) {
      // Nothing else was due: the next detach's look asks about the one that let it start.
      synchronized (this) {
        polling = false;
      }
      reschedule();
      return;
    }
    List<Waiting> due = waiting.values().stream().filter(w -> w.askAt <= now).toList();
    boolean anEffectWaits = waiting.values().stream().anyMatch(Waiting::effectOnly);
    boolean list = onePage && due.stream().anyMatch(w -> w.wantsTheList(sightings, anEffectWaits));
    boolean actions = !list || due.stream().anyMatch(w -> w.effect == null);
    Uni<Void> looked =
        list
            ? calls
                .everyServer(CallPriority.READ)
                .invoke(servers -> endShownBy(servers, now))
                .onFailure()
                .invoke(
                    failure ->
                        Log.warnf(
                            "reading the server list for actions failed: %s", failure.toString()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid()
            : Uni.createFrom().voidItem();
    looked
        .chain(() -> actions ? pollActions() : Uni.createFrom().item(0))
        .subscribe()
        .with(ended -> scheduleNext(), failure -> scheduleNext());
  }

  /**
   * The durations of the command's recent actions, their longest, when steady: all within the
   * initial poll interval of their median, so that an action that has run that long has ended but
   * rarely; and at least {@link #SHORTEST_HANDED_OVER}.
   */
  private Optional<Duration> steady(String command) {
    Optional<Duration> median = durations.median(command);
    Optional<Duration> longest = durations.longest(command);
    if (median.isEmpty()
        || longest.isEmpty()
        || longest.get().compareTo(SHORTEST_HANDED_OVER) < 0
        || longest.get().minus(median.get()).compareTo(initial) > 0) {
      return Optional.empty();
    }
    return longest;
  }

  /**
   * Each due detach that hands over ({@code handOverAfter}) lets its server's next detach start now
   * ({@link ServerQueues#startNextEarly}) instead of being asked about: that one's answer says
   * whether the server was free, and its look asks about both. Parked until a little after that
   * look is due; any look before then asks about it too. Whether any was parked.
   */
  private boolean handOver(long now) {
    boolean any = false;
    for (Waiting entry : List.copyOf(waiting.values())) {
      if (entry.askAt <= now
          && entry.handOverAfter > 0
          && !entry.parked
          && queues.startNextEarly(entry.effect.serverId())) {
        entry.parked = true;
        entry.askAt = now + entry.handOverAfter + initial.toMillis();
        any = true;
      }
    }
    return any;
  }

  /** Asks {@code GET /actions} about every action waited on, 25 at a time. */
  private Uni<Integer> pollActions() {
    List<Waiting> all =
        new ArrayList<>(waiting.values().stream().filter(w -> !w.effectOnly()).toList());
    all.sort(Comparator.comparing(Waiting::priority).thenComparingLong(Waiting::id));
    List<List<Waiting>> batches = new ArrayList<>();
    for (int i = 0; i < all.size(); i += BATCH) {
      batches.add(all.subList(i, Math.min(i + BATCH, all.size())));
    }
    return Multi.createFrom()
        .iterable(batches)
        .onItem()
        .transformToUniAndConcatenate(this::pollBatch)
        .collect()
        .with(java.util.stream.Collectors.summingInt(Integer::intValue));
  }

  /**
   * Ends each action waited on whose effect the server list shows, as a success; and each effect
   * alone that is due and whose server the list shows unlocked without it (or not at all), with
   * nothing, for its caller to look the action up.
   */
  private void endShownBy(List<HcloudDtos.Server> servers, long readAt) {
    for (Waiting entry : List.copyOf(waiting.values())) {
      if (entry.effect == null) {
        continue;
      }
      if (servers.stream().anyMatch(entry.effect::shownBy)) {
        learnAtMost(entry);
        end(entry, entry.shownEnded());
      } else if (entry.effectOnly()
          && entry.askAt <= readAt
          && servers.stream()
              .noneMatch(server -> server.id() == entry.effect.serverId() && server.locked())) {
        end(entry, null);
      }
    }
  }

  /**
   * An action the list showed ended took at most until now: that teaches its kind's median only
   * when it is less (or nothing is known yet), so that looks on the list never push the median up,
   * while every look there would otherwise leave it unlearnt.
   */
  private void learnAtMost(Waiting entry) {
    if (entry.effectOnly() || entry.started.started() == null) {
      return;
    }
    Duration atMost =
        Duration.ofMillis(
            clock.millis()
                - OffsetDateTime.parse(entry.started.started()).toInstant().toEpochMilli());
    String command = entry.started.command();
    if (durations.median(command).map(median -> atMost.compareTo(median) < 0).orElse(true)) {
      durations.recordAtMost(command, atMost);
    }
  }

  private void end(Waiting entry, HcloudDtos.Action ended) {
    if (waiting.remove(entry.id, entry)) {
      entry.done.complete(ended);
    }
  }

  private Uni<Integer> pollBatch(List<Waiting> batch) {
    CallPriority priority = batch.get(0).priority();
    List<Long> ids = batch.stream().map(Waiting::id).toList();
    return budget
        .spend(
            priority == CallPriority.FENCE ? CallPriority.FENCE : CallPriority.READ,
            () -> api.actions(ids, BATCH))
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
      if (entry.deadline < now && entry.effectOnly()) {
        end(entry, null);
      } else if (entry.deadline < now && waiting.remove(entry.id, entry)) {
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
