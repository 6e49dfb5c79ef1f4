package dev.lifeboat.adapter.execution;

import dev.lifeboat.adapter.hcloud.HcloudException;
import dev.lifeboat.adapter.hcloud.ServerQueues;
import dev.lifeboat.events.hcloud.DetachVolume;
import dev.lifeboat.events.hcloud.HcloudCommand;
import dev.lifeboat.events.hcloud.HcloudCommandFailed;
import dev.lifeboat.events.hcloud.HcloudResult;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;

/**
 * Carries out one Hetzner command: its attempts ({@link CommandAttempt}, observe then act, made
 * again from the start while the error is retryable) run after every earlier command on the same
 * server ({@link ServerQueues}); the result is always a value, never an exception.
 */
@ApplicationScoped
public class CommandExecutor {

  private final CommandAttempt attempt;
  private final ServerQueues queues;
  private final Clock clock;

  CommandExecutor(CommandAttempt attempt, ServerQueues queues, Clock clock) {
    this.attempt = attempt;
    this.queues = queues;
    this.clock = clock;
  }

  /** The outcome of the command. */
  public Uni<HcloudResult> execute(HcloudCommand command) {
    return queues
        .inOrder(
            command.serverId(),
            command instanceof DetachVolume,
            () -> attempt.observeAndAct(command))
        .onFailure()
        .recoverWithItem(failure -> failed(command, failure));
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
        CommandAttempt.id(command),
        command.incidentId(),
        now(),
        command.commandId(),
        code,
        message == null ? code : message,
        retryable,
        null);
  }

  private Instant now() {
    return clock.instant();
  }
}
