package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.Command;
import dev.lifeboat.events.CommandResult;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.saga.RetryScheduled;
import dev.lifeboat.events.saga.Step;
import dev.lifeboat.events.saga.StepFailed;
import dev.lifeboat.events.saga.StepStarted;
import dev.lifeboat.events.saga.StepSucceeded;
import dev.lifeboat.orchestrator.domain.Report.Failure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One call of the saga: the state it works on, the time, the conditions, and what it sends. It owns
 * the mechanics every step shares: attempts (sending under a pause, matching results to the command
 * awaited, deadlines, backoff) and the ids of commands and events.
 */
final class Run {

  /** How much longer than a waiting command's own timeout the saga waits for its report. */
  static final Duration REPORT_MARGIN = Duration.ofSeconds(10);

  final SagaPolicy policy;
  final Instant now;
  final Conditions conditions;
  IncidentState state;
  private final List<LifeboatMessage> out = new ArrayList<>();

  Run(SagaPolicy policy, IncidentState state, Instant now, Conditions conditions) {
    this.policy = policy;
    this.state = state;
    this.now = now;
    this.conditions = conditions;
  }

  Outcome outcome() {
    return new Outcome(state, out);
  }

  // ---- attempts ---------------------------------------------------------------------------------

  /** An attempt with the one that reacts to its reports and sends its command again. */
  record Awaiter(Attempt attempt, Consumer<Report> onReport, Runnable resend) {}

  /** Gives a result to the attempt that awaits its command; any other result changes nothing. */
  void deliver(CommandResult result, List<Awaiter> awaiters) {
    for (Awaiter awaiter : awaiters) {
      Attempt attempt = awaiter.attempt();
      if (attempt.awaiting(result.commandId())) {
        if (attempt.request.answeredBy(result)) {
          attempt.clearCommand();
          awaiter.onReport().accept(Report.of(result));
        }
        return;
      }
    }
  }

  /** Fails the attempts past their deadline and sends the retries that are due. */
  void wake(List<Awaiter> awaiters) {
    for (Awaiter awaiter : awaiters) {
      Attempt attempt = awaiter.attempt();
      if (due(attempt.deadline)) {
        Failure timeout = Report.timeout(attempt);
        attempt.clearCommand();
        awaiter.onReport().accept(timeout);
      } else if (due(attempt.retryAt)) {
        attempt.retryAt = null;
        awaiter.resend().run();
      }
    }
  }

  boolean due(Instant time) {
    return time != null && !time.isAfter(now);
  }

  /** Builds a command from the ids the saga derived for it. */
  interface CommandOf {
    Command with(String messageId, String commandId);
  }

  /**
   * Sends the attempt's command, with ids derived before it is built, or, while mutating commands
   * are paused, looks again later.
   *
   * @param volumeId the volume it belongs to; null for the incident's own commands
   * @param round the volume's round (0 unless a person retried it)
   * @param deadlineIn how long the saga waits for the result
   */
  void send(Attempt attempt, Long volumeId, int round, CommandOf command, Duration deadlineIn) {
    String commandId = commandId(attempt, volumeId, round);
    send(attempt, volumeId, command.with(messageIdOf(commandId), commandId), deadlineIn);
  }

  private void send(Attempt attempt, Long volumeId, Command command, Duration deadlineIn) {
    boolean mutating = attempt.request.mutating();
    if (mutating && conditions.commandsPaused()) {
      attempt.clearCommand();
      attempt.retryAt = now.plus(policy.pauseRecheck());
      return;
    }
    attempt.commandId = command.commandId();
    attempt.deadline = now.plus(deadlineIn);
    attempt.retryAt = null;
    if (attempt.announced != attempt.number && !attempt.request.undoes()) {
      attempt.announced = attempt.number;
      started(attempt.step, volumeId, attempt.number, command.commandId());
    }
    state.mutatingSent |= mutating;
    out.add(command);
  }

  /**
   * Records a failed attempt; schedules the next one after its backoff, or, when the failure is
   * final or the attempts are used up, gives up.
   */
  void failOrRetry(Attempt attempt, Long volumeId, Failure failure, Consumer<Failure> giveUp) {
    StepPolicy stepPolicy = policy.step(attempt.step);
    boolean last = !failure.retryable() || attempt.number >= stepPolicy.maxAttempts();
    failed(attempt.step, volumeId, attempt.number, failure.code(), failure.message(), last);
    if (last) {
      giveUp.accept(failure);
      return;
    }
    attempt.retryAt =
        now.plus(stepPolicy.backoff(attempt.number, baseCommandId(attempt, volumeId)));
    attempt.number++;
    event(
        new RetryScheduled(
            eventId(),
            id(),
            now,
            attempt.step,
            volumeId,
            attempt.number,
            attempt.retryAt,
            failure.code() + ": " + failure.message()));
  }

  // ---- events -----------------------------------------------------------------------------------

  void started(Step step, Long volumeId, int attempt, String commandId) {
    event(new StepStarted(eventId(), id(), now, step, volumeId, attempt, commandId));
  }

  void succeeded(Step step, Long volumeId, int attempt, String detail) {
    event(new StepSucceeded(eventId(), id(), now, step, volumeId, attempt, detail));
  }

  void failed(Step step, Long volumeId, int attempt, String code, String why, boolean giveUp) {
    event(new StepFailed(eventId(), id(), now, step, volumeId, attempt, code, why, giveUp));
  }

  void event(LifeboatMessage event) {
    out.add(event);
  }

  // ---- ids --------------------------------------------------------------------------------------

  String eventId() {
    state.sequence++;
    return MessageIds.derived(state.incidentId, "saga-event", Long.toString(state.sequence));
  }

  /**
   * The id of the attempt's command, derived from the incident, step, volume and attempt, so a
   * replay after a crash sends the same ids; a retried volume ({@code round} above 0) gets ids of
   * its own.
   */
  private String commandId(Attempt attempt, Long volumeId, int round) {
    String base = baseCommandId(attempt, volumeId);
    return round == 0 ? base : base + "-r" + round;
  }

  private String baseCommandId(Attempt attempt, Long volumeId) {
    return MessageIds.derived(
        state.incidentId,
        attempt.request.namesItsCommands() ? attempt.request.name() : attempt.step.name(),
        volumeId == null ? "-" : volumeId.toString(),
        Integer.toString(attempt.number),
        // Once the command's place in a step of several commands. A step is one command now; the
        // constant keeps the ids an older version derived, so an upgrade amid an incident
        // re-sends the same ids.
        "0");
  }

  private static String messageIdOf(String commandId) {
    return MessageIds.derived(commandId, "message");
  }

  String id() {
    return state.incidentId;
  }

  long serverId() {
    return state.node.serverId();
  }

  String nodeName() {
    return state.node.name();
  }
}
