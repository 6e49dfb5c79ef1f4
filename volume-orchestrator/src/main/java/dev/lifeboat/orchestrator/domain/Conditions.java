package dev.lifeboat.orchestrator.domain;

/**
 * What the saga of one incident needs to know about the rest of the world, given by its host so
 * that the saga stays a pure function.
 *
 * @param commandsPaused true while a person has paused all new mutating commands (maintenance)
 * @param otherIncidentsFencing how many other incidents have started fencing and not ended
 * @param otherActiveFlows how many volume flows of other incidents are in progress
 */
public record Conditions(boolean commandsPaused, int otherIncidentsFencing, int otherActiveFlows) {

  /** Nothing paused, no other incident. */
  public static final Conditions CALM = new Conditions(false, 0, 0);

  /** With no volume flow of another incident in progress. */
  public Conditions(boolean commandsPaused, int otherIncidentsFencing) {
    this(commandsPaused, otherIncidentsFencing, 0);
  }
}
