package dev.lifeboat.watcher.domain;

import dev.lifeboat.events.IncidentId;
import dev.lifeboat.events.node.GoneReason;
import dev.lifeboat.events.node.SuspicionReason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Decides, from what the informers show, which nodes are suspected, gone or back (docs/design.md:
 * guards). It remembers what it already reported, so each change is reported once, and it starts
 * from the cluster itself: a node annotated {@value #DECLARED_ANNOTATION} by an earlier leader is
 * already gone. No framework code: the host calls {@link #evaluate} on every change and when {@link
 * #nextWakeUp} is due.
 */
public final class Detector {

  /**
   * Annotation the watcher puts on a node it declared gone, so that no leader declares it again.
   */
  public static final String DECLARED_ANNOTATION = "lifeboat.dev/declared-gone";

  /**
   * Annotation a planned removal puts on its node once the node is drained, naming the removal:
   * from then on, while it stays cordoned, the node is on its way out on purpose (powered off,
   * deleted), and neither its silence nor its deletion is a loss.
   */
  public static final String REMOVED_ANNOTATION = "lifeboat.dev/removed";

  /**
   * Annotation beside {@link #DECLARED_ANNOTATION}: when the node was declared (ISO-8601), so that
   * a new leader counts it against the storm guard's window as the old one did.
   */
  public static final String DECLARED_AT_ANNOTATION = "lifeboat.dev/declared-at";

  private final DetectionRules rules;
  private final NodeSelector excluded;
  private final Map<String, Tracked> tracked = new HashMap<>();

  /** What was reported about a node. */
  private enum Status {
    HEALTHY,
    SUSPECTED,
    GUARDED,
    GONE
  }

  private static final class Tracked {
    Status status = Status.HEALTHY;
    Instant declaredAt;
    Instant deletedAt;
    String uid;
    String incident; // the id of the node's current loss; null while healthy
    String serverDownFor; // the loss for which the Hetzner side showed the server off or deleted
  }

  /**
   * What the detector made of the Hetzner side's evidence about a suspected node.
   *
   * @param declared whether the node is declared gone (now, or already before)
   * @param detail in words, for the saga's timeline
   */
  public record Answer(boolean declared, String detail) {}

  /** What the signals of one node say now. */
  private record Signal(
      NodeFacts node, GoneReason gone, SuspicionReason suspect, Instant lastSeen) {
    boolean healthy() {
      return gone == null && suspect == null;
    }
  }

  public Detector(DetectionRules rules, NodeSelector excluded) {
    this.rules = rules;
    this.excluded = excluded;
  }

  /**
   * The decisions for the cluster as it is now.
   *
   * @param nodes the Nodes that exist
   * @param deleted Nodes deleted since the last evaluation
   * @param leases each node's Lease renew time, by node name
   * @param watchTrouble the last time a watch was disconnected or a list resynced; null if never
   */
  public List<Detection> evaluate(
      Collection<NodeFacts> nodes,
      Collection<NodeFacts> deleted,
      Map<String, Instant> leases,
      Instant now,
      Instant watchTrouble) {
    List<Signal> signals = new ArrayList<>();
    for (NodeFacts node : nodes) {
      if (!excluded.excludes(node) && !removed(node)) {
        signals.add(signal(node, leases.get(node.name()), now));
      }
    }
    for (NodeFacts node : deleted) {
      if (!excluded.excludes(node) && !removed(node) && counts(node, now)) {
        signals.add(new Signal(node, GoneReason.NODE_DELETED, null, now));
      }
    }
    for (Signal signal : signals) {
      adopt(signal.node());
    }
    signals.replaceAll(this::withHetznerEvidence);
    Set<String> deletedNames = new HashSet<>();
    deleted.forEach(node -> deletedNames.add(node.name()));
    for (Signal signal : signals) {
      Tracked t = tracked.get(signal.node().name());
      if (!deletedNames.contains(signal.node().name())) {
        t.deletedAt = null;
      } else if (t.deletedAt == null) {
        t.deletedAt = now;
      }
    }
    int known = Math.max(1, signals.size() + (int) deletedWithin(now));
    List<Detection> decisions = new ArrayList<>();
    List<Signal> candidates =
        signals.stream().filter(s -> s.gone != null && status(s.node) != Status.GONE).toList();
    if (!candidates.isEmpty()) {
      // A node declared gone before the window is an incident already handled, not part of a
      // storm now; suspected and guarded nodes always count, however long they have been silent.
      long lost =
          Stream.concat(
                  signals.stream()
                      .filter(s -> !s.healthy() && status(s.node) != Status.GONE)
                      .map(s -> s.node.name()),
                  recentlyDeclared(now))
              .distinct()
              .count();
      boolean tooMany = lost > rules.allowedLosses(known);
      boolean watchesShaky = rules.watchesShaky(watchTrouble, now);
      for (Signal candidate : candidates) {
        Tracked t = tracked.get(candidate.node.name());
        // The storm guard holds what would be fenced; shaky watches hold every declaration, a
        // server shown off included: a loss carries the cluster as the watcher sees it (the
        // volumes held, the nodes that could take them), stale while its watches are not whole.
        if ((tooMany && !serverProvenDown(candidate.gone)) || watchesShaky) {
          if (t.status != Status.GUARDED) {
            t.status = Status.GUARDED;
            String detail =
                tooMany
                    ? lost
                        + " of "
                        + known
                        + " watched nodes would be lost within "
                        + rules.stormWindow()
                        + ", more than the share "
                        + rules.maxLostShare()
                    : "the watcher's own watches were disconnected or resynced at "
                        + watchTrouble
                        + ", less than "
                        + rules.leaseGrace()
                        + " ago";
            String incident = incident(t, candidate);
            decisions.add(
                new Detection.Suspect(
                    candidate.node, SuspicionReason.STORM_GUARD, candidate.lastSeen, incident));
            decisions.add(
                new Detection.Guarded(
                    candidate.node, (int) lost, known, rules.maxLostShare(), detail, incident));
          }
        } else {
          t.status = Status.GONE;
          t.declaredAt = now;
          decisions.add(new Detection.Gone(candidate.node, candidate.gone, incident(t, candidate)));
        }
      }
    }
    for (Signal signal : signals) {
      Tracked t = tracked.get(signal.node.name());
      if (signal.gone == null && signal.suspect != null && t.status == Status.HEALTHY) {
        t.status = Status.SUSPECTED;
        decisions.add(
            new Detection.Suspect(
                signal.node, signal.suspect, signal.lastSeen, incident(t, signal)));
      } else if (signal.healthy() && t.status != Status.HEALTHY) {
        t.status = Status.HEALTHY;
        t.declaredAt = null;
        t.serverDownFor = null;
        String incident =
            t.incident != null
                ? t.incident
                : IncidentId.forNode(signal.node.name(), signal.node.uid());
        t.incident = null; // a later loss is a new incident
        decisions.add(new Detection.Returned(signal.node, incident));
      }
    }
    for (NodeFacts node : deleted) {
      Tracked t = tracked.get(node.name());
      if (t != null && t.status == Status.GONE) {
        t.uid = null; // a Node of the same name created later is a new node
      }
    }
    return decisions;
  }

  /**
   * Evidence from the Hetzner side (the orchestrator read the node's server) that a suspected
   * node's server is off or deleted: the node is declared gone at the next {@link #evaluate},
   * without waiting for the grace, and even while the storm guard holds others (a server that is
   * off needs no fence; it still counts towards the share); while the watcher's own watches are
   * shaky, once they hold again (the declaration carries the watcher's view of the cluster). Only
   * for the loss it was suspected of: a node whose Lease was renewed since, or that is lost again
   * as a new incident, is not declared.
   */
  public Answer serverDown(String nodeName, String incidentId) {
    Tracked t = tracked.get(nodeName);
    if (t == null || !incidentId.equals(t.incident)) {
      return new Answer(
          false,
          "node "
              + nodeName
              + " is not suspected of loss "
              + incidentId
              + " (its Lease was renewed, or this is not its current loss): not declared");
    }
    if (t.status != Status.GONE) {
      t.serverDownFor = incidentId;
    }
    return new Answer(true, "node " + nodeName + " is declared gone");
  }

  /** Whether the node is held (by the storm guard, or until the watches hold) and not declared. */
  public boolean held(String nodeName) {
    Tracked t = tracked.get(nodeName);
    return t != null && t.status == Status.GUARDED;
  }

  /**
   * Whether this detector has seen the node: its deletion, if it is deleted, reaches it from the
   * watch, not as one seen by no watcher.
   */
  public boolean knows(String nodeName) {
    return tracked.containsKey(nodeName);
  }

  /** Whether the node is declared gone in the loss named {@code incidentId}. */
  public boolean declared(String nodeName, String incidentId) {
    Tracked t = tracked.get(nodeName);
    return t != null && t.status == Status.GONE && incidentId.equals(t.incident);
  }

  /**
   * The next time a threshold passes with nothing else changing (a Lease or Ready condition aging,
   * a storm window or watch-trouble period ending); null when none.
   */
  public Instant nextWakeUp(
      Collection<NodeFacts> nodes, Map<String, Instant> leases, Instant now, Instant watchTrouble) {
    List<Instant> times = new ArrayList<>();
    for (NodeFacts node : nodes) {
      if (excluded.excludes(node)) {
        continue;
      }
      Instant renewed = leases.get(node.name());
      if (renewed != null) {
        times.add(renewed.plus(rules.leaseSuspect()).plusMillis(1));
        times.add(renewed.plus(rules.declareAfter()).plusMillis(1));
      }
      if (!node.isReady() && node.readySince() != null) {
        times.add(node.readySince().plus(rules.notReadyGrace()).plusMillis(1));
      }
    }
    if (watchTrouble != null) {
      times.add(watchTrouble.plus(rules.leaseGrace()).plusMillis(1));
    }
    tracked.values().stream()
        .filter(t -> t.declaredAt != null)
        .forEach(t -> times.add(t.declaredAt.plus(rules.stormWindow()).plusMillis(1)));
    return times.stream().filter(now::isBefore).min(Instant::compareTo).orElse(null);
  }

  private Signal signal(NodeFacts node, Instant renewed, Instant now) {
    if (node.tainted(NodeFacts.SHUTDOWN_TAINT)) {
      return new Signal(node, GoneReason.SERVER_SHUTDOWN, null, renewed);
    }
    GoneReason gone = null;
    SuspicionReason suspect = null;
    if (renewed != null && Duration.between(renewed, now).compareTo(rules.declareAfter()) > 0) {
      gone = GoneReason.LEASE_EXPIRED;
    } else if (rules.leaseOverdue(renewed, now)) {
      suspect = SuspicionReason.LEASE_OVERDUE;
    }
    if (gone == null && !node.isReady()) {
      Instant since = Optional.ofNullable(node.readySince()).orElse(now);
      if (Duration.between(since, now).compareTo(rules.notReadyGrace()) > 0) {
        gone = GoneReason.NOT_READY;
      } else if (suspect == null) {
        suspect = SuspicionReason.NOT_READY;
      }
    }
    return new Signal(node, gone, gone == null ? suspect : null, renewed);
  }

  /**
   * A suspected node whose server the Hetzner side showed off or deleted, for this same loss, is
   * gone now ({@link GoneReason#SERVER_OFF}); a deleted Node or a shutdown taint says so already.
   */
  private Signal withHetznerEvidence(Signal signal) {
    Tracked t = tracked.get(signal.node.name());
    boolean proven = t.serverDownFor != null && t.serverDownFor.equals(t.incident);
    if (!proven
        || signal.healthy()
        || signal.gone == GoneReason.NODE_DELETED
        || serverProvenDown(signal.gone)) {
      return signal;
    }
    return new Signal(signal.node, GoneReason.SERVER_OFF, null, signal.lastSeen);
  }

  /**
   * Whether the reason itself shows the server off (the cloud controller manager's shutdown taint,
   * or the orchestrator's read): nothing can still write there, so the storm guard, which waits
   * because fencing many running servers at once may be wrong, has no reason to hold it.
   */
  private static boolean serverProvenDown(GoneReason reason) {
    return reason == GoneReason.SERVER_OFF || reason == GoneReason.SERVER_SHUTDOWN;
  }

  /** Starts tracking a node, taking an earlier leader's declaration from its annotation. */
  private void adopt(NodeFacts node) {
    Tracked t = tracked.get(node.name());
    if (t == null || (t.uid != null && !t.uid.equals(node.uid()))) {
      t = new Tracked();
      tracked.put(node.name(), t);
      String declared = node.annotations().get(DECLARED_ANNOTATION);
      if (declared != null) {
        t.status = Status.GONE;
        t.incident = declared.isBlank() ? null : declared;
        t.declaredAt = declaredAt(node);
      }
    }
    t.uid = node.uid();
  }

  /** When an earlier leader declared the node, from its annotation; null when unknown. */
  private static Instant declaredAt(NodeFacts node) {
    String at = node.annotations().get(DECLARED_AT_ANNOTATION);
    try {
      return at == null ? null : Instant.parse(at);
    } catch (java.time.format.DateTimeParseException e) {
      return null; // not ours to trust: the node then no longer counts against the window
    }
  }

  /** The incident of the node's current loss, named when the loss is first reported. */
  private static String incident(Tracked t, Signal signal) {
    if (t.incident == null) {
      t.incident = IncidentId.forLoss(signal.node.name(), signal.node.uid(), lossBegan(signal));
    }
    return t.incident;
  }

  /**
   * When the loss began, as every leader sees it: the Lease's last renewal (frozen while the node
   * is silent); for a node that is not Ready while its Lease renews, when it stopped being Ready;
   * for a deleted Node, nothing (its UID is never lost twice).
   */
  private static Instant lossBegan(Signal signal) {
    if (signal.gone == GoneReason.NODE_DELETED) {
      return null;
    }
    boolean notReady =
        signal.gone == GoneReason.NOT_READY || signal.suspect == SuspicionReason.NOT_READY;
    if (notReady && signal.node.readySince() != null) {
      return signal.node.readySince();
    }
    return signal.lastSeen != null ? signal.lastSeen : signal.node.readySince();
  }

  /**
   * Whether a planned removal emptied the node and it is still cordoned: what happens to it next
   * (powered off, deleted) is no loss. A node kept and taken back into use (uncordoned) is watched
   * again, whatever its annotation says.
   */
  private static boolean removed(NodeFacts node) {
    return node.annotations().containsKey(REMOVED_ANNOTATION) && node.unschedulable();
  }

  /**
   * Whether a deleted Node still counts: for one storm window after its deletion. A Node deleted on
   * purpose (a scale-down, which the guard may have held for a person) is gone for good after that,
   * and must not count towards the share of lost nodes for every later loss.
   */
  public boolean counts(NodeFacts deletedNode, Instant now) {
    Tracked t = tracked.get(deletedNode.name());
    return t == null || t.deletedAt == null || now.isBefore(t.deletedAt.plus(rules.stormWindow()));
  }

  private Status status(NodeFacts node) {
    return tracked.get(node.name()).status;
  }

  private Stream<String> recentlyDeclared(Instant now) {
    return tracked.entrySet().stream()
        .filter(e -> e.getValue().declaredAt != null)
        .filter(e -> now.isBefore(e.getValue().declaredAt.plus(rules.stormWindow())))
        .map(Map.Entry::getKey);
  }

  private long deletedWithin(Instant now) {
    return tracked.values().stream()
        .filter(t -> t.uid == null && t.declaredAt != null)
        .filter(t -> now.isBefore(t.declaredAt.plus(rules.stormWindow())))
        .count();
  }
}
