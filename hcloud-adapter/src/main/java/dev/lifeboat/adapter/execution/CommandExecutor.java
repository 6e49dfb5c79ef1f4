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
import dev.lifeboat.adapter.hcloud.ServerQueues;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.VolumeCommand;
import dev.lifeboat.events.hcloud.AttachVolume;
import dev.lifeboat.events.hcloud.DeleteServer;
import dev.lifeboat.events.hcloud.DetachVolume;
import dev.lifeboat.events.hcloud.HcloudCommand;
import dev.lifeboat.events.hcloud.HcloudCommandAlreadyDone;
import dev.lifeboat.events.hcloud.HcloudCommandDryRun;
import dev.lifeboat.events.hcloud.HcloudCommandFailed;
import dev.lifeboat.events.hcloud.HcloudCommandSucceeded;
import dev.lifeboat.events.hcloud.HcloudResult;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.function.Supplier;

/**
 * Carries out one Hetzner command, observe then act: read the resource, decide ({@link Decisions}),
 * make the one mutating call if needed (never in dry-run), wait for its action, and say what came
 * of it. Commands on the same server run one after another ({@link ServerQueues}); the result is
 * always a value, never an exception.
 */
@ApplicationScoped
public class CommandExecutor {

  private final HcloudCalls calls;
  private final ActionPoller poller;
  private final ServerQueues queues;
  private final Clock clock;
  private final boolean dryRun;

  CommandExecutor(
      HcloudCalls calls,
      ActionPoller poller,
      ServerQueues queues,
      Clock clock,
      AdapterConfig config) {
    this.calls = calls;
    this.poller = poller;
    this.queues = queues;
    this.clock = clock;
    this.dryRun = config.dryRun();
  }

  /** The outcome of the command. */
  public Uni<HcloudResult> execute(HcloudCommand command) {
    CallPriority priority = CallPriority.of(command);
    return queues
        .inOrder(command.serverId(), () -> observeAndAct(command, priority))
        .onFailure()
        .recoverWithItem(failure -> failed(command, failure));
  }

  private Uni<HcloudResult> observeAndAct(HcloudCommand command, CallPriority priority) {
    if (!(command instanceof VolumeCommand volumeCommand)) {
      long serverId = command.serverId();
      boolean delete = command instanceof DeleteServer;
      return calls
          .server(serverId, priority)
          .map(server -> server.map(HcloudDtos.Server::status).orElse(null))
          .map(
              status ->
                  delete
                      ? Decisions.deleteServer(serverId, status)
                      : Decisions.powerOff(serverId, status))
          .chain(
              d ->
                  carryOut(
                      command,
                      d,
                      () -> delete ? calls.deleteServer(serverId) : calls.powerOff(serverId)));
    }
    long volumeId = volumeCommand.volumeId();
    return calls
        .volume(volumeId, priority)
        .map(
            volume ->
                decide(
                    command,
                    volume.isPresent(),
                    volume.map(HcloudDtos.Volume::server).orElse(null)))
        .chain(
            d ->
                command instanceof DetachVolume && d instanceof Decision.Act
                    ? whileFenced(command.serverId(), priority, d)
                    : Uni.createFrom().item(d))
        .chain(
            d ->
                carryOut(
                    command,
                    d,
                    () ->
                        command instanceof DetachVolume
                            ? calls.detach(volumeId, command.serverId())
                            : calls.attach(volumeId, command.serverId())));
  }

  /**
   * The decision to detach, once the server is read again: the fence must still hold (off or gone,
   * no start action), or the detach is refused, final.
   */
  private Uni<Decision> whileFenced(long serverId, CallPriority priority, Decision act) {
    return calls
        .server(serverId, priority)
        .chain(
            server -> {
              if (server.isEmpty()) {
                return Uni.createFrom().item(act);
              }
              Uni<Boolean> starting =
                  server.get().locked()
                      ? calls.starting(serverId, priority)
                      : Uni.createFrom().item(false);
              return starting.map(
                  start -> {
                    Decision refused =
                        Decisions.unlessFenced(serverId, server.get().status(), start);
                    return refused == null ? act : refused;
                  });
            });
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
      return Uni.createFrom()
          .item(
              new HcloudCommandAlreadyDone(
                  id(command),
                  command.incidentId(),
                  now(),
                  command.commandId(),
                  done.observed(),
                  done.serverDeleted()));
    }
    if (decision instanceof Decision.Refuse refuse) {
      return Uni.createFrom()
          .item(
              new HcloudCommandFailed(
                  id(command),
                  command.incidentId(),
                  now(),
                  command.commandId(),
                  refuse.code(),
                  refuse.message(),
                  false,
                  null));
    }
    Decision.Act act = (Decision.Act) decision;
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
    return call.get()
        .chain(action -> poller.await(action, CallPriority.of(command)))
        .map(action -> ended(command, action));
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

  private HcloudResult failed(HcloudCommand command, Throwable failure) {
    String code;
    String message;
    boolean retryable;
    if (failure instanceof HcloudException e) {
      code = e.code();
      message = e.getMessage();
      retryable = e.retryable();
    } else {
      Log.errorf(failure, "command %s failed unexpectedly", command.commandId());
      code = "internal_error";
      message = failure.getClass().getSimpleName() + ": " + failure.getMessage();
      retryable = true;
    }
    return new HcloudCommandFailed(
        id(command),
        command.incidentId(),
        now(),
        command.commandId(),
        code,
        message == null ? code : message,
        retryable,
        null);
  }

  /** The result's message id: the same for the same command, so a redelivery repeats it. */
  private static String id(HcloudCommand command) {
    return MessageIds.derived("hcloud-result", command.commandId());
  }

  private Instant now() {
    return clock.instant();
  }

  private static Instant instant(String time) {
    return time == null ? null : OffsetDateTime.parse(time).toInstant();
  }
}
