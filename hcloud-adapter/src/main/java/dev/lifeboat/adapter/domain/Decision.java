package dev.lifeboat.adapter.domain;

/** What to do about a command, decided from what the adapter observed (observe, then act). */
public sealed interface Decision {

  /** The goal already holds: report it, make no mutating call. */
  record AlreadyDone(String observed) implements Decision {}

  /** Make this call. */
  record Act(String call, String observed) implements Decision {}

  /** The command cannot be carried out safely or at all. */
  record Refuse(String code, String message) implements Decision {}
}
