package dev.lifeboat.events.saga;

import dev.lifeboat.events.LifeboatMessage;

/** What the orchestrator's saga of an incident did and decided; topic {@code saga-events}. */
public sealed interface SagaEvent extends LifeboatMessage
    permits StepStarted,
        StepSucceeded,
        StepFailed,
        RetryScheduled,
        IncidentCompleted,
        IncidentPartial,
        IncidentCancelled,
        IncidentHeld,
        RequestRefused {}
