package dev.lifeboat.events;

import java.time.Instant;

/** A request for one service to do something; the result echoes its {@link #commandId()}. */
public interface Command extends LifeboatMessage {

  /**
   * The id of the request, created before it is sent, so that a redelivered or retried command is
   * recognised as the same request.
   */
  String commandId();

  /**
   * When the orchestrator stops waiting for this command: after it, the service that carries it out
   * neither starts it nor goes on with it (a wait ends at the earlier of its timeout and this), so
   * nothing lands after the saga gave up or moved on; null for no deadline.
   */
  Instant notAfter();

  /** True when the result is of a kind that can answer this command (ids aside). */
  default boolean answeredBy(CommandResult result) {
    return result.answers(getClass());
  }
}
