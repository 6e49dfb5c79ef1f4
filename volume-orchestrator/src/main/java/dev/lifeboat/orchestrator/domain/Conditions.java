package dev.lifeboat.orchestrator.domain;

/**
 * What the saga of one incident needs to know about the rest of the world, given by its host so
 * that the saga stays a pure function. (Whether it may fence is not among them: it asks for a
 * permit, {@link FencingPermits}.)
 *
 * @param commandsPaused true while a person has paused all new mutating commands (maintenance)
 * @param otherActiveFlows how many volume flows of other incidents are in progress
 */
public record Conditions(boolean commandsPaused, int otherActiveFlows) {

  /** Nothing paused, no other incident. */
  public static final Conditions CALM = new Conditions(false, 0);
}
