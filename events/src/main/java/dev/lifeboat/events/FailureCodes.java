package dev.lifeboat.events;

/**
 * Failure codes that one service sets and another acts on, so they are part of the contract: {@code
 * code} of ClusterCommandFailed, {@code errorCode} of StepFailed and {@code code} of IncidentHeld.
 * Hetzner's own error codes pass through as Hetzner spells them.
 */
public final class FailureCodes {

  /** No healthy node in the volume's location can take its pod; final. */
  public static final String NO_ELIGIBLE_NODE = "NO_ELIGIBLE_NODE";

  /** Nothing happened by the deadline; worth another attempt. */
  public static final String TIMEOUT = "TIMEOUT";

  /** The incident waits for a person: too many incidents are fencing at once. */
  public static final String FENCING_CAP = "FENCING_CAP";

  /** The incident waits for a person: the fencing policy cannot prove the server is off. */
  public static final String FENCE_NOT_PROVEN = "FENCE_NOT_PROVEN";

  /**
   * The adapter refused a detach: the fenced server runs again (a person powered it on) or a start
   * action runs on it; final. The saga holds the volumes not yet detached for a person.
   */
  public static final String SERVER_RUNNING = "server_running";

  /**
   * The adapter refused an attach: the target server does not run (off, stopping, gone); final. A
   * retry of the volume waits for a new replacement pod instead of attaching there again.
   */
  public static final String TARGET_NOT_RUNNING = "target_not_running";

  /** The incident waits for a person: its fence stopped holding (the server runs again). */
  public static final String FENCE_LOST = "FENCE_LOST";

  /**
   * node-watcher did not carry out a command read after its {@code notAfter} (hcloud-adapter says
   * {@code deadline_passed}): the saga stops waiting for it then; final for the service, and for
   * the saga the attempt's timeout, which another attempt may follow.
   */
  public static final String DEADLINE_PASSED = "DEADLINE_PASSED";

  /**
   * The node a replacement pod waits on was declared lost itself (or deleted) before the pod was
   * Ready; final: the volume is that node's incident's to move now, or a person's.
   */
  public static final String TARGET_LOST = "TARGET_LOST";

  /**
   * A planned removal's eviction was refused by a PodDisruptionBudget (the message names it);
   * retryable: the budget allows it once another pod of the set is Ready again.
   */
  public static final String EVICTION_BLOCKED = "EVICTION_BLOCKED";

  /**
   * hcloud-adapter did not delete or power off a removed node's server because Hetzner still shows
   * a volume attached to it; retryable (a detach may still be running).
   */
  public static final String VOLUMES_ATTACHED = "volumes_attached";

  /**
   * A planned removal cannot start: a volume has nowhere to go (the message says which and why),
   * the node is a control-plane node, or excluded from Lifeboat; nothing was done.
   */
  public static final String REMOVAL_REFUSED = "REMOVAL_REFUSED";

  private FailureCodes() {}
}
