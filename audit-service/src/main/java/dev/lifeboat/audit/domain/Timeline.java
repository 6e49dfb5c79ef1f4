package dev.lifeboat.audit.domain;

import dev.lifeboat.events.Command;
import dev.lifeboat.events.CommandResult;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.VolumeCommand;
import dev.lifeboat.events.cluster.AwaitPodReady;
import dev.lifeboat.events.cluster.AwaitReplacementPod;
import dev.lifeboat.events.cluster.ClusterCommandFailed;
import dev.lifeboat.events.cluster.ClusterCommandSucceeded;
import dev.lifeboat.events.cluster.CordonNode;
import dev.lifeboat.events.cluster.DeclareNodeGone;
import dev.lifeboat.events.cluster.DeleteVolumeAttachments;
import dev.lifeboat.events.cluster.ForceDeletePods;
import dev.lifeboat.events.cluster.PodReady;
import dev.lifeboat.events.cluster.RemoveOutOfServiceTaint;
import dev.lifeboat.events.cluster.ReplacementPodScheduled;
import dev.lifeboat.events.cluster.RequeueVolumeAttachment;
import dev.lifeboat.events.cluster.TaintNodeOutOfService;
import dev.lifeboat.events.codec.MessageTypes;
import dev.lifeboat.events.hcloud.AttachVolume;
import dev.lifeboat.events.hcloud.DeleteServer;
import dev.lifeboat.events.hcloud.DetachVolume;
import dev.lifeboat.events.hcloud.HcloudCommandAlreadyDone;
import dev.lifeboat.events.hcloud.HcloudCommandDryRun;
import dev.lifeboat.events.hcloud.HcloudCommandFailed;
import dev.lifeboat.events.hcloud.HcloudCommandSucceeded;
import dev.lifeboat.events.hcloud.ObserveServer;
import dev.lifeboat.events.hcloud.PowerOffServer;
import dev.lifeboat.events.hcloud.ServerObserved;
import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.node.NodeReturned;
import dev.lifeboat.events.node.NodeSuspected;
import dev.lifeboat.events.node.PodRef;
import dev.lifeboat.events.node.StormGuardTripped;
import dev.lifeboat.events.permit.BudgetReported;
import dev.lifeboat.events.permit.FencePermitGranted;
import dev.lifeboat.events.permit.FencePermitRefused;
import dev.lifeboat.events.permit.FencePermitReleased;
import dev.lifeboat.events.permit.FencePermitRequested;
import dev.lifeboat.events.permit.FlowSlotsGranted;
import dev.lifeboat.events.permit.FlowSlotsRefused;
import dev.lifeboat.events.permit.FlowSlotsRequested;
import dev.lifeboat.events.permit.FlowSlotsReturned;
import dev.lifeboat.events.saga.IncidentCancelled;
import dev.lifeboat.events.saga.IncidentCompleted;
import dev.lifeboat.events.saga.IncidentHeld;
import dev.lifeboat.events.saga.IncidentPartial;
import dev.lifeboat.events.saga.RequestRefused;
import dev.lifeboat.events.saga.RetryScheduled;
import dev.lifeboat.events.saga.StepFailed;
import dev.lifeboat.events.saga.StepStarted;
import dev.lifeboat.events.saga.StepSucceeded;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The timeline of an incident as lines a person reads, as a story: every time to the millisecond
 * and relative to the first message, cause before effect within one instant (a command right after
 * the step that sends it), every result naming its command and volume, every volume with its claim
 * and pod. The same lines on the API, in the report and from the database-free replay command.
 */
public final class Timeline {

  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Timeline() {}

  /**
   * One line.
   *
   * @param at when it happened, UTC to the millisecond
   * @param sinceStart how long after the incident's first message, such as {@code +12.3 s}
   * @param topic the topic it was on
   * @param type the CloudEvents type
   * @param messageId the message id
   * @param summary what it says, in words
   */
  public record Line(
      String at, String sinceStart, String topic, String type, String messageId, String summary) {}

  /** The lines of these messages, in timeline order. */
  public static List<Line> lines(List<Entry> entries) {
    List<Entry> ordered = inCausalOrder(entries);
    Story story = new Story(entries);
    Instant start = ordered.isEmpty() ? null : ordered.get(0).message().occurredAt();
    return ordered.stream()
        .map(
            e ->
                new Line(
                    MILLIS.format(e.message().occurredAt()),
                    since(start, e.message().occurredAt()),
                    e.topic(),
                    MessageTypes.typeOf(e.message().getClass()),
                    e.message().messageId(),
                    story.describe(e.message())))
        .toList();
  }

  /** The lines as plain text, one per line. */
  public static String text(List<Line> lines) {
    StringBuilder out = new StringBuilder();
    for (Line line : lines) {
      out.append(line.at())
          .append("  ")
          .append(line.sinceStart())
          .append("  ")
          .append(line.summary())
          .append('\n');
    }
    return out.toString();
  }

  /** The lines as a Markdown table. */
  public static String markdown(String incidentId, List<Line> lines) {
    StringBuilder out = new StringBuilder();
    out.append("# Timeline of incident ").append(incidentId).append("\n\n");
    out.append("| time (UTC) | since start | topic | what |\n|---|---|---|---|\n");
    for (Line line : lines) {
      out.append("| ")
          .append(line.at())
          .append(" | ")
          .append(line.sinceStart())
          .append(" | ")
          .append(line.topic())
          .append(" | ")
          .append(line.summary().replace("|", "\\|"))
          .append(" |\n");
    }
    return out.toString();
  }

  /**
   * The messages in {@link IncidentProjector#TIMELINE} order, with each command moved right after
   * the StepStarted that announced it when both happened in the same instant.
   */
  static List<Entry> inCausalOrder(List<Entry> entries) {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(IncidentProjector.TIMELINE);
    Map<String, Entry> announced = new HashMap<>();
    Map<String, Instant> announcedAt = new HashMap<>();
    for (Entry e : sorted) {
      if (e.message() instanceof StepStarted s && s.commandId() != null) {
        announcedAt.put(s.commandId(), s.occurredAt());
      }
    }
    for (Entry e : sorted) {
      if (e.message() instanceof Command c
          && e.message().occurredAt().equals(announcedAt.get(c.commandId()))) {
        announced.putIfAbsent(c.commandId(), e);
      }
    }
    Set<Entry> moved = new HashSet<>(announced.values());
    List<Entry> out = new ArrayList<>(sorted.size());
    for (Entry e : sorted) {
      if (moved.contains(e)) {
        continue;
      }
      out.add(e);
      if (e.message() instanceof StepStarted s && s.commandId() != null) {
        Entry command = announced.remove(s.commandId());
        if (command != null) {
          out.add(command);
        }
      }
    }
    return out;
  }

  private static String since(Instant start, Instant at) {
    long millis = Duration.between(start, at).toMillis();
    return String.format(Locale.ROOT, "%s%.1f s", millis < 0 ? "" : "+", millis / 1000.0);
  }

  /** What a message says, in words, without the rest of its incident. */
  public static String describe(LifeboatMessage message) {
    return new Story(List.of()).describe(message);
  }

  /** What the incident's messages tell about each other: commands by id, volumes by id. */
  private static final class Story {
    private final Map<String, Command> commands = new HashMap<>();
    private final Map<Long, String> volumes = new HashMap<>();

    Story(List<Entry> entries) {
      for (Entry e : entries) {
        if (e.message() instanceof Command c) {
          commands.putIfAbsent(c.commandId(), c);
        } else if (e.message() instanceof NodeGone g) {
          for (HeldVolume v : g.volumes()) {
            volumes.putIfAbsent(v.volumeId(), name(v));
          }
        }
      }
    }

    private static String name(HeldVolume volume) {
      String claim = volume.claim().namespace() + "/" + volume.claim().name();
      String pods = volume.pods().stream().map(PodRef::name).collect(Collectors.joining(", "));
      return pods.isEmpty() ? claim : claim + ", pod " + pods;
    }

    String volume(long volumeId) {
      String name = volumes.get(volumeId);
      return "volume " + volumeId + (name == null ? "" : " (" + name + ")");
    }

    private String of(Long volumeId) {
      return volumeId == null ? "" : " of " + volume(volumeId);
    }

    String describe(LifeboatMessage message) {
      if (message instanceof NodeSuspected s) {
        return "node " + s.node().name() + " suspected (" + s.reason() + ")";
      }
      if (message instanceof StormGuardTripped g) {
        return "node " + g.node().name() + " held by the storm guard: " + g.detail();
      }
      if (message instanceof NodeReturned r) {
        return "node " + r.node().name() + " came back";
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
      if (message instanceof Command c) {
        return "command: " + command(c);
      }
      if (message instanceof CommandResult r) {
        Command command = commands.get(r.commandId());
        return "result of "
            + (command == null ? "command " + r.commandId() : command(command))
            + ": "
            + outcome(r);
      }
      if (message instanceof StepStarted s) {
        return s.step() + of(s.volumeId()) + " started (attempt " + s.attempt() + ")";
      }
      if (message instanceof StepSucceeded s) {
        return s.step() + of(s.volumeId()) + " succeeded: " + s.detail();
      }
      if (message instanceof StepFailed f) {
        return f.step()
            + of(f.volumeId())
            + " failed (attempt "
            + f.attempt()
            + (f.giveUp() ? ", final" : "")
            + "): "
            + f.errorCode()
            + " "
            + f.message();
      }
      if (message instanceof RetryScheduled r) {
        return r.step()
            + of(r.volumeId())
            + " retry "
            + r.nextAttempt()
            + " at "
            + MILLIS.format(r.retryAt());
      }
      if (message instanceof IncidentCompleted c) {
        return "incident COMPLETED, moved "
            + c.movedVolumes().stream().map(this::volume).collect(Collectors.joining(", "));
      }
      if (message instanceof IncidentPartial p) {
        return "incident PARTIAL, moved "
            + p.movedVolumes().stream().map(this::volume).toList()
            + ", failed "
            + p.failures().stream().map(f -> volume(f.volumeId()) + " " + f.reason()).toList();
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
      if (message instanceof FencePermitRequested r) {
        return "fencing permit asked for (cap "
            + r.cap()
            + (r.override() ? "; a person's resume, granted past the cap" : "")
            + ")";
      }
      if (message instanceof FencePermitGranted g) {
        return "fencing permit granted (" + g.others().size() + " other incident(s) fencing)";
      }
      if (message instanceof FencePermitRefused r) {
        return "fencing permit refused: "
            + r.others().size()
            + " incidents are fencing, the cap is "
            + r.cap();
      }
      if (message instanceof FencePermitReleased) {
        return "fencing permit given back";
      }
      if (message instanceof FlowSlotsRequested r) {
        return "flow slots asked for: "
            + r.wanted()
            + " at once (limit "
            + r.limit()
            + (r.override() ? "; a person's retry, granted past the limit" : "")
            + ")";
      }
      if (message instanceof FlowSlotsGranted g) {
        return "flow slots granted: "
            + g.granted()
            + " at once ("
            + g.othersHeld()
            + " held by other incidents)";
      }
      if (message instanceof FlowSlotsRefused r) {
        return "flow slots refused: other incidents hold "
            + r.othersHeld()
            + " of the limit of "
            + r.limit()
            + "; asking again";
      }
      if (message instanceof FlowSlotsReturned r) {
        return r.kept() == 0 ? "flow slots given back" : "flow slots given back but " + r.kept();
      }
      if (message instanceof BudgetReported b) {
        return String.format(
            Locale.ROOT,
            "Hetzner budget %s: %d of %d requests left, %d calls waiting, the adapter got %.2f of"
                + " %.2f a second",
            b.constrained() ? "short" : "no longer short",
            b.remaining(),
            b.limit(),
            b.waiting(),
            b.servedPerSecond(),
            b.refillPerSecond());
      }
      String type = message.getClass().getSimpleName();
      return type.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
    }

    /** A command, named with what it acts on. */
    private String command(Command command) {
      if (command instanceof PowerOffServer p) {
        return "power off server " + p.serverId();
      }
      if (command instanceof DeleteServer d) {
        return "delete server " + d.serverId();
      }
      if (command instanceof DetachVolume d) {
        return "detach " + volume(d.volumeId()) + " from server " + d.expectedServerId();
      }
      if (command instanceof AttachVolume a) {
        return "attach " + volume(a.volumeId()) + " to server " + a.serverId();
      }
      if (command instanceof ObserveServer o) {
        return "read server " + o.serverId() + " of the suspected node";
      }
      if (command instanceof DeclareNodeGone d) {
        return "declare node " + d.nodeName() + " gone: " + d.evidence();
      }
      if (command instanceof CordonNode c) {
        return (c.unschedulable() ? "cordon node " : "uncordon node ") + c.nodeName();
      }
      if (command instanceof TaintNodeOutOfService t) {
        return "taint node " + t.nodeName() + " out-of-service";
      }
      if (command instanceof RemoveOutOfServiceTaint t) {
        return "remove the out-of-service taint of node " + t.nodeName();
      }
      if (command instanceof ForceDeletePods f) {
        return "force-delete pod(s) "
            + f.pods().stream().map(PodRef::name).collect(Collectors.joining(", "))
            + " on node "
            + f.nodeName();
      }
      if (command instanceof DeleteVolumeAttachments d) {
        String pods =
            d.forceDeleteFirst().isEmpty()
                ? ""
                : "force-delete pod(s) "
                    + d.forceDeleteFirst().stream()
                        .map(PodRef::name)
                        .collect(Collectors.joining(", "))
                    + ", then ";
        return pods
            + "delete the VolumeAttachment(s) of "
            + String.join(", ", d.persistentVolumes())
            + " on node "
            + d.nodeName();
      }
      if (command instanceof AwaitReplacementPod a) {
        return "wait for the replacement pod of " + volume(a.volumeId()) + " in " + a.location();
      }
      if (command instanceof AwaitPodReady a) {
        return (a.requeueFirst() == null
                ? ""
                : "requeue the VolumeAttachment of " + volume(a.volumeId()) + ", then ")
            + "wait for pod "
            + a.pod().name()
            + " Ready on "
            + a.nodeName();
      }
      if (command instanceof RequeueVolumeAttachment r) {
        return "requeue the VolumeAttachment of " + volume(r.volumeId()) + " on " + r.nodeName();
      }
      String type = command.getClass().getSimpleName();
      return type + (command instanceof VolumeCommand v ? " of " + volume(v.volumeId()) : "");
    }

    private static String outcome(CommandResult result) {
      if (result instanceof HcloudCommandSucceeded s) {
        return "succeeded, action "
            + s.actionId()
            + (s.actionStarted() != null && s.actionFinished() != null
                ? String.format(
                    Locale.ROOT,
                    " took %.1f s",
                    Duration.between(s.actionStarted(), s.actionFinished()).toMillis() / 1000.0)
                : "");
      }
      if (result instanceof HcloudCommandAlreadyDone d) {
        return "already done: " + d.observed();
      }
      if (result instanceof ServerObserved o) {
        return "server "
            + o.serverId()
            + (ServerObserved.DELETED.equals(o.status()) ? " deleted" : " status " + o.status())
            + (o.locked() ? ", an action running on it" : "");
      }
      if (result instanceof HcloudCommandDryRun d) {
        return "dry run, would " + d.wouldCall();
      }
      if (result instanceof HcloudCommandFailed f) {
        return failed(f.retryable(), f.errorCode(), f.errorMessage());
      }
      if (result instanceof ClusterCommandSucceeded s) {
        return "succeeded" + (s.detail() == null ? "" : ": " + s.detail());
      }
      if (result instanceof ReplacementPodScheduled p) {
        return "pod "
            + p.pod().name()
            + " bound to "
            + p.nodeName()
            + " (server "
            + p.serverId()
            + ", "
            + p.location()
            + ")";
      }
      if (result instanceof PodReady p) {
        return "pod " + p.pod().name() + " Ready on " + p.nodeName();
      }
      ClusterCommandFailed f = (ClusterCommandFailed) result;
      return failed(f.retryable(), f.code(), f.message());
    }

    private static String failed(boolean retryable, String code, String message) {
      return "failed (" + (retryable ? "retryable" : "final") + "): " + code + " " + message;
    }
  }
}
