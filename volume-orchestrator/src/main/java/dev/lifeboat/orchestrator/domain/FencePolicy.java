package dev.lifeboat.orchestrator.domain;

/** How the saga proves that a lost node's server can no longer write (docs/design.md). */
public enum FencePolicy {
  /** Cut the server's power ({@code poweroff}); the default. */
  POWEROFF,
  /**
   * Delete the server, which also detaches all its volumes, so DETACH is skipped; only for nodes of
   * disposable pools, chosen by a label selector.
   */
  DELETE,
  /**
   * Send no fencing command; accepted only when the cloud controller manager reported the server
   * shut down. Any other incident waits for a person, who vouches for the fence by resuming it.
   */
  NONE
}
