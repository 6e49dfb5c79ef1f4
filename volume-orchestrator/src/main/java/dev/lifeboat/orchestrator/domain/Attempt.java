package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.saga.Step;
import java.time.Instant;

/**
 * The current attempt of one step, for the incident (fence, taint) or for one volume: the request
 * it sends or waits for, that command's deadline, or the time it will be tried again.
 */
public final class Attempt {

  Step step;
  int number;
  Request request;
  int announced;
  String commandId;
  Instant deadline;
  Instant retryAt;

  Attempt() {}

  Attempt(Step step, Request request) {
    this.step = step;
    this.number = 1;
    this.request = request;
  }

  /** The step this attempt belongs to. */
  public Step step() {
    return step;
  }

  /** The attempt number, from 1. */
  public int number() {
    return number;
  }

  /** The command this attempt sends (or sent); null for a fence that sends none. */
  public Request request() {
    return request;
  }

  /** The id of the command awaited, or null when none is outstanding. */
  public String commandId() {
    return commandId;
  }

  /** When the awaited command counts as failed for lack of a result; null when none awaited. */
  public Instant deadline() {
    return deadline;
  }

  /** When this step is tried again; null unless a retry (or a paused send) is scheduled. */
  public Instant retryAt() {
    return retryAt;
  }

  boolean awaiting(String id) {
    return commandId != null && commandId.equals(id);
  }

  void clearCommand() {
    commandId = null;
    deadline = null;
  }

  /** Nothing outstanding and nothing scheduled. */
  void idle() {
    clearCommand();
    retryAt = null;
  }
}
