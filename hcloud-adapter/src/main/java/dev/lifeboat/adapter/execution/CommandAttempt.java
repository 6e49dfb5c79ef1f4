package dev.lifeboat.adapter.execution;

import dev.lifeboat.adapter.config.AdapterConfig;
import dev.lifeboat.adapter.domain.CallPriority;
import dev.lifeboat.adapter.domain.Decision;
import dev.lifeboat.adapter.domain.Decisions;
import dev.lifeboat.adapter.domain.HcloudErrors;
import dev.lifeboat.adapter.hcloud.ActionPoller;
import dev.lifeboat.adapter.hcloud.HcloudCalls;
import dev.lifeboat.adapter.hcloud.HcloudDtos;
import dev.lifeboat.adapter.hcloud.HcloudException;
import dev.lifeboat.adapter.hcloud.ServerSightings;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.VolumeCommand;
import dev.lifeboat.events.hcloud.AttachVolume;
import dev.lifeboat.events.hcloud.DeleteServer;
import dev.lifeboat.events.hcloud.DetachVolume;
import dev.lifeboat.events.hcloud.FenceCommand;
import dev.lifeboat.events.hcloud.HcloudCommand;
import dev.lifeboat.events.hcloud.HcloudCommandAlreadyDone;
import dev.lifeboat.events.hcloud.HcloudCommandDryRun;
import dev.lifeboat.events.hcloud.HcloudCommandFailed;
import dev.lifeboat.events.hcloud.HcloudCommandSucceeded;
import dev.lifeboat.events.hcloud.HcloudResult;
import dev.lifeboat.events.hcloud.ObserveServer;
import dev.lifeboat.events.hcloud.RetireServer;
import dev.lifeboat.events.hcloud.ServerObserved;
import dev.lifeboat.events.node.ServerDisposal;
import io.quarkus.logging.Log;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.faulttolerance.api.RetryWhen;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * One attempt at a Hetzner command, observe then act: read the resource, decide ({@link
 * Decisions}), make the one mutating call if needed (never in dry-run), wait for its action, and
 * say what came of it. An attempt that ends in a retryable error is made again from the start, so
 * the decision is made anew each time: a call whose answer was lost after its action started is
 * never repeated blind (the next attempt finds the action running and waits for it, or finds it
 * done).
 */
@ApplicationScoped
public class CommandAttempt {

  private final HcloudCalls calls;
  private final ActionPoller poller;
  private final ServerSightings sightings;
  private final Clock clock;
  private final EndedIncidents ended;
  private final boolean dryRun;

  CommandAttempt(
      HcloudCalls calls,
      ActionPoller poller,
      ServerSightings sightings,
      EndedIncidents ended,
      Clock clock,
      AdapterConfig config) {
    this.calls = calls;
    this.poller = poller;
    this.sightings = sightings;
    this.ended = ended;
    this.clock = clock;
    this.dryRun = config.dryRun();
  }

  /** The outcome of the command; fails with a retryable error only when every attempt did. */
  @Retry(maxRetries = 8, delay = 500, jitter = 250, maxDuration = 300_000)
  @RetryWhen(exception = HcloudException.Retryable.class)
  @ExponentialBackoff(factor = 2, maxDelay = 30_000)
  public Uni<HcloudResult> observeAndAct(HcloudCommand command) {
    Decision.Refuse late = unwanted(command);
    if (late != null) {
      // Queued behind other commands on its server, or retried, past the saga's wait or end.
      return carryOut(command, late, null);
    }
    CallPriority priority = CallPriority.of(command);
    if (command instanceof ObserveServer observe) {
      return observe(observe, priority);
    }
    if (command instanceof RetireServer retire) {
      return retire(retire, priority);
    }
    if (!(command instanceof VolumeCommand)) {
      return fence(command, priority);
    }
    if (command instanceof DetachVolume detach) {
      return detach(detach, priority);
    }
    return attach((AttachVolume) command, priority);
  }

  /**
   * An attach reads the volume (free, or already there) and the target server (it must run). A
   * volume this process's own detach freed is not read: it is free unless another client attached
   * it since, which Hetzner refuses ({@code volume_already_attached}); then, or on any other final
   * refusal of the call, the attach reads the volume and decides as usual.
   */
  private Uni<HcloudResult> attach(AttachVolume command, CallPriority priority) {
    long volumeId = command.volumeId();
    long serverId = command.serverId();
    Supplier<Uni<HcloudDtos.Action>> call = () -> calls.attach(volumeId, serverId);
    if (dryRun || !sightings.takeFreed(volumeId)) {
      return observedAttach(command, priority, call);
    }
    return whileRunning(serverId, priority, Decisions.attach(volumeId, serverId, true, null))
        .chain(d -> carryOut(command, d, call))
        .onFailure(e -> e instanceof HcloudException h && h.fromApi() && !h.retryable())
        .recoverWithUni(() -> observedAttach(command, priority, call));
  }

  /**
   * Reads the volume, decides, attaches. A refusal volume_already_attached (the volume attached
   * since the read: an earlier attempt's action whose answer was lost finished meanwhile, or
   * another client) makes it read the volume once more and decide again: there already is done,
   * elsewhere refused.
   */
  private Uni<HcloudResult> observedAttach(
      AttachVolume command, CallPriority priority, Supplier<Uni<HcloudDtos.Action>> call) {
    return decidedAttach(command, priority, call)
        .onFailure(e -> refusedAs(e, "volume_already_attached"))
        .recoverWithUni(() -> decidedAttach(command, priority, call));
  }

  private Uni<HcloudResult> decidedAttach(
      AttachVolume command, CallPriority priority, Supplier<Uni<HcloudDtos.Action>> call) {
    return fromVolume(command, priority)
        .chain(
            d ->
                d instanceof Decision.Act
                    ? whileRunning(command.serverId(), priority, d)
                    : Uni.createFrom().item(d))
        .chain(d -> carryOut(command, d, call));
  }

  /**
   * Power off or delete. A server the API does not find counts as deleted only while the same token
   * reads the cluster's project: a token of another project, or a URL that is not the API, would
   * otherwise turn every fence into "already done" and release volumes still written to.
   */
  private Uni<HcloudResult> fence(HcloudCommand command, CallPriority priority) {
    long serverId = command.serverId();
    boolean delete = command instanceof DeleteServer;
    List<Long> witnesses = ((FenceCommand) command).witnessServerIds();
    // A recent read that found the server off (the suspicion's observation) answers at once.
    return calls
        .server(serverId, priority, s -> "off".equals(s.status()))
        .chain(server -> decideFence(serverId, delete, server, witnesses, priority))
        .chain(
            d ->
                carryOut(
                    command,
                    d,
                    () -> delete ? calls.deleteServer(serverId) : calls.powerOff(serverId)));
  }

  /**
   * One read of a suspected node's server, changing nothing (also in dry-run). A server the API
   * does not find is reported deleted only while the token reads the project, as for the fence.
   */
  private Uni<HcloudResult> observe(ObserveServer command, CallPriority priority) {
    long serverId = command.serverId();
    return calls
        .server(serverId, priority)
        .chain(
            server ->
                server.isPresent()
                    ? Uni.createFrom()
                        .item(observed(command, server.get().status(), server.get().locked()))
                    : calls
                        .readsProject(serverId, List.of(), priority)
                        .map(
                            reads ->
                                reads
                                    ? observed(command, ServerObserved.DELETED, false)
                                    : refused(
                                        command, Decisions.deletionNotProven(serverId, false))));
  }

  private HcloudResult observed(ObserveServer command, String status, boolean locked) {
    return new ServerObserved(
        id(command),
        command.incidentId(),
        now(),
        command.commandId(),
        command.serverId(),
        status,
        locked);
  }

  private Uni<Decision> decideFence(
      long serverId,
      boolean delete,
      Optional<HcloudDtos.Server> server,
      List<Long> witnesses,
      CallPriority priority) {
    if (server.isPresent()) {
      String status = server.get().status();
      return Uni.createFrom()
          .item(
              delete
                  ? Decisions.deleteServer(serverId, status)
                  : Decisions.powerOff(serverId, status));
    }
    return calls
        .readsProject(serverId, witnesses, priority)
        .map(
            reads ->
                !reads
                    ? Decisions.deletionNotProven(serverId, !witnesses.isEmpty())
                    : delete
                        ? Decisions.deleteServer(serverId, null)
                        : Decisions.powerOff(serverId, null));
  }

  /**
   * A detach reads the fenced server first: that one read shows both whether the fence holds and,
   * in its volume list, that the volume is attached there, the usual case. A read of it within the
   * sighting age that shows both serves instead (the detaches of one incident share it). Only a
   * volume the server does not list (already detached, attached elsewhere, gone) is read itself, to
   * tell those apart.
   */
  private Uni<HcloudResult> detach(DetachVolume command, CallPriority priority) {
    long volumeId = command.volumeId();
    long serverId = command.expectedServerId();
    if (command.planned()) {
      return plannedDetach(command, priority);
    }
    return calls
        .server(
            serverId,
            priority,
            s -> "off".equals(s.status()) && s.volumes() != null && s.volumes().contains(volumeId))
        .chain(
            server ->
                server.map(s -> s.volumes() != null && s.volumes().contains(volumeId)).orElse(false)
                    ? fenceHolds(
                        serverId,
                        server.get(),
                        priority,
                        Decisions.detach(volumeId, serverId, true, serverId))
                    : fromVolume(command, priority)
                        .chain(
                            d ->
                                d instanceof Decision.Act
                                    ? whileFenced(serverId, priority, d)
                                    : Uni.createFrom().item(d)))
        .chain(d -> carryOut(command, d, fencedDetach(volumeId, serverId)))
        // Decided on a sighting the volume has since left (an earlier attempt's action whose
        // answer was lost, another client): Hetzner's invalid_input refusal sends the detach to the
        // volume itself, which tells a free volume (done) from one elsewhere (refused).
        .onFailure(e -> refusedAs(e, "invalid_input"))
        .recoverWithUni(
            () ->
                fromVolume(command, priority)
                    .chain(
                        d ->
                            d instanceof Decision.Act
                                ? whileFenced(serverId, priority, d)
                                : Uni.createFrom().item(d))
                    .chain(d -> carryOut(command, d, fencedDetach(volumeId, serverId))));
  }

  /**
   * A lost server's detach, sent only while a read asked at most the sighting age before shows the
   * fence holding. The read it was decided on may have aged while the call waited for the budget
   * (seconds to minutes while the budget is short), so the fence is checked again when the budget
   * lets the call go: a young enough sighting of the server off and unlocked (the looks at earlier
   * detaches keep one) costs nothing; else the server is read again, first in the budget's order as
   * for a fence, and the detach is sent only if the fence holds. If not, the attempt fails {@code
   * fence_unproven}, and the next one decides anew (refused: the server runs). With {@code
   * sighting-max-age=0s} the read the decision made is the proof, as before every command.
   */
  private Supplier<Uni<HcloudDtos.Action>> fencedDetach(long volumeId, long serverId) {
    return () -> calls.detach(volumeId, serverId, () -> fenceStillProven(serverId));
  }

  private Uni<Void> fenceStillProven(long serverId) {
    boolean young =
        !sightings.enabled()
            || sightings
                .recent(serverId)
                .filter(s -> Decisions.unlessFenced(serverId, s.status(), false) == null)
                .isPresent();
    if (young) {
      return Uni.createFrom().voidItem();
    }
    return calls
        .server(serverId, CallPriority.FENCE)
        .chain(
            server ->
                server.isEmpty()
                    ? Uni.createFrom().item(Optional.<Decision.Refuse>empty())
                    : fenceBroken(serverId, server.get(), CallPriority.FENCE))
        .chain(
            broken ->
                broken.isEmpty()
                    ? Uni.createFrom().voidItem()
                    : Uni.createFrom()
                        .failure(
                            HcloudException.of(
                                0, HcloudErrors.FENCE_UNPROVEN, broken.get().message())));
  }

  /**
   * A planned removal's detach: the orchestrator saw every pod that used the volume evicted and
   * gone from the node, its kubelet no longer using it, so the running server is not required to be
   * off. The volume is read now: detached only from the server named, never from another.
   */
  private Uni<HcloudResult> plannedDetach(DetachVolume command, CallPriority priority) {
    long volumeId = command.volumeId();
    long serverId = command.expectedServerId();
    return fromVolume(command, priority)
        .chain(d -> carryOut(command, d, () -> calls.detach(volumeId, serverId)));
  }

  /**
   * The end of a planned removal: the server is read now (never from an older sighting) and deleted
   * or powered off only while Hetzner lists no volume on it. A server the API does not find counts
   * as gone only while the token reads the project, as for the fence.
   */
  private Uni<HcloudResult> retire(RetireServer command, CallPriority priority) {
    long serverId = command.serverId();
    boolean delete = command.disposal() == ServerDisposal.DELETE;
    return calls
        .server(serverId, priority)
        .chain(
            server ->
                server.isPresent()
                    ? Uni.createFrom()
                        .item(
                            Decisions.retire(
                                serverId,
                                command.disposal(),
                                server.get().status(),
                                server.get().volumes()))
                    : calls
                        .readsProject(serverId, List.of(), priority)
                        .map(
                            reads ->
                                reads
                                    ? Decisions.retire(serverId, command.disposal(), null, null)
                                    : Decisions.deletionNotProven(serverId, false)))
        .chain(
            d ->
                carryOut(
                    command,
                    d,
                    () -> delete ? calls.deleteServer(serverId) : calls.powerOff(serverId)));
  }

  /**
   * The decision to detach, once the server is read again: the fence must still hold (off or gone,
   * no start action), or the detach is refused, final.
   */
  private Uni<Decision> whileFenced(long serverId, CallPriority priority, Decision act) {
    return calls
        .server(serverId, priority)
        .chain(
            server ->
                server.isEmpty()
                    ? Uni.createFrom().item(act)
                    : fenceHolds(serverId, server.get(), priority, act));
  }

  /**
   * {@code act} if the server as read keeps its fence (off, no start action running), else why not.
   */
  private Uni<Decision> fenceHolds(
      long serverId, HcloudDtos.Server server, CallPriority priority, Decision act) {
    return fenceBroken(serverId, server, priority)
        .map(broken -> broken.isPresent() ? broken.get() : act);
  }

  /**
   * Why the server as read no longer keeps its fence (it runs, or a start action runs on it), or
   * empty while it does. A locked server's running action is looked up to tell a start apart.
   */
  private Uni<Optional<Decision.Refuse>> fenceBroken(
      long serverId, HcloudDtos.Server server, CallPriority priority) {
    Uni<Boolean> starting =
        server.locked() ? calls.starting(serverId, priority) : Uni.createFrom().item(false);
    return starting.map(
        start -> Optional.ofNullable(Decisions.unlessFenced(serverId, server.status(), start)));
  }

  /**
   * An attach goes only to a server that runs: one that is off (lost meanwhile, fenced by its own
   * incident, stopped by a person) would hold the volume where no pod can use it, and the next move
   * of it would first need that server fenced.
   */
  private Uni<Decision> whileRunning(long serverId, CallPriority priority, Decision act) {
    return calls
        .server(serverId, priority, s -> "running".equals(s.status()))
        .map(
            server -> {
              Decision refused =
                  Decisions.unlessRunning(
                      serverId, server.map(HcloudDtos.Server::status).orElse(null));
              return refused == null ? act : refused;
            });
  }

  /** The decision from the volume as read now: gone, free, or on which server. */
  private Uni<Decision> fromVolume(HcloudCommand command, CallPriority priority) {
    return calls
        .volume(((VolumeCommand) command).volumeId(), priority)
        .map(
            volume ->
                decide(
                    command,
                    volume.isPresent(),
                    volume.map(HcloudDtos.Volume::server).orElse(null)));
  }

  private static Decision decide(HcloudCommand command, boolean exists, Long attachedTo) {
    if (command instanceof DetachVolume c) {
      return Decisions.detach(c.volumeId(), c.expectedServerId(), exists, attachedTo);
    }
    AttachVolume c = (AttachVolume) command;
    return Decisions.attach(c.volumeId(), c.serverId(), exists, attachedTo);
  }

  private Uni<HcloudResult> carryOut(
      HcloudCommand command, Decision decision, Supplier<Uni<HcloudDtos.Action>> call) {
    if (decision instanceof Decision.AlreadyDone done) {
      return Uni.createFrom().item(alreadyDone(command, done.observed(), done.serverDeleted()));
    }
    if (decision instanceof Decision.Refuse refuse) {
      return Uni.createFrom().item(refused(command, refuse));
    }
    Decision.Act act = (Decision.Act) decision;
    Decision.Refuse late = unwanted(command);
    if (late != null) {
      return carryOut(command, late, call);
    }
    if (dryRun) {
      Log.infof("dry-run: %s would call %s", command.commandId(), act.call());
      return Uni.createFrom()
          .item(
              new HcloudCommandDryRun(
                  id(command),
                  command.incidentId(),
                  now(),
                  command.commandId(),
                  "dry-run: " + act.call(),
                  act.observed()));
    }
    Uni<HcloudResult> done = call.get().chain(action -> awaitEnd(command, action));
    if (command instanceof AttachVolume attach) {
      return done.onFailure(HcloudCalls::locked)
          .recoverWithUni(locked -> lockedAttach(attach, (HcloudException) locked));
    }
    return done;
  }

  private Uni<HcloudResult> awaitEnd(HcloudCommand command, HcloudDtos.Action action) {
    return untilDeadline(command, poller.await(action, CallPriority.of(command), effect(command)))
        .invoke(ended -> remember(command, ended))
        .map(ended -> ended(command, ended));
  }

  /**
   * An attach answered {@code locked}: another action holds the volume, most often the CSI driver's
   * attach to the same node, which saw the replacement pod first. Waiting for the volume to show on
   * the server costs no request of its own (a detach's look reads the server list); the attach is
   * then already done. Only when the list shows the server unlocked without the volume (or cannot
   * answer) is the running action looked up and adopted if it is an attach to this server, as a
   * lost answer of this adapter's own attach is; else the {@code locked} stands.
   */
  private Uni<HcloudResult> lockedAttach(AttachVolume command, HcloudException locked) {
    ActionPoller.Effect effect = effect(command);
    return untilDeadline(command, poller.awaitEffect(effect))
        .chain(
            shown -> {
              if (shown) {
                sightings.attached(command.serverId(), command.volumeId());
                return Uni.createFrom()
                    .item(
                        alreadyDone(
                            command,
                            "volume "
                                + command.volumeId()
                                + " attached to server "
                                + command.serverId()
                                + " by the action that held it locked",
                            false));
              }
              return calls
                  .runningAttach(command.volumeId(), command.serverId(), locked)
                  .chain(action -> awaitEnd(command, action));
            });
  }

  /** What a read of the server shows once the command's action succeeded, if a read shows it. */
  private static ActionPoller.Effect effect(HcloudCommand command) {
    if (command instanceof DetachVolume detach) {
      return new ActionPoller.Effect(detach.expectedServerId(), detach.volumeId(), false);
    }
    if (command instanceof AttachVolume attach) {
      return new ActionPoller.Effect(attach.serverId(), attach.volumeId(), true);
    }
    return null;
  }

  /** What this process's own action changed, kept so that the next command need not read it. */
  private void remember(HcloudCommand command, HcloudDtos.Action action) {
    if (!"success".equals(action.status())) {
      sightings.forget(command.serverId());
    } else if (command instanceof DetachVolume detach) {
      sightings.detached(detach.expectedServerId(), detach.volumeId());
    } else if (command instanceof AttachVolume attach) {
      sightings.attached(attach.serverId(), attach.volumeId());
    } else {
      sightings.forget(command.serverId()); // powered off or deleted: read anew
    }
  }

  private HcloudResult alreadyDone(HcloudCommand command, String observed, boolean deleted) {
    return new HcloudCommandAlreadyDone(
        id(command), command.incidentId(), now(), command.commandId(), observed, deleted);
  }

  private HcloudResult refused(HcloudCommand command, Decision decision) {
    Decision.Refuse refuse = (Decision.Refuse) decision;
    return new HcloudCommandFailed(
        id(command),
        command.incidentId(),
        now(),
        command.commandId(),
        refuse.code(),
        refuse.message(),
        refuse.retryable(),
        null);
  }

  /**
   * Why the saga no longer wants the command (its deadline passed, its incident ended), or null.
   */
  private Decision.Refuse unwanted(HcloudCommand command) {
    Decision.Refuse late = Decisions.pastDeadline(command.notAfter(), now());
    return late != null
        ? late
        : Decisions.incidentEnded(
            command.incidentId(), ended.endedAfterSending(command).orElse(null));
  }

  /** Stops waiting for the action when the command's deadline passes (the action goes on). */
  private <T> Uni<T> untilDeadline(HcloudCommand command, Uni<T> wait) {
    if (command.notAfter() == null) {
      return wait;
    }
    Duration left = Duration.between(now(), command.notAfter());
    return wait.ifNoItem()
        .after(left.isNegative() ? Duration.ZERO : left)
        .failWith(
            () ->
                HcloudException.of(
                    0,
                    Decisions.DEADLINE_PASSED,
                    "the command's deadline "
                        + command.notAfter()
                        + " passed while its action ran; the orchestrator no longer waits for it"));
  }

  private HcloudResult ended(HcloudCommand command, HcloudDtos.Action action) {
    if ("success".equals(action.status())) {
      return new HcloudCommandSucceeded(
          id(command),
          command.incidentId(),
          now(),
          command.commandId(),
          action.id(),
          instant(action.started()),
          instant(action.finished()));
    }
    String code =
        action.error() != null && action.error().code() != null
            ? action.error().code()
            : "action_failed";
    String message =
        action.error() != null && action.error().message() != null
            ? action.error().message()
            : "action " + action.id() + " ended in " + action.status();
    return new HcloudCommandFailed(
        id(command),
        command.incidentId(),
        now(),
        command.commandId(),
        code,
        message,
        HcloudErrors.retryable(code, 0),
        action.id());
  }

  /**
   * Whether the API refused the call for good with this code, the refusal that says the volume is
   * no longer as read (any other, a bad token say, is reported as it is, after one try).
   */
  private static boolean refusedAs(Throwable failure, String code) {
    return failure instanceof HcloudException h
        && h.fromApi()
        && !h.retryable()
        && code.equals(h.code());
  }

  /** The result's message id: the same for the same command, so a redelivery repeats it. */
  static String id(HcloudCommand command) {
    return MessageIds.derived("hcloud-result", command.commandId());
  }

  private Instant now() {
    return clock.instant();
  }

  private static Instant instant(String time) {
    return time == null ? null : OffsetDateTime.parse(time).toInstant();
  }
}
