package dev.lifeboat.audit.domain;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.codec.MessageTypes;
import dev.lifeboat.events.hcloud.AttachVolume;
import dev.lifeboat.events.hcloud.DeleteServer;
import dev.lifeboat.events.hcloud.DetachVolume;
import dev.lifeboat.events.hcloud.PowerOffServer;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.node.NodeSuspected;
import dev.lifeboat.events.saga.IncidentCancelled;
import dev.lifeboat.events.saga.IncidentCompleted;
import dev.lifeboat.events.saga.IncidentHeld;
import dev.lifeboat.events.saga.IncidentPartial;
import dev.lifeboat.events.saga.RequestRefused;
import dev.lifeboat.events.saga.RetryScheduled;
import dev.lifeboat.events.saga.StepFailed;
import dev.lifeboat.events.saga.StepStarted;
import dev.lifeboat.events.saga.StepSucceeded;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The timeline of an incident as lines a person reads: the same lines on the API, in the report and
 * from the database-free replay command.
 */
public final class Timeline {

  private Timeline() {}

  /**
   * One line.
   *
   * @param at when it happened
   * @param topic the topic it was on
   * @param type the CloudEvents type
   * @param messageId the message id
   * @param summary what it says, in words
   */
  public record Line(Instant at, String topic, String type, String messageId, String summary) {}

  /** The lines of these messages, in timeline order. */
  public static List<Line> lines(List<Entry> entries) {
    List<Entry> ordered = new ArrayList<>(entries);
    ordered.sort(IncidentProjector.TIMELINE);
    return ordered.stream()
        .map(
            e ->
                new Line(
                    e.message().occurredAt(),
                    e.topic(),
                    MessageTypes.typeOf(e.message().getClass()),
                    e.message().messageId(),
                    describe(e.message())))
        .toList();
  }

  /** The lines as plain text, one per line. */
  public static String text(List<Line> lines) {
    StringBuilder out = new StringBuilder();
    for (Line line : lines) {
      out.append(line.at()).append("  ").append(line.summary()).append('\n');
    }
    return out.toString();
  }

  /** The lines as a Markdown table. */
  public static String markdown(String incidentId, List<Line> lines) {
    StringBuilder out = new StringBuilder();
    out.append("# Timeline of incident ").append(incidentId).append("\n\n");
    out.append("| time (UTC) | topic | what |\n|---|---|---|\n");
    for (Line line : lines) {
      out.append("| ")
          .append(line.at())
          .append(" | ")
          .append(line.topic())
          .append(" | ")
          .append(line.summary().replace("|", "\\|"))
          .append(" |\n");
    }
    return out.toString();
  }

  /** What a message says, in words. */
  public static String describe(LifeboatMessage message) {
    if (message instanceof NodeSuspected s) {
      return "node " + s.node().name() + " suspected (" + s.reason() + ")";
    }
    if (message instanceof NodeGone g) {
      return "node "
          + g.node().name()
          + " gone ("
          + g.reason()
          + "), server "
          + g.node().serverId()
          + ", "
          + g.volumes().size()
          + " volume(s)";
    }
    if (message instanceof PowerOffServer p) {
      return "command: power off server " + p.serverId();
    }
    if (message instanceof DeleteServer d) {
      return "command: delete server " + d.serverId();
    }
    if (message instanceof DetachVolume d) {
      return "command: detach volume " + d.volumeId() + " from server " + d.expectedServerId();
    }
    if (message instanceof AttachVolume a) {
      return "command: attach volume " + a.volumeId() + " to server " + a.serverId();
    }
    if (message instanceof StepStarted s) {
      return s.step() + volume(s.volumeId()) + " started (attempt " + s.attempt() + ")";
    }
    if (message instanceof StepSucceeded s) {
      return s.step() + volume(s.volumeId()) + " succeeded: " + s.detail();
    }
    if (message instanceof StepFailed f) {
      return f.step()
          + volume(f.volumeId())
          + " failed (attempt "
          + f.attempt()
          + (f.giveUp() ? ", final" : "")
          + "): "
          + f.errorCode()
          + " "
          + f.message();
    }
    if (message instanceof RetryScheduled r) {
      return r.step() + volume(r.volumeId()) + " retry " + r.nextAttempt() + " at " + r.retryAt();
    }
    if (message instanceof IncidentCompleted c) {
      return "incident COMPLETED, moved " + c.movedVolumes();
    }
    if (message instanceof IncidentPartial p) {
      return "incident PARTIAL, moved "
          + p.movedVolumes()
          + ", failed "
          + p.failures().stream().map(f -> f.volumeId() + " " + f.reason()).toList();
    }
    if (message instanceof IncidentCancelled c) {
      return "incident CANCELLED: " + c.reason();
    }
    if (message instanceof IncidentHeld h) {
      return "incident HELD for a person: " + h.code() + ": " + h.reason();
    }
    if (message instanceof RequestRefused r) {
      return "request " + r.request() + " refused: " + r.reason();
    }
    String type = message.getClass().getSimpleName();
    return type.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
  }

  private static String volume(Long volumeId) {
    return volumeId == null ? "" : " of volume " + volumeId;
  }
}
