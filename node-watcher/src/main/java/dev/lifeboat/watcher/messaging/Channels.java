package dev.lifeboat.watcher.messaging;

/** The messaging channels of node-watcher; their topics are set in application.properties. */
public final class Channels {

  /** Incoming: commands from the orchestrator ({@code lifeboat.cluster-commands}). */
  public static final String CLUSTER_COMMANDS = "cluster-commands";

  /** Outgoing: facts about nodes ({@code lifeboat.node-events}). */
  public static final String NODE_EVENTS = "node-events";

  /** Outgoing: outcomes of cluster commands ({@code lifeboat.cluster-results}). */
  public static final String CLUSTER_RESULTS = "cluster-results";

  private Channels() {}
}
