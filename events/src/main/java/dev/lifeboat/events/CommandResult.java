package dev.lifeboat.events;

/** The outcome of a {@link Command}, named by what happened. */
public interface CommandResult extends LifeboatMessage {

  /** The {@link Command#commandId()} this result answers. */
  String commandId();
}
