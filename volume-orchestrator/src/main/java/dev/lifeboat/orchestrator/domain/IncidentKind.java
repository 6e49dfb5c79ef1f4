package dev.lifeboat.orchestrator.domain;

/** What an incident's saga empties a node for. */
public enum IncidentKind {
  /** The node was lost: fence its server, then move its volumes. */
  LOSS,
  /**
   * A person asked to remove the node: cordon it, evict its pods, move its volumes, then delete,
   * power off or keep its server. Nothing is fenced.
   */
  REMOVAL,
  /**
   * A person asked for the repair of a doctor's finding (docs/doctor.md), checked again just
   * before: detach a volume from a server that is off and that no Node stands for. Nothing is
   * fenced or cordoned; the adapter detaches only while the server is off.
   */
  REPAIR;

  /** The kind in the API's words: {@code loss} or {@code removal}. */
  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
