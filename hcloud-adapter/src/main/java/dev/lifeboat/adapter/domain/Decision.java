package dev.lifeboat.adapter.domain;

/** What to do about a command, decided from what the adapter observed (observe, then act). */
public sealed interface Decision {

  /**
   * The goal already holds: report it, make no mutating call.
   *
   * @param serverDeleted true when the reason is that the server no longer exists
   */
  record AlreadyDone(String observed, boolean serverDeleted) implements Decision {

    /** The goal holds and the server, if any, exists. */
    public AlreadyDone(String observed) {
      this(observed, false);
    }
  }

  /** Make this call. */
  record Act(String call, String observed) implements Decision {}

  /**
   * The command cannot be carried out safely or at all.
   *
   * @param retryable whether the same command may succeed later (the world may change by itself)
   */
  record Refuse(String code, String message, boolean retryable) implements Decision {

    /** A final refusal. */
    public Refuse(String code, String message) {
      this(code, message, false);
    }
  }
}
