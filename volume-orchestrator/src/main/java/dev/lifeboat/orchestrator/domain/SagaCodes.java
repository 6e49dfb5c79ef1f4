package dev.lifeboat.orchestrator.domain;

/**
 * The saga's own failure codes, which only people and the timeline read; the codes services act on
 * are {@link dev.lifeboat.events.FailureCodes}.
 */
public final class SagaCodes {

  /** A person aborted the incident. */
  public static final String ABORTED = "ABORTED";

  /** The fence gave up: the server is not proven unable to write, so nothing moves. */
  public static final String FENCE_FAILED = "FENCE_FAILED";

  /** The replacement pod was bound in another location, or to the fenced server. */
  public static final String WRONG_LOCATION = "WRONG_LOCATION";

  /** The adapter runs dry: its answers prove nothing. */
  public static final String ADAPTER_DRY_RUN = "ADAPTER_DRY_RUN";

  /** The node has no hcloud:// providerID, so its server is unknown and cannot be fenced. */
  public static final String NO_SERVER = "NO_SERVER";

  /**
   * The volume's pod also uses a volume that stays on the old server (opted out, no room, failed
   * before its detach): the pod cannot run elsewhere, so it is not released.
   */
  public static final String POD_KEEPS_VOLUME = "POD_KEEPS_VOLUME";

  /** A removal: the volume opted out of Lifeboat, so the removal is refused at pre-flight. */
  public static final String OPTED_OUT = "OPTED_OUT";

  /** A removal: the node could not be cordoned, so nothing is evicted from it. */
  public static final String NOT_CORDONED = "NOT_CORDONED";

  /** A removal: cancelled while the volume's eviction waited for a disruption budget. */
  public static final String CANCELLED = "CANCELLED";

  /** A removal: the node was lost, and its loss incident took the volume over. */
  public static final String HANDED_OVER = "HANDED_OVER";

  private SagaCodes() {}
}
