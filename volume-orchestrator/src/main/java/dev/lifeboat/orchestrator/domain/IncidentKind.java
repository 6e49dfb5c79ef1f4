package dev.lifeboat.orchestrator.domain;

/** What an incident's saga empties a node for. */
public enum IncidentKind {
  /** The node was lost: fence its server, then move its volumes. */
  LOSS,
  /**
   * A person asked to remove the node: cordon it, evict its pods, move its volumes, then delete,
   * power off or keep its server. Nothing is fenced.
   */
  REMOVAL;

  /** The kind in the API's words: {@code loss} or {@code removal}. */
  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
