package dev.lifeboat.orchestrator.messaging;

/**
 * The messaging channels of volume-orchestrator; their topics are set in application.properties.
 */
public final class Channels {

  /** Incoming: facts about nodes ({@code lifeboat.node-events}). */
  public static final String NODE_EVENTS = "node-events";

  /** Incoming: outcomes of cluster commands ({@code lifeboat.cluster-results}). */
  public static final String CLUSTER_RESULTS = "cluster-results";

  /** Incoming: outcomes of Hetzner commands ({@code lifeboat.hcloud-results}). */
  public static final String HCLOUD_RESULTS = "hcloud-results";

  /** Incoming: a person's requests ({@code lifeboat.control}). */
  public static final String CONTROL = "control";

  /** Outgoing: commands for node-watcher ({@code lifeboat.cluster-commands}). */
  public static final String CLUSTER_COMMANDS = "cluster-commands";

  /** Outgoing: commands for hcloud-adapter ({@code lifeboat.hcloud-commands}). */
  public static final String HCLOUD_COMMANDS = "hcloud-commands";

  /** Outgoing: what the sagas did and decided ({@code lifeboat.saga-events}). */
  public static final String SAGA_EVENTS = "saga-events";

  private Channels() {}
}
