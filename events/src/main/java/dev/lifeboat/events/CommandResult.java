package dev.lifeboat.events;

/** The outcome of a {@link Command}, named by what happened. */
public interface CommandResult extends LifeboatMessage {

  /** The {@link Command#commandId()} this result answers. */
  String commandId();

  /**
   * True when a result of this kind can answer a command of that type: an Hetzner result any
   * Hetzner command, a scheduled pod only a wait for a replacement, and so on. Whoever matches
   * results to commands asks this instead of knowing the pairs.
   */
  boolean answers(Class<? extends Command> commandType);
}
