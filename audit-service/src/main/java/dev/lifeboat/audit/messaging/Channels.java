package dev.lifeboat.audit.messaging;

/** The messaging channels of audit-service; their topics are set in application.properties. */
public final class Channels {

  /** Incoming: every Lifeboat topic but the dead letters, by pattern. */
  public static final String LIFEBOAT_TOPICS = "lifeboat-topics";

  private Channels() {}
}
