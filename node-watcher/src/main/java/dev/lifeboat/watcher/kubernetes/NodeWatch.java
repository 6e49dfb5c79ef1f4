package dev.lifeboat.watcher.kubernetes;

import dev.lifeboat.events.IncidentId;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.cluster.ClusterCommandSucceeded;
import dev.lifeboat.events.cluster.ClusterResult;
import dev.lifeboat.events.cluster.DeclareNodeGone;
import dev.lifeboat.events.control.CancelIncident;
import dev.lifeboat.events.inventory.NodeInventory;
import dev.lifeboat.events.node.EligibleNode;
import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.node.NodeRef;
import dev.lifeboat.events.node.NodeReturned;
import dev.lifeboat.events.node.NodeSuspected;
import dev.lifeboat.events.node.RemovalRequested;
import dev.lifeboat.events.node.ServerDisposal;
import dev.lifeboat.events.node.StormGuardTripped;
import dev.lifeboat.watcher.domain.Detection;
import dev.lifeboat.watcher.domain.DetectionRules;
import dev.lifeboat.watcher.domain.Detector;
import dev.lifeboat.watcher.domain.Inventory;
import dev.lifeboat.watcher.domain.NodeFacts;
import dev.lifeboat.watcher.domain.NodeSelector;
import dev.lifeboat.watcher.domain.RemovalRequests;
import dev.lifeboat.watcher.domain.UnseenDeletions;
import dev.lifeboat.watcher.messaging.LastInventories;
import dev.lifeboat.watcher.messaging.Reports;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Runs detection while this instance leads: on every change of a Node or Lease, and at the next
 * time a threshold passes, it asks the {@link Detector} and reports its decisions on {@code
 * node-events}, NodeGone with the node's inventory. All of it runs on one thread, in order.
 *
 * <p>A new leader also looks for nodes deleted while no watcher watched ({@link UnseenDeletions}),
 * from the last reports on {@code node-inventory}, and handles each as a deletion seen now.
 */
@ApplicationScoped
public class NodeWatch implements Leadership.Listener {

  private static final Logger LOG = Logger.getLogger(NodeWatch.class);

  /** How soon a report the broker did not take is sent again. */
  static final Duration REPORT_RETRY = Duration.ofSeconds(2);

  /** How long one read of the last node inventory may take, and how often it is tried. */
  static final Duration LAST_READ_WITHIN = Duration.ofSeconds(30);

  static final int LAST_READ_ATTEMPTS = 10;

  private final ClusterCache cache;
  private final Leadership leadership;
  private final Reports reports;
  private final KubernetesClient client;
  private final DetectionRules rules;
  private final NodeSelector excluded;
  private final Clock clock;

  /** Counter of detections, tagged {@code kind}: suspected:…, gone:…, returned, storm-guard. */
  public static final String DETECTIONS = "lifeboat.watcher.detections";

  private static final String STORM_GUARD = "storm-guard";

  private final MeterRegistry registry;
  private final ClusterEvents events;
  private final LastInventories lastInventories;
  private final InventoryReports inventoryReports;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "node-watch"));
  private final ExecutorService lastReader =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "last-inventories"));
  private final Map<String, NodeFacts> deleted = new LinkedHashMap<>();

  /** The last reports of nodes deleted unseen, until their loss is reported. */
  private final Map<String, NodeInventory> unseen = new LinkedHashMap<>();

  private final List<Detection> unreported = new ArrayList<>();
  private Detector detector;
  private RemovalRequests removals;
  private ScheduledFuture<?> wakeUp;

  NodeWatch(
      ClusterCache cache,
      Leadership leadership,
      Reports reports,
      KubernetesClient client,
      DetectionRules rules,
      NodeSelector excluded,
      Clock clock,
      MeterRegistry registry,
      ClusterEvents events,
      LastInventories lastInventories,
      InventoryReports inventoryReports) {
    this.events = events;
    this.lastInventories = lastInventories;
    this.inventoryReports = inventoryReports;
    this.cache = cache;
    this.leadership = leadership;
    this.reports = reports;
    this.client = client;
    this.rules = rules;
    this.excluded = excluded;
    this.clock = clock;
    this.registry = registry;
  }

  void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent startup) {
    // At 0 from the start, so that the storm guard's alert sees its first trip as an increase.
    registry.counter(DETECTIONS, "kind", STORM_GUARD);
    cache.listen(
        change -> {
          if (change.deletedNode() != null) {
            thread.execute(() -> deleted.put(change.deletedNode().name(), change.deletedNode()));
          }
          if (change.kind().equals("Node") || change.kind().equals("Lease")) {
            thread.execute(this::evaluate);
          }
        });
    leadership.listen(this);
    leadership.start();
  }

  void stop(@Observes ShutdownEvent shutdown) {
    thread.shutdownNow();
    lastReader.shutdownNow();
  }

  @Override
  public void started() {
    thread.execute(
        () -> {
          // A new leader starts from the cluster as it is; nodes an earlier leader declared gone
          // carry the declared-gone annotation and are not declared again.
          detector = new Detector(rules, excluded);
          removals = new RemovalRequests(excluded);
          evaluate();
          Detector term = detector;
          lastReader.execute(() -> readLastInventory(term));
        });
  }

  /**
   * Reads the last reports on {@code node-inventory} (again while the broker does not answer) and
   * hands the nodes deleted while no watcher watched to detection, if this term still leads.
   */
  private void readLastInventory(Detector term) {
    for (int attempt = 1; attempt <= LAST_READ_ATTEMPTS; attempt++) {
      Map<String, NodeInventory> last;
      try {
        last = lastInventories.read(LAST_READ_WITHIN);
      } catch (RuntimeException e) {
        LOG.warnf(
            "the last node inventory was not read (attempt %d of %d): %s",
            attempt, LAST_READ_ATTEMPTS, e.toString());
        continue;
      }
      thread.execute(() -> adoptUnseen(term, last));
      return;
    }
    LOG.errorf(
        "the last node inventory was not read in %d attempts: nodes deleted while no watcher"
            + " watched are not looked for until the next leader",
        LAST_READ_ATTEMPTS);
  }

  private void adoptUnseen(Detector term, Map<String, NodeInventory> last) {
    if (detector != term) {
      return; // this term ended; the next leader reads again
    }
    List<NodeFacts> found =
        UnseenDeletions.find(last.values(), cache.nodes()).stream()
            .filter(node -> !detector.knows(node.name()))
            .toList();
    for (NodeFacts node : found) {
      NodeInventory report = last.get(node.name());
      LOG.warnf(
          "node %s (server %d) was deleted while no watcher watched: its last report (%s) shows"
              + " it with %d volume(s); handled as a deletion seen now",
          node.name(), report.node().serverId(), report.occurredAt(), report.volumes().size());
      deleted.putIfAbsent(node.name(), node);
      unseen.put(node.name(), report);
    }
    LOG.infof(
        "last node inventory read: %d node(s) reported, %d deleted unseen",
        last.size(), found.size());
    if (!found.isEmpty()) {
      evaluate();
    }
  }

  @Override
  public void stopped() {
    thread.execute(
        () -> {
          detector = null;
          removals = null;
          unreported.clear(); // the next leader starts from the cluster as it is
          if (wakeUp != null) {
            wakeUp.cancel(false);
          }
        });
  }

  /**
   * The orchestrator's evidence that a suspected node's server is off or deleted: the detector
   * declares the node gone now if it is still suspected of that loss (on the detection thread, in
   * order with every other decision), and the answer says whether it did.
   */
  public ClusterResult declareGone(DeclareNodeGone command) {
    try {
      return thread.submit(() -> declare(command)).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return notNow(command, "interrupted");
    } catch (ExecutionException | TimeoutException e) {
      return notNow(command, "detection did not answer: " + e);
    }
  }

  private ClusterResult declare(DeclareNodeGone command) {
    Instant now = clock.instant();
    if (detector == null) {
      return notNow(command, "this node-watcher does not lead");
    }
    Detector.Answer answer = detector.serverDown(command.nodeName(), command.incidentId());
    if (answer.declared()) {
      evaluate();
    }
    if (!detector.declared(command.nodeName(), command.incidentId())) {
      String why =
          !answer.declared()
              ? answer.detail()
              : detector.held(command.nodeName())
                  ? "node "
                      + command.nodeName()
                      + " is held: the watcher's watches of the API server were down within the"
                      + " grace; it is declared on this evidence once they hold"
                  : "node " + command.nodeName() + " is no longer suspected: not declared";
      LOG.infof("%s (evidence: %s)", why, command.evidence());
      return ClusterActions.failed(command, now, "NOT_SUSPECTED", why, false);
    }
    LOG.infof(
        "node %s declared gone on the Hetzner side's evidence: %s",
        command.nodeName(), command.evidence());
    return new ClusterCommandSucceeded(
        MessageIds.derived("cluster-result", command.commandId()),
        command.incidentId(),
        now,
        command.commandId(),
        false,
        answer.detail() + " (" + command.evidence() + ")");
  }

  private ClusterResult notNow(DeclareNodeGone command, String why) {
    return ClusterActions.failed(command, clock.instant(), "NOT_LEADING", why, true);
  }

  private void evaluate() {
    if (detector == null) {
      return;
    }
    Instant now = clock.instant();
    List<NodeFacts> nodes = cache.nodes();
    Map<String, Instant> leases = cache.leaseRenewals();
    Instant trouble = cache.watchTrouble();
    // What could not be sent before goes first: the detector has moved on (a node it declared
    // gone is never declared again), so a report is kept until the broker has it.
    List<Detection> decisions = new ArrayList<>(unreported);
    unreported.clear();
    decisions.addAll(detector.evaluate(nodes, List.copyOf(deleted.values()), leases, now, trouble));
    for (Detection decision : decisions) {
      try {
        report(decision, nodes, leases, now);
      } catch (RuntimeException e) {
        LOG.errorf(e, "could not report %s; trying again in %s", decision, REPORT_RETRY);
        unreported.add(decision);
      }
      if (decision instanceof Detection.Gone) {
        deleted.remove(decision.node().name());
        if (!unreported.contains(decision)) {
          NodeInventory report = unseen.remove(decision.node().name());
          if (report != null) {
            inventoryReports.markDeleted(report); // the next leader need not look at it again
          }
        }
      }
    }
    deleted.values().removeIf(node -> !detector.counts(node, now));
    unseen
        .keySet()
        .removeIf(
            name ->
                !deleted.containsKey(name)
                    && unreported.stream().noneMatch(d -> d.node().name().equals(name)));
    for (RemovalRequests.Decision decision : removals.evaluate(nodes)) {
      try {
        askRemoval(decision, nodes, leases, now);
      } catch (RuntimeException e) {
        LOG.errorf(e, "removal of node %s not asked for: %s", decision.node().name(), e);
      }
    }
    Instant next = detector.nextWakeUp(nodes, leases, now, trouble);
    if (!unreported.isEmpty()) {
      Instant retry = clock.instant().plus(REPORT_RETRY);
      next = next == null || retry.isBefore(next) ? retry : next;
    }
    if (wakeUp != null) {
      wakeUp.cancel(false);
    }
    if (next != null) {
      long delay = Math.max(1, Duration.between(clock.instant(), next).toMillis());
      wakeUp = thread.schedule(this::evaluate, delay, TimeUnit.MILLISECONDS);
    }
  }

  private void report(
      Detection decision, List<NodeFacts> nodes, Map<String, Instant> leases, Instant now) {
    NodeFacts node = decision.node();
    NodeRef ref = node.ref();
    String incident = decision.incidentId();
    LifeboatMessage message;
    String kind;
    if (decision instanceof Detection.Suspect suspect) {
      message =
          new NodeSuspected(
              MessageIds.random(), incident, now, ref, suspect.reason(), suspect.lastSeen());
      kind = "suspected:" + suspect.reason();
    } else if (decision instanceof Detection.Gone gone) {
      message = gone(incident, ref, node, gone, nodes, leases, now);
      kind = "gone:" + gone.reason();
    } else if (decision instanceof Detection.Returned) {
      message = new NodeReturned(MessageIds.random(), incident, now, ref);
      kind = "returned";
    } else {
      Detection.Guarded guarded = (Detection.Guarded) decision;
      message =
          new StormGuardTripped(
              MessageIds.random(),
              incident,
              now,
              ref,
              guarded.lostNodes(),
              guarded.knownNodes(),
              guarded.maxLostShare(),
              guarded.detail());
      kind = STORM_GUARD;
      LOG.warnf("storm guard holds node %s: %s", node.name(), guarded.detail());
    }
    reports.publish(message);
    registry.counter(DETECTIONS, "kind", kind).increment();
    LOG.infof("node %s: %s (incident %s)", node.name(), kind, incident);
    if (decision instanceof Detection.Gone) {
      annotate(node.name(), incident, now);
    } else if (decision instanceof Detection.Returned) {
      annotate(node.name(), null, null);
    }
  }

  private NodeGone gone(
      String incident,
      NodeRef ref,
      NodeFacts node,
      Detection.Gone gone,
      List<NodeFacts> nodes,
      Map<String, Instant> leases,
      Instant now) {
    Inventory inventory = cache.inventory();
    List<HeldVolume> held = new ArrayList<>(inventory.heldBy(node));
    NodeInventory lastReport = unseen.get(node.name());
    if (lastReport != null) {
      // Deleted unseen: what its VolumeAttachments show now may be less than it held.
      lastReport.volumes().stream()
          .filter(v -> held.stream().noneMatch(h -> h.volumeId() == v.volumeId()))
          .forEach(held::add);
    }
    Map<String, List<EligibleNode>> eligible =
        inventory.eligibleFor(
            node, held, candidate -> !rules.leaseOverdue(leases.get(candidate.name()), now));
    if (node.serverId().isEmpty()) {
      LOG.warnf(
          "node %s has no hcloud:// providerID (%s): its server is unknown and cannot be fenced",
          node.name(), node.providerId());
    }
    return new NodeGone(
        MessageIds.random(),
        incident,
        now,
        ref,
        gone.reason(),
        new ArrayList<>(held),
        eligible,
        node.labels(),
        nodes.size());
  }

  /**
   * A removal asked for by the annotation: the request with the node's inventory, its cancel when
   * the annotation is taken off, or, for a value Lifeboat cannot follow, a Warning Event on the
   * Node saying why (and nothing else).
   */
  private void askRemoval(
      RemovalRequests.Decision decision,
      List<NodeFacts> nodes,
      Map<String, Instant> leases,
      Instant now) {
    NodeFacts node = decision.node();
    String removal = IncidentId.forRemoval(node.name(), node.uid());
    if (decision instanceof RemovalRequests.Refuse refuse) {
      LOG.warnf("node %s: %s", node.name(), refuse.why());
      events.warn(node, "RemovalRefused", refuse.why());
      return;
    }
    if (decision instanceof RemovalRequests.Withdraw) {
      reports.publish(
          new CancelIncident(
              MessageIds.random(),
              removal,
              now,
              "node-watcher",
              "annotation " + RemovalRequests.ANNOTATION + " was taken off node " + node.name()));
      LOG.infof("node %s: removal %s withdrawn (annotation taken off)", node.name(), removal);
      return;
    }
    ServerDisposal then = ((RemovalRequests.Remove) decision).then();
    Inventory inventory = cache.inventory();
    List<HeldVolume> held = inventory.heldBy(node);
    Map<String, List<EligibleNode>> eligible =
        inventory.eligibleFor(node, held, RemovalRequests.takesVolumes(rules, leases, now));
    NodeRef ref = node.ref();
    reports.publish(
        new RemovalRequested(
            MessageIds.random(),
            removal,
            now,
            ref,
            then,
            "annotation",
            new ArrayList<>(held),
            eligible,
            node.labels(),
            nodes.size()));
    registry.counter("lifeboat.watcher.removals.requested", "then", then.word()).increment();
    LOG.infof(
        "node %s: removal %s asked for by annotation, %d volume(s), then %s",
        node.name(), removal, held.size(), then.word());
  }

  /**
   * Marks (or unmarks) a node as declared gone, and when, so that no later leader declares it again
   * and a new leader's storm guard counts it within its window.
   */
  private void annotate(String nodeName, String incident, Instant declaredAt) {
    try {
      client
          .nodes()
          .withName(nodeName)
          .edit(
              n -> {
                if (n.getMetadata().getAnnotations() == null) {
                  n.getMetadata().setAnnotations(new LinkedHashMap<>());
                }
                Map<String, String> annotations = n.getMetadata().getAnnotations();
                if (incident == null) {
                  annotations.remove(Detector.DECLARED_ANNOTATION);
                  annotations.remove(Detector.DECLARED_AT_ANNOTATION);
                } else {
                  annotations.put(Detector.DECLARED_ANNOTATION, incident);
                  annotations.put(Detector.DECLARED_AT_ANNOTATION, declaredAt.toString());
                }
                return n;
              });
    } catch (RuntimeException e) {
      // Deleted nodes cannot be annotated; a takeover may then repeat NodeGone, with the same
      // incident id, which the orchestrator takes as a duplicate.
      LOG.debugf("node %s not annotated: %s", nodeName, e.getMessage());
    }
  }
}
