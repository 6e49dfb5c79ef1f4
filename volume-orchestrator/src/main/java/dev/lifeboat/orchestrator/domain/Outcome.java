package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.LifeboatMessage;
import java.util.List;

/**
 * What one call of the saga produced.
 *
 * @param state the incident's new state; null when the message opened no incident
 * @param messages the commands and saga events to send, in order
 */
public record Outcome(IncidentState state, List<LifeboatMessage> messages) {
  public Outcome {
    messages = List.copyOf(messages);
  }
}
