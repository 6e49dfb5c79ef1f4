package dev.lifeboat.watcher.kubernetes;

import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.inventory.NodeInventory;
import dev.lifeboat.events.node.EligibleNode;
import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.NodeRef;
import dev.lifeboat.watcher.config.WatcherConfig;
import dev.lifeboat.watcher.domain.DetectionRules;
import dev.lifeboat.watcher.domain.Detector;
import dev.lifeboat.watcher.domain.Inventory;
import dev.lifeboat.watcher.domain.NodeFacts;
import dev.lifeboat.watcher.domain.NodeSelector;
import dev.lifeboat.watcher.domain.RemovalRequests;
import dev.lifeboat.watcher.messaging.Reports;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The leader's report of every node on the compacted {@code node-inventory} topic: at each {@code
 * lifeboat.watcher.inventory-interval}, each node whose inventory changed since its last report
 * (its volumes, where they could go, Ready, schedulable, excluded, asked to be removed), and once,
 * marked deleted, a node that is gone. A new leader reports every node again, and marks deleted a
 * node that was deleted while no watcher watched once its loss is reported ({@link #markDeleted}).
 */
@ApplicationScoped
public class InventoryReports {

  private static final Logger LOG = Logger.getLogger(InventoryReports.class);

  private final ClusterCache cache;
  private final Leadership leadership;
  private final Reports reports;
  private final DetectionRules rules;
  private final NodeSelector excluded;
  private final Clock clock;
  private final WatcherConfig config;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "inventory-reports"));

  /** The last report of each node, as sent (stamped with a fixed id and time to compare). */
  private final Map<String, NodeInventory> reported = new HashMap<>();

  private boolean wasLeading;

  /** Last reports of nodes deleted unseen, to be reported deleted at the next pass. */
  private final Queue<NodeInventory> deletedUnseen = new ConcurrentLinkedQueue<>();

  InventoryReports(
      ClusterCache cache,
      Leadership leadership,
      Reports reports,
      DetectionRules rules,
      NodeSelector excluded,
      Clock clock,
      WatcherConfig config) {
    this.cache = cache;
    this.leadership = leadership;
    this.reports = reports;
    this.rules = rules;
    this.excluded = excluded;
    this.clock = clock;
    this.config = config;
  }

  void start(@Observes StartupEvent startup) {
    long every = config.inventoryInterval().toMillis();
    thread.scheduleWithFixedDelay(this::reportSafely, every, every, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent shutdown) {
    thread.shutdownNow();
  }

  /**
   * A node deleted while no watcher watched, whose loss was reported: its record on the topic is
   * marked deleted at the next pass (a new leader reports only the nodes that exist).
   */
  public void markDeleted(NodeInventory lastReport) {
    deletedUnseen.add(lastReport);
  }

  private void reportSafely() {
    try {
      report();
    } catch (RuntimeException e) {
      LOG.warnf(e, "node inventories not reported (tried again in %s)", config.inventoryInterval());
    }
  }

  /** Reports what changed since the last call; nothing unless this instance leads. */
  void report() {
    boolean leading = leadership.leading();
    if (!leading) {
      wasLeading = false;
      return;
    }
    if (!wasLeading) {
      reported.clear(); // a new leader reports every node again
      wasLeading = true;
    }
    Instant now = clock.instant();
    List<NodeFacts> nodes = cache.nodes();
    Map<String, Instant> leases = cache.leaseRenewals();
    Inventory inventory = cache.inventory();
    Set<String> present = new TreeSet<>();
    for (NodeFacts node : nodes) {
      present.add(node.name());
      send(of(node, inventory, nodes, leases, now, false));
    }
    for (NodeInventory last; (last = deletedUnseen.poll()) != null; ) {
      if (!present.contains(last.incidentId()) && !last.deleted()) {
        reported.putIfAbsent(last.incidentId(), last.restamped("-", Instant.EPOCH));
      }
    }
    for (NodeInventory gone : new ArrayList<>(reported.values())) {
      if (!present.contains(gone.incidentId()) && !gone.deleted()) {
        send(
            new NodeInventory(
                MessageIds.random(),
                gone.incidentId(),
                now,
                gone.node(),
                true,
                false,
                false,
                gone.excludedBecause(),
                gone.removal(),
                gone.declaredGone(),
                List.of(),
                Map.of(),
                Map.of(),
                nodes.size()));
      }
    }
  }

  private void send(NodeInventory report) {
    NodeInventory comparable = report.restamped("-", Instant.EPOCH);
    if (comparable.equals(reported.get(report.incidentId()))) {
      return;
    }
    reports.publish(report);
    reported.put(report.incidentId(), comparable);
  }

  private NodeInventory of(
      NodeFacts node,
      Inventory inventory,
      List<NodeFacts> nodes,
      Map<String, Instant> leases,
      Instant now,
      boolean deleted) {
    List<HeldVolume> held = inventory.heldBy(node);
    Map<String, List<EligibleNode>> eligible =
        inventory.eligibleFor(node, held, RemovalRequests.takesVolumes(rules, leases, now));
    NodeRef ref = node.ref();
    return new NodeInventory(
        MessageIds.random(),
        node.name(),
        now,
        ref,
        deleted,
        node.isReady(),
        !node.unschedulable(),
        excluded.excludes(node) ? Inventory.EXCLUDED : null,
        node.annotations().get(RemovalRequests.ANNOTATION),
        node.annotations().get(Detector.DECLARED_ANNOTATION),
        new ArrayList<>(held),
        eligible,
        node.labels(),
        nodes.size());
  }
}
