package dev.lifeboat.orchestrator.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lifeboat.events.codec.MessageCodec;
import dev.lifeboat.events.node.SuspicionReason;
import dev.lifeboat.events.permit.BudgetReported;
import dev.lifeboat.orchestrator.domain.LossEvidence;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Names and keys of the orchestrator's state stores. */
public final class SagaStores {

  /** Each incident's saga state, by incident id; its changelog is a compacted topic. */
  public static final String SAGAS = "sagas";

  /**
   * The index of wake-up times: key {@code <epoch millis, 13 digits>|<incident id>}, so that the
   * punctuator scans only the entries that are due.
   */
  public static final String WAKE_UPS = "wake-ups";

  /** Per-task settings: {@link #PAUSED} while mutating commands are paused. */
  public static final String SETTINGS = "settings";

  /**
   * The key in {@link #SETTINGS}, on the permits' task, of the adapter's last budget report: {@link
   * #budget} and {@link #budgetOf}.
   */
  public static final String BUDGET = "hcloud-budget";

  /** The key present in {@link #SETTINGS} while a person has paused mutating commands. */
  public static final String PAUSED = "paused";

  /**
   * The incidents holding a fencing permit, by incident id (value: when granted). Only the task of
   * the partition that {@code PermitMessage.AUTHORITY_KEY} lands on writes it; the others' stay
   * empty.
   */
  public static final String PERMITS = "fencing-permits";

  /**
   * How many volume flows each incident holds under the limit, by incident id. Written, like {@link
   * #PERMITS}, only by the task that decides the permits.
   */
  public static final String FLOW_SLOTS = "flow-slots";

  /**
   * The suspected nodes whose server is read (detection from both sides), by incident id, until the
   * node is declared gone or returns: {@link #suspicion} and {@link #suspicionOf}.
   */
  public static final String SUSPECTS = "suspects";

  private SagaStores() {}

  /** A suspicion as stored: node name, server id and reason, one per line. */
  public static String suspicion(LossEvidence.Suspicion suspicion) {
    return suspicion.nodeName() + "\n" + suspicion.serverId() + "\n" + suspicion.reason();
  }

  /** A suspicion as {@link #suspicion} stored it; null for null. */
  public static LossEvidence.Suspicion suspicionOf(String stored) {
    if (stored == null) {
      return null;
    }
    String[] parts = stored.split("\n", 3);
    return new LossEvidence.Suspicion(
        parts[0], Long.parseLong(parts[1]), SuspicionReason.valueOf(parts[2]));
  }

  /** A budget report as stored: its JSON payload, as on the topic. */
  public static String budget(BudgetReported report) {
    return new String(MessageCodec.payload(report), StandardCharsets.UTF_8);
  }

  /** A budget report as {@link #budget} stored it; null for null. */
  public static BudgetReported budgetOf(String stored) {
    if (stored == null) {
      return null;
    }
    try {
      return MessageCodec.mapper().readValue(stored, BudgetReported.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the stored budget report is not one: " + stored, e);
    }
  }

  /** The wake-up index key of an incident at a time. */
  public static String wakeUpKey(Instant at, String incidentId) {
    return String.format("%013d|%s", Math.max(0, at.toEpochMilli()), incidentId);
  }

  /** The first key after every wake-up due at {@code now}. */
  public static String wakeUpsDueUntil(Instant now) {
    return String.format("%013d|\uffff", Math.max(0, now.toEpochMilli()));
  }

  /** The incident id in a wake-up key. */
  public static String incidentOf(String wakeUpKey) {
    return wakeUpKey.substring(wakeUpKey.indexOf('|') + 1);
  }
}
