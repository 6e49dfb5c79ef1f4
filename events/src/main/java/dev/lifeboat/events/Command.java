package dev.lifeboat.events;

/** A request for one service to do something; the result echoes its {@link #commandId()}. */
public interface Command extends LifeboatMessage {

  /**
   * The id of the request, created before it is sent, so that a redelivered or retried command is
   * recognised as the same request.
   */
  String commandId();

  /** True when the result is of a kind that can answer this command (ids aside). */
  default boolean answeredBy(CommandResult result) {
    return result.answers(getClass());
  }
}
