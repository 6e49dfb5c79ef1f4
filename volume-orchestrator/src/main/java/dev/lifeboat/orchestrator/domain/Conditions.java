package dev.lifeboat.orchestrator.domain;

/**
 * What the saga of one incident needs to know about the rest of the world, given by its host so
 * that the saga stays a pure function. (Whether it may fence is not among them: it asks for a
 * permit, {@link FencingPermits}; nor how many flows it may run: it asks for slots, {@link
 * FlowSlots}.)
 *
 * @param commandsPaused true while a person has paused all new mutating commands (maintenance)
 */
public record Conditions(boolean commandsPaused) {

  /** Nothing paused. */
  public static final Conditions CALM = new Conditions(false);
}
