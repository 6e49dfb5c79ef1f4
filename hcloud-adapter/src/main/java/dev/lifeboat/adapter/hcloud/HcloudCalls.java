package dev.lifeboat.adapter.hcloud;

import dev.lifeboat.adapter.domain.CallPriority;
import dev.lifeboat.adapter.domain.HcloudErrors;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.faulttolerance.api.RetryWhen;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Every Hetzner call the adapter makes, each taking its request from the budget first. Reads are
 * retried with exponential backoff and jitter while the error is retryable ({@link HcloudErrors}).
 * A mutating call is made once: its answer may be lost after the action started, so only a new
 * attempt that observes first may make it again ({@code CommandAttempt}). A mutating call answered
 * {@code locked} first looks for a running action of the same command on the same resource and
 * server (left by a crashed adapter, an answer lost, or a redelivered command) and waits for that
 * one instead of starting a second; anyone else's action is not adopted. An attach leaves its
 * {@code locked} to the caller, which first waits for the volume to show on the server ({@code
 * CommandAttempt}). Every server read is kept as a sighting ({@link ServerSightings}); a failed
 * mutating call drops its server's.
 */
@ApplicationScoped
@Retry(maxRetries = 10, delay = 500, jitter = 250, maxDuration = 300_000)
@RetryWhen(exception = HcloudException.Retryable.class)
@ExponentialBackoff(factor = 2, maxDelay = 30_000)
public class HcloudCalls {

  private final HcloudApi api;
  private final RateLimitBudget budget;
  private final ServerSightings sightings;
  private Uni<List<HcloudDtos.Server>> listing;
  private volatile boolean onePage = true;

  /** Servers per page of the list, the API's most. */
  static final int LIST_PAGE = 50;

  HcloudCalls(@RestClient HcloudApi api, RateLimitBudget budget, ServerSightings sightings) {
    this.api = api;
    this.budget = budget;
    this.sightings = sightings;
  }

  /**
   * The server, or empty when the API answered its own JSON {@code not_found} for it. That alone
   * does not prove the server deleted: a token of another project gets the same answer ({@link
   * #readsProject}).
   */
  public Uni<Optional<HcloudDtos.Server>> server(long id, CallPriority priority) {
    return call(
            priority,
            () ->
                sighted(() -> api.server(id), envelope -> List.of(envelope.server()))
                    .map(envelope -> Optional.of(envelope.server())))
        .onFailure(HcloudException.class)
        .recoverWithUni(failure -> emptyWhenNotFound((HcloudException) failure))
        .invoke(
            server -> {
              if (server.isEmpty()) {
                sightings.forget(id);
              }
            });
  }

  /**
   * The server as lately read ({@link ServerSightings}) when that read answers the question ({@code
   * answers}), else as read now. While the project's servers fit on one page of the server list,
   * "read now" reads that page: one request that refreshes every server's sighting (the lost
   * server's and every attach target's), shared by every command that needs one meanwhile.
   */
  public Uni<Optional<HcloudDtos.Server>> server(
      long id, CallPriority priority, Predicate<HcloudDtos.Server> answers) {
    Optional<HcloudDtos.Server> recent = sightings.recent(id).filter(answers);
    if (recent.isPresent()) {
      return Uni.createFrom().item(recent);
    }
    if (!sightings.enabled() || !onePage) {
      return server(id, priority);
    }
    return everyServer(priority)
        .chain(
            all ->
                all.stream()
                    .filter(s -> s.id() == id)
                    .findFirst()
                    .map(s -> Uni.createFrom().item(Optional.of(s)))
                    // Not on the list: read it alone, which tells a deletion apart.
                    .orElseGet(() -> server(id, priority)));
  }

  /**
   * Whether the project's servers fit on the first page of the server list while sightings are
   * kept: then one read of it answers for every server ({@link #everyServer}).
   */
  public boolean serversOnOnePage() {
    return sightings.enabled() && onePage;
  }

  /**
   * The first page of the server list (50 servers), each kept as a sighting; one request in flight
   * at a time, shared by every caller meanwhile. A project with more servers than that is read
   * server by server from then on.
   */
  @Retry(maxRetries = 0) // the poller's look: a failed one is the next poll's to repeat
  public Uni<List<HcloudDtos.Server>> everyServer(CallPriority priority) {
    synchronized (this) {
      if (listing != null) {
        return listing;
      }
      Uni<List<HcloudDtos.Server>> read =
          call(
                  priority,
                  () ->
                      sighted(() -> api.servers(1, LIST_PAGE), HcloudDtos.ServerList::servers)
                          .map(
                              list -> {
                                onePage = nextPage(list.meta()) == null;
                                return list.servers();
                              }))
              .onTermination()
              .invoke(this::listed)
              .memoize()
              .indefinitely();
      listing = read;
      return read;
    }
  }

  /**
   * A read of servers sent now, every server its answer shows kept as a sighting dated from when it
   * was asked: an answer held up on its way shows the servers as they were then, so their fence
   * proofs age from then ({@link ServerSightings#seen}). Every read of servers goes through here.
   */
  private <A> Uni<A> sighted(Supplier<Uni<A>> read, Function<A, List<HcloudDtos.Server>> servers) {
    long askedAt = sightings.now();
    return read.get()
        .invoke(answer -> servers.apply(answer).forEach(s -> sightings.seen(s, askedAt)));
  }

  private synchronized void listed() {
    listing = null;
  }

  /** The volume, or empty when it no longer exists. */
  public Uni<Optional<HcloudDtos.Volume>> volume(long id, CallPriority priority) {
    return call(priority, () -> api.volume(id).map(v -> Optional.of(v.volume())))
        .onFailure(HcloudException.class)
        .recoverWithUni(failure -> emptyWhenNotFound((HcloudException) failure));
  }

  /**
   * Whether this token reads the project that holds the cluster, so that its {@code not_found} for
   * a server means the server is gone: one of the witnesses (servers of other nodes of the cluster)
   * reads, or, without witnesses, the project's server list holds servers but not this one.
   */
  public Uni<Boolean> readsProject(long serverId, List<Long> witnesses, CallPriority priority) {
    if (!witnesses.isEmpty()) {
      Uni<Boolean> found = Uni.createFrom().item(false);
      for (long witness : witnesses) {
        found =
            found.chain(
                seen ->
                    seen
                        ? Uni.createFrom().item(true)
                        : server(witness, priority)
                            .map(Optional::isPresent)
                            .onFailure(HcloudCalls::notFound)
                            .recoverWithItem(false));
      }
      return found;
    }
    return allServers(priority)
        .map(all -> all.stream().map(HcloudDtos.Server::id).toList())
        .map(ids -> !ids.isEmpty() && !ids.contains(serverId));
  }

  /** Every server of the project, page after page (50 a page), each kept as a sighting. */
  public Uni<List<HcloudDtos.Server>> allServers(CallPriority priority) {
    return pages(
        1,
        page ->
            call(
                priority,
                () -> sighted(() -> api.servers(page, LIST_PAGE), HcloudDtos.ServerList::servers)),
        HcloudDtos.ServerList::servers,
        HcloudDtos.ServerList::meta);
  }

  /** Every volume of the project, page after page (50 a page). */
  public Uni<List<HcloudDtos.Volume>> allVolumes(CallPriority priority) {
    return pages(
        1,
        page -> call(priority, () -> api.volumes(page, LIST_PAGE)),
        HcloudDtos.VolumeList::volumes,
        HcloudDtos.VolumeList::meta);
  }

  /** A list read from this page to its last, following {@code meta.pagination.next_page}. */
  private static <P, T> Uni<List<T>> pages(
      int page,
      IntFunction<Uni<P>> read,
      Function<P, List<T>> items,
      Function<P, HcloudDtos.Meta> meta) {
    return read.apply(page)
        .chain(
            answer -> {
              List<T> these = items.apply(answer);
              Integer next = nextPage(meta.apply(answer));
              if (next == null || next <= page) {
                return Uni.createFrom().item(these);
              }
              return pages(next, read, items, meta)
                  .map(rest -> Stream.concat(these.stream(), rest.stream()).toList());
            });
  }

  /** Whether a start action runs on the server now (someone powering it on). */
  public Uni<Boolean> starting(long serverId, CallPriority priority) {
    return call(priority, () -> api.serverActions(serverId, "running"))
        .map(
            list ->
                list.actions().stream()
                    .anyMatch(a -> "start_server".equals(a.command()) && !a.ended()));
  }

  @Retry(maxRetries = 0)
  public Uni<HcloudDtos.Action> powerOff(long serverId) {
    return mutate(
        CallPriority.FENCE,
        () -> api.powerOff(serverId).map(HcloudDtos.ActionEnvelope::action),
        () -> api.serverActions(serverId, "running"),
        "stop_server",
        serverId);
  }

  @Retry(maxRetries = 0)
  public Uni<HcloudDtos.Action> deleteServer(long serverId) {
    return mutate(
        CallPriority.FENCE,
        () -> api.deleteServer(serverId).map(HcloudDtos.ActionEnvelope::action),
        () -> api.serverActions(serverId, "running"),
        "delete_server",
        serverId);
  }

  /** Detaches the volume from the server it is expected on. */
  @Retry(maxRetries = 0)
  public Uni<HcloudDtos.Action> detach(long volumeId, long serverId) {
    return detach(volumeId, serverId, () -> Uni.createFrom().voidItem());
  }

  /**
   * Detaches the volume from the server it is expected on, once {@code stillAllowed} completes: it
   * is checked when the budget lets the call go, just before it is sent, since what the call was
   * decided on may have changed while it waited; its failure is the call's.
   */
  @Retry(maxRetries = 0)
  public Uni<HcloudDtos.Action> detach(
      long volumeId, long serverId, Supplier<Uni<Void>> stillAllowed) {
    return mutate(
        CallPriority.DETACH,
        () ->
            stillAllowed
                .get()
                .chain(() -> api.detach(volumeId, "{}"))
                .map(HcloudDtos.ActionEnvelope::action),
        () -> api.volumeActions(volumeId, "running"),
        "detach_volume",
        serverId);
  }

  /**
   * Attaches the volume to the server. A {@code locked} answer (an action holds the volume or the
   * server) is the caller's: it waits for that action's effect, or looks it up ({@link
   * #runningAttach}).
   */
  @Retry(maxRetries = 0)
  public Uni<HcloudDtos.Action> attach(long volumeId, long serverId) {
    return call(
            CallPriority.ATTACH,
            () ->
                api.attach(volumeId, new HcloudDtos.AttachRequest(serverId, false))
                    .map(HcloudDtos.ActionEnvelope::action))
        .onFailure()
        .invoke(() -> sightings.forget(serverId));
  }

  /**
   * The running attach of the volume to the server that answered an attach {@code locked} (another
   * client's, or an earlier attempt's whose answer was lost), to wait for as if it were ours; else
   * that {@code locked} failure.
   */
  @Retry(maxRetries = 0)
  public Uni<HcloudDtos.Action> runningAttach(
      long volumeId, long serverId, HcloudException locked) {
    return adopt(
        CallPriority.ATTACH,
        () -> api.volumeActions(volumeId, "running"),
        "attach_volume",
        serverId,
        locked);
  }

  /** Whether the API answered {@code locked}: an action holds the volume or the server. */
  public static boolean locked(Throwable failure) {
    return failure instanceof HcloudException h && h.code().equals("locked");
  }

  private Uni<HcloudDtos.Action> mutate(
      CallPriority priority,
      Supplier<Uni<HcloudDtos.Action>> post,
      Supplier<Uni<HcloudDtos.ActionList>> running,
      String command,
      long serverId) {
    return call(priority, post)
        .onFailure()
        .invoke(() -> sightings.forget(serverId))
        .onFailure(HcloudCalls::locked)
        .recoverWithUni(
            locked -> adopt(priority, running, command, serverId, (HcloudException) locked));
  }

  /** The running action this call would have started, else the {@code locked} failure. */
  private Uni<HcloudDtos.Action> adopt(
      CallPriority priority,
      Supplier<Uni<HcloudDtos.ActionList>> running,
      String command,
      long serverId,
      HcloudException locked) {
    return call(priority, running)
        .map(
            list ->
                list.actions().stream()
                    .filter(a -> adoptable(a, command, serverId))
                    .findFirst()
                    .orElseThrow(() -> locked));
  }

  /**
   * Whether a running action is the one this call would have started: the same command on the same
   * server (for a volume, on the same volume and server). Another client's action, such as the CSI
   * driver attaching the volume to another server, is never taken for ours.
   */
  private static boolean adoptable(HcloudDtos.Action action, String command, long serverId) {
    return action.command().equals(command)
        && !action.ended()
        && action.resources() != null
        && action.resources().stream()
            .anyMatch(r -> "server".equals(r.type()) && r.id() == serverId);
  }

  /** One call: a request from the budget, then the call; no answer becomes a retryable error. */
  private <T> Uni<T> call(CallPriority priority, Supplier<Uni<T>> request) {
    return budget
        .spend(priority, request)
        .onFailure(e -> !(e instanceof HcloudException))
        .transform(
            e ->
                HcloudException.noAnswer(
                    HcloudErrors.IO_ERROR,
                    "no answer from the Hetzner API: " + e.getClass().getSimpleName()));
  }

  /** The list's next page, or null on its last. */
  private static Integer nextPage(HcloudDtos.Meta meta) {
    return meta == null || meta.pagination() == null ? null : meta.pagination().nextPage();
  }

  private static boolean notFound(Throwable failure) {
    return failure instanceof HcloudException e && e.code().equals("not_found");
  }

  private static <T> Uni<Optional<T>> emptyWhenNotFound(HcloudException failure) {
    return failure.code().equals("not_found") && failure.fromApi()
        ? Uni.createFrom().item(Optional.empty())
        : Uni.createFrom().failure(failure);
  }
}
