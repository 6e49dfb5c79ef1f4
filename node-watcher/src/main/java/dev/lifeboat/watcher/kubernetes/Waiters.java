package dev.lifeboat.watcher.kubernetes;

import dev.lifeboat.events.FailureCodes;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.cluster.AwaitPodReady;
import dev.lifeboat.events.cluster.AwaitReplacementPod;
import dev.lifeboat.events.cluster.ClusterCommand;
import dev.lifeboat.events.cluster.ClusterResult;
import dev.lifeboat.events.cluster.EvictPods;
import dev.lifeboat.events.cluster.PodReady;
import dev.lifeboat.events.cluster.ReplacementPodScheduled;
import dev.lifeboat.events.node.PodRef;
import dev.lifeboat.watcher.domain.ClusterFacts.PodFacts;
import dev.lifeboat.watcher.domain.DetectionRules;
import dev.lifeboat.watcher.domain.Detector;
import dev.lifeboat.watcher.domain.Inventory;
import dev.lifeboat.watcher.domain.NodeFacts;
import dev.lifeboat.watcher.messaging.Reports;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The cluster commands that wait: for a replacement pod to be bound, for a pod to be Ready. Each is
 * checked against the informers' cache at once, again on every change of a Pod or Node, and
 * answered by its deadline; no polling of the API.
 */
@ApplicationScoped
public class Waiters {

  private static final Logger LOG = Logger.getLogger(Waiters.class);

  /** One waiting command. */
  private record Waiter(
      ClusterCommand command,
      Supplier<Optional<ClusterResult>> check,
      Supplier<ClusterResult> onTimeout,
      Instant deadline) {}

  private final ClusterCache cache;
  private final Reports reports;
  private final Clock clock;
  private final DetectionRules rules;
  private final List<Waiter> waiting = new ArrayList<>();

  /** Why a waiter's pod was not taken yet, by command id, for its timeout's words. */
  private final Map<String, String> notTaken = new ConcurrentHashMap<>();

  /**
   * How long a replacement pod may stay bound to a node that cannot run it (unknown, not Ready, its
   * Lease overdue) before it is deleted to be scheduled again: the scheduler places pods on a node
   * that went silent until the node lifecycle controller taints it, which comes later than
   * Lifeboat's detection, and a pod bound there waits for ever.
   */
  static final Duration STRANDED_AFTER = Duration.ofSeconds(10);

  /** Since when each replacement pod, by UID, has been bound to a node that cannot run it. */
  private final Map<String, Instant> strandedSince = new ConcurrentHashMap<>();

  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "cluster-waiters"));

  private final Evictions evictions;
  private final CommandEvents commandEvents;
  private final ClusterActions actions;

  Waiters(
      ClusterCache cache,
      Reports reports,
      Clock clock,
      DetectionRules rules,
      Evictions evictions,
      CommandEvents commandEvents,
      ClusterActions actions) {
    this.actions = actions;
    this.evictions = evictions;
    this.commandEvents = commandEvents;
    this.cache = cache;
    this.reports = reports;
    this.clock = clock;
    this.rules = rules;
  }

  void start(@Observes StartupEvent startup) {
    cache.listen(
        change -> {
          if (change.kind().equals("Pod")
              || change.kind().equals("Node")
              || change.kind().equals("Lease")
              || change.kind().equals("VolumeAttachment")) {
            thread.execute(this::checkAll);
          }
        });
  }

  void stop(@Observes ShutdownEvent shutdown) {
    thread.shutdownNow();
  }

  /** Starts waiting for the replacement pod of a claim. */
  public void await(AwaitReplacementPod command) {
    add(
        new Waiter(
            command,
            () -> replacement(command),
            () ->
                ClusterActions.failed(
                    command,
                    clock.instant(),
                    FailureCodes.TIMEOUT,
                    "no pod using claim "
                        + command.claim().namespace()
                        + "/"
                        + command.claim().name()
                        + " was bound to a healthy node within "
                        + command.timeout()
                        + Optional.ofNullable(notTaken.remove(command.commandId()))
                            .map(why -> ": " + why)
                            .orElse(""),
                    true),
            deadline(command, command.timeout())));
  }

  /** Starts waiting for a pod to be Ready. */
  public void await(AwaitPodReady command) {
    add(
        new Waiter(
            command,
            () -> ready(command),
            () ->
                ClusterActions.failed(
                    command,
                    clock.instant(),
                    FailureCodes.TIMEOUT,
                    "pod "
                        + command.pod().namespace()
                        + "/"
                        + command.pod().name()
                        + " was not Ready within "
                        + command.timeout()
                        + ": "
                        + why(command.pod()),
                    true),
            deadline(command, command.timeout())));
  }

  /**
   * Starts a planned removal's evictions and waits until the pods are gone from the node and their
   * volumes unmounted.
   */
  public void await(EvictPods command) {
    thread.execute(
        () -> {
          Evictions.Progress progress;
          try {
            progress = evictions.start(command);
          } catch (RuntimeException e) {
            LOG.warnf(e, "evictions of %s not started", command.commandId());
            publish(
                ClusterActions.failed(
                    command,
                    clock.instant(),
                    "INTERNAL_ERROR",
                    "evictions not started: " + e,
                    true));
            return;
          }
          add(
              new Waiter(
                  command,
                  () -> evictions.check(progress),
                  () -> evictions.timedOut(progress),
                  deadline(command, command.timeout())));
        });
  }

  /** The earlier of the wait's own timeout and the moment the saga stops waiting for it. */
  private Instant deadline(ClusterCommand command, Duration timeout) {
    Instant byTimeout = clock.instant().plus(timeout);
    Instant notAfter = command.notAfter();
    return notAfter != null && notAfter.isBefore(byTimeout) ? notAfter : byTimeout;
  }

  /** Stops waiting for everything (this instance no longer leads). */
  public void clear() {
    thread.execute(waiting::clear);
  }

  private void add(Waiter waiter) {
    thread.execute(
        () -> {
          waiting.add(waiter);
          checkAll();
        });
    long delay = Math.max(0, waiter.deadline().toEpochMilli() - clock.millis());
    thread.schedule(this::checkAll, delay + 5, TimeUnit.MILLISECONDS);
  }

  private void checkAll() {
    Instant now = clock.instant();
    for (Iterator<Waiter> it = waiting.iterator(); it.hasNext(); ) {
      Waiter waiter = it.next();
      Optional<ClusterResult> result;
      try {
        result = waiter.check().get();
      } catch (RuntimeException e) {
        LOG.warnf("check of %s failed: %s", waiter.command().commandId(), e.getMessage());
        continue;
      }
      if (result.isEmpty() && !now.isBefore(waiter.deadline())) {
        result = Optional.of(waiter.onTimeout().get());
      }
      if (result.isPresent()) {
        it.remove();
        publish(result.get());
        commandEvents.told(waiter.command(), result.get());
      }
    }
  }

  private void publish(ClusterResult result) {
    try {
      reports.publish(result);
    } catch (RuntimeException e) {
      LOG.errorf(e, "result of %s not sent", result.commandId());
    }
  }

  private Optional<ClusterResult> replacement(AwaitReplacementPod command) {
    List<NodeFacts> nodes = cache.nodes();
    Inventory inventory = cache.inventory();
    Map<String, Instant> leases = cache.leaseRenewals();
    Instant now = clock.instant();
    for (PodFacts pod : cache.pods()) {
      if (!pod.namespace().equals(command.claim().namespace())
          || !pod.claims().contains(command.claim().name())
          || pod.uid().equals(command.previousPodUid())
          || pod.terminating()
          || pod.nodeName() == null) {
        continue;
      }
      Optional<NodeFacts> node =
          nodes.stream().filter(n -> n.name().equals(pod.nodeName())).findFirst();
      String refused = refusal(node, pod, leases, now);
      if (refused != null) {
        // Attaching there would give the volume to a node that cannot run the pod (or is lost
        // itself): wait, and say why if the wait ends.
        notTaken.put(command.commandId(), refused);
        if (cannotRun(node, leases, now)) {
          releaseStranded(pod, refused, now);
        }
        continue;
      }
      strandedSince.remove(pod.uid());
      notTaken.remove(command.commandId());
      return Optional.of(
          new ReplacementPodScheduled(
              MessageIds.random(),
              command.incidentId(),
              clock.instant(),
              command.commandId(),
              command.volumeId(),
              pod.ref(),
              pod.nodeName(),
              node.get().serverId().get(),
              node.get().location().orElse("unknown")));
    }
    // No pod yet: if no node of the location could ever take it, say so now; but not while every
    // node there is silent, or the watches were down lately: that is how an outage of the API (or
    // of the network to it) looks for a while, and nodes that come back take the pod.
    List<NodeFacts> location =
        nodes.stream().filter(n -> command.location().equals(n.location().orElse(null))).toList();
    List<NodeFacts> inLocation = location.stream().filter(NodeFacts::takesPods).toList();
    boolean shaky = rules.watchesShaky(cache.watchTrouble(), now);
    if (inLocation.isEmpty()
        && !location.isEmpty()
        && (location.stream().noneMatch(NodeFacts::isReady) || shaky)) {
      notTaken.putIfAbsent(
          command.commandId(),
          "no node in "
              + command.location()
              + " is Ready and schedulable"
              + (shaky ? " (the watches of the API server were down lately)" : ""));
      return Optional.empty();
    }
    if (inLocation.isEmpty()) {
      return Optional.of(
          ClusterActions.failed(
              command,
              clock.instant(),
              FailureCodes.NO_ELIGIBLE_NODE,
              "no Ready, schedulable node in " + command.location(),
              false));
    }
    if (inLocation.stream()
        .allMatch(n -> inventory.hetznerVolumesOn(n.name()) >= Inventory.MAX_VOLUMES_PER_SERVER)) {
      return Optional.of(
          ClusterActions.failed(
              command,
              clock.instant(),
              FailureCodes.NO_ELIGIBLE_NODE,
              "every node in "
                  + command.location()
                  + " already holds "
                  + Inventory.MAX_VOLUMES_PER_SERVER
                  + " Hetzner volumes",
              false));
    }
    return Optional.empty();
  }

  /**
   * Why the replacement pod's node cannot take the volume, or null when it can: the node must be
   * known, with a server, Ready, and with a Lease renewed in time. (A node in another location is
   * reported as it is: the saga refuses it at once, WRONG_LOCATION, since waiting cannot help.)
   */
  private String refusal(
      Optional<NodeFacts> node, PodFacts pod, Map<String, Instant> leases, Instant now) {
    String where = "pod " + pod.name() + " is bound to node " + pod.nodeName();
    if (node.isEmpty()) {
      return where + ", which is unknown";
    }
    if (node.get().serverId().isEmpty()) {
      return where + ", which has no hcloud:// providerID";
    }
    if (!node.get().isReady()) {
      return where + ", which is not Ready";
    }
    if (rules.leaseOverdue(leases.get(node.get().name()), now)) {
      return where + ", whose Lease is overdue";
    }
    return null;
  }

  /** Whether the node cannot run a pod: unknown, not Ready, or its Lease overdue. */
  private boolean cannotRun(Optional<NodeFacts> node, Map<String, Instant> leases, Instant now) {
    return node.isEmpty()
        || !node.get().isReady()
        || rules.leaseOverdue(leases.get(node.get().name()), now);
  }

  /** Deletes a replacement pod once it has been stranded for {@link #STRANDED_AFTER}. */
  private void releaseStranded(PodFacts pod, String why, Instant now) {
    Instant since = strandedSince.get(pod.uid());
    if (since == null) {
      LOG.infof(
          "replacement pod %s/%s (uid %s) is stranded: %s; it is deleted if it stays %s",
          pod.namespace(), pod.name(), pod.uid(), why, STRANDED_AFTER);
      strandedSince.put(pod.uid(), now);
      thread.schedule(this::checkAll, STRANDED_AFTER.toMillis() + 5, TimeUnit.MILLISECONDS);
      return;
    }
    if (now.isBefore(since.plus(STRANDED_AFTER))) {
      return;
    }
    strandedSince.remove(pod.uid());
    try {
      Optional<String> notDeleted = actions.deleteStranded(pod.ref(), pod.nodeName());
      if (notDeleted.isEmpty()) {
        LOG.infof(
            "deleted replacement pod %s/%s (uid %s) to be scheduled again: %s for %s",
            pod.namespace(), pod.name(), pod.uid(), why, Duration.between(since, now));
      } else {
        LOG.infof(
            "stranded pod %s/%s (uid %s) left as it is: %s",
            pod.namespace(), pod.name(), pod.uid(), notDeleted.get());
      }
    } catch (RuntimeException e) {
      LOG.warnf("stranded pod %s/%s not deleted: %s", pod.namespace(), pod.name(), e.toString());
    }
  }

  private Optional<ClusterResult> ready(AwaitPodReady command) {
    Optional<ClusterResult> lost = targetLost(command);
    if (lost.isPresent()) {
      return lost;
    }
    Optional<Pod> pod = cache.pod(command.pod().namespace(), command.pod().name());
    if (pod.isEmpty() || !command.pod().uid().equals(pod.get().getMetadata().getUid())) {
      return Optional.empty();
    }
    boolean ready =
        pod.get().getStatus() != null
            && pod.get().getStatus().getConditions() != null
            && pod.get().getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    if (!ready) {
      return Optional.empty();
    }
    return Optional.of(
        new PodReady(
            MessageIds.random(),
            command.incidentId(),
            clock.instant(),
            command.commandId(),
            command.volumeId(),
            command.pod(),
            pod.get().getSpec().getNodeName()));
  }

  /**
   * The node the pod waits on was lost after the pod was bound there: declared gone by Lifeboat
   * (its own incident now holds the volume, from the pods on that node) or deleted. Waiting longer
   * cannot help, so the wait ends at once, final.
   */
  private Optional<ClusterResult> targetLost(AwaitPodReady command) {
    Optional<NodeFacts> node =
        cache.nodes().stream().filter(n -> n.name().equals(command.nodeName())).findFirst();
    String why;
    if (node.isEmpty()) {
      why = "node " + command.nodeName() + " no longer exists";
    } else {
      String declared = node.get().annotations().get(Detector.DECLARED_ANNOTATION);
      if (declared == null || declared.equals(command.incidentId())) {
        return Optional.empty();
      }
      why =
          "node "
              + command.nodeName()
              + " was declared lost itself (incident "
              + declared
              + "), which moves the volume with the node's pods";
    }
    return Optional.of(
        ClusterActions.failed(
            command,
            clock.instant(),
            FailureCodes.TARGET_LOST,
            "pod "
                + command.pod().namespace()
                + "/"
                + command.pod().name()
                + " will not be Ready: "
                + why,
            false));
  }

  /** Why a pod is not Ready, in words, for the timeout's message. */
  private String why(PodRef ref) {
    Optional<Pod> pod = cache.pod(ref.namespace(), ref.name());
    if (pod.isEmpty()) {
      return "the pod does not exist";
    }
    var status = pod.get().getStatus();
    if (status == null) {
      return "no status";
    }
    String waiting =
        status.getContainerStatuses() == null
            ? ""
            : status.getContainerStatuses().stream()
                .map(ContainerStatus::getState)
                .filter(s -> s != null && s.getWaiting() != null)
                .map(s -> s.getWaiting().getReason())
                .findFirst()
                .map(reason -> ", waiting: " + reason)
                .orElse("");
    return "phase " + status.getPhase() + waiting;
  }
}
