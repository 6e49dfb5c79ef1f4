package dev.lifeboat.adapter.messaging;

/** The messaging channels of hcloud-adapter; their topics are set in application.properties. */
public final class Channels {

  /** Incoming: commands from the orchestrator ({@code lifeboat.hcloud-commands}). */
  public static final String HCLOUD_COMMANDS = "hcloud-commands";

  /** Outgoing: outcomes of those commands ({@code lifeboat.hcloud-results}). */
  public static final String HCLOUD_RESULTS = "hcloud-results";

  /**
   * Outgoing: the budget's state while it is short ({@code lifeboat.fencing-permits}, keyed by the
   * permits' authority key).
   */
  public static final String BUDGET_REPORTS = "budget-reports";

  /**
   * Incoming: the orchestrator's saga events ({@code lifeboat.saga-events}), read for the end of
   * each incident.
   */
  public static final String SAGA_EVENTS = "saga-events";

  /**
   * Incoming: doctor runs asked for ({@code lifeboat.doctor}; the snapshots and reports on it are
   * skipped).
   */
  public static final String DOCTOR = "doctor";

  /** Outgoing: the Hetzner side of each doctor run ({@code lifeboat.doctor}). */
  public static final String DOCTOR_ANSWERS = "doctor-answers";

  private Channels() {}
}
