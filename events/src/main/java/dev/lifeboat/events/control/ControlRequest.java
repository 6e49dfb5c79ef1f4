package dev.lifeboat.events.control;

import dev.lifeboat.events.LifeboatMessage;

/** A person's request to the orchestrator about one incident; topic {@code control}. */
public sealed interface ControlRequest extends LifeboatMessage
    permits ResumeIncident,
        CancelIncident,
        AbortIncident,
        RetryVolume,
        PauseCommands,
        ResumeCommands {

  /** Who asked, as the API authenticated them. */
  String requestedBy();
}
