package dev.lifeboat.adapter.hcloud;

import dev.lifeboat.adapter.domain.CallPriority;
import dev.lifeboat.adapter.domain.HcloudErrors;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.faulttolerance.api.RetryWhen;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Every Hetzner call the adapter makes, each taking its request from the budget first and retried
 * with exponential backoff and jitter while the error is retryable ({@link HcloudErrors}). A
 * mutating call answered {@code locked} first looks for a running action of the same command on the
 * same resource and server (left by a crashed adapter, or by a redelivered command) and waits for
 * that one instead of starting a second; anyone else's action is not adopted.
 */
@ApplicationScoped
@Retry(maxRetries = 10, delay = 500, jitter = 250, maxDuration = 300_000)
@RetryWhen(exception = HcloudException.Retryable.class)
@ExponentialBackoff(factor = 2, maxDelay = 30_000)
public class HcloudCalls {

  private final HcloudApi api;
  private final RateLimitBudget budget;

  HcloudCalls(@RestClient HcloudApi api, RateLimitBudget budget) {
    this.api = api;
    this.budget = budget;
  }

  /** The server, or empty when it no longer exists. */
  public Uni<Optional<HcloudDtos.Server>> server(long id, CallPriority priority) {
    return call(priority, () -> api.server(id).map(s -> Optional.of(s.server())))
        .onFailure(HcloudException.class)
        .recoverWithUni(failure -> emptyWhenNotFound((HcloudException) failure));
  }

  /** The volume, or empty when it no longer exists. */
  public Uni<Optional<HcloudDtos.Volume>> volume(long id, CallPriority priority) {
    return call(priority, () -> api.volume(id).map(v -> Optional.of(v.volume())))
        .onFailure(HcloudException.class)
        .recoverWithUni(failure -> emptyWhenNotFound((HcloudException) failure));
  }

  /** Whether a start action runs on the server now (someone powering it on). */
  public Uni<Boolean> starting(long serverId, CallPriority priority) {
    return call(priority, () -> api.serverActions(serverId, "running"))
        .map(
            list ->
                list.actions().stream()
                    .anyMatch(a -> "start_server".equals(a.command()) && !a.ended()));
  }

  public Uni<HcloudDtos.Action> powerOff(long serverId) {
    return mutate(
        CallPriority.FENCE,
        () -> api.powerOff(serverId).map(HcloudDtos.ActionEnvelope::action),
        () -> api.serverActions(serverId, "running"),
        "stop_server",
        serverId);
  }

  public Uni<HcloudDtos.Action> deleteServer(long serverId) {
    return mutate(
        CallPriority.FENCE,
        () -> api.deleteServer(serverId).map(HcloudDtos.ActionEnvelope::action),
        () -> api.serverActions(serverId, "running"),
        "delete_server",
        serverId);
  }

  /** Detaches the volume from the server it is expected on. */
  public Uni<HcloudDtos.Action> detach(long volumeId, long serverId) {
    return mutate(
        CallPriority.DETACH,
        () -> api.detach(volumeId, "{}").map(HcloudDtos.ActionEnvelope::action),
        () -> api.volumeActions(volumeId, "running"),
        "detach_volume",
        serverId);
  }

  public Uni<HcloudDtos.Action> attach(long volumeId, long serverId) {
    return mutate(
        CallPriority.ATTACH,
        () ->
            api.attach(volumeId, new HcloudDtos.AttachRequest(serverId, false))
                .map(HcloudDtos.ActionEnvelope::action),
        () -> api.volumeActions(volumeId, "running"),
        "attach_volume",
        serverId);
  }

  private Uni<HcloudDtos.Action> mutate(
      CallPriority priority,
      Supplier<Uni<HcloudDtos.Action>> post,
      Supplier<Uni<HcloudDtos.ActionList>> running,
      String command,
      long serverId) {
    return call(priority, post)
        .onFailure(e -> e instanceof HcloudException h && h.code().equals("locked"))
        .recoverWithUni(
            locked ->
                call(priority, running)
                    .map(
                        list ->
                            list.actions().stream()
                                .filter(a -> adoptable(a, command, serverId))
                                .findFirst()
                                .orElseThrow(() -> (HcloudException) locked)));
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
    Uni<T> answered =
        budget
            .acquire(priority)
            .chain(() -> Uni.createFrom().<T>deferred(request::get))
            .onTermination()
            .invoke(budget::answered);
    return answered
        .onFailure(e -> !(e instanceof HcloudException))
        .transform(
            e ->
                HcloudException.noAnswer(
                    HcloudErrors.IO_ERROR,
                    "no answer from the Hetzner API: " + e.getClass().getSimpleName()));
  }

  private static <T> Uni<Optional<T>> emptyWhenNotFound(HcloudException failure) {
    return failure.code().equals("not_found")
        ? Uni.createFrom().item(Optional.empty())
        : Uni.createFrom().failure(failure);
  }
}
