package dev.lifeboat.watcher.kubernetes;

import dev.lifeboat.watcher.domain.ClusterFacts.AttachmentFacts;
import dev.lifeboat.watcher.domain.ClusterFacts.ClaimFacts;
import dev.lifeboat.watcher.domain.ClusterFacts.PodFacts;
import dev.lifeboat.watcher.domain.ClusterFacts.VolumeFacts;
import dev.lifeboat.watcher.domain.Inventory;
import dev.lifeboat.watcher.domain.NodeFacts;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The watcher's view of the cluster: one informer per kind it reads (Nodes, node Leases, Pods,
 * PVCs, PVs, VolumeAttachments, Namespaces), so every decision reads a local cache kept current by
 * watches, never a polling loop. Listeners hear of every change, and of watch trouble.
 */
@ApplicationScoped
public class ClusterCache {

  private static final Logger LOG = Logger.getLogger(ClusterCache.class);

  /** Namespace of the kubelets' Leases. */
  public static final String NODE_LEASE_NAMESPACE = "kube-node-lease";

  /** What changed: the kind, and for a deleted Node its last state. */
  public record Change(String kind, NodeFacts deletedNode) {}

  private final KubernetesClient client;
  private final Clock clock;
  private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private SharedIndexInformer<Node> nodes;
  private SharedIndexInformer<Lease> leases;
  private SharedIndexInformer<Pod> pods;
  private SharedIndexInformer<PersistentVolumeClaim> claims;
  private SharedIndexInformer<PersistentVolume> volumes;
  private SharedIndexInformer<VolumeAttachment> attachments;
  private SharedIndexInformer<Namespace> namespaces;
  private volatile Instant watchTrouble;
  private volatile boolean watchesDown;
  private final ScheduledExecutorService watchCheck =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "watch-check"));

  ClusterCache(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  void start(@Observes StartupEvent startup) {
    nodes = inform(client.nodes().runnableInformer(0), "Node");
    leases =
        inform(
            client.resources(Lease.class).inNamespace(NODE_LEASE_NAMESPACE).runnableInformer(0),
            "Lease");
    pods = inform(client.pods().inAnyNamespace().runnableInformer(0), "Pod");
    claims =
        inform(
            client.persistentVolumeClaims().inAnyNamespace().runnableInformer(0),
            "PersistentVolumeClaim");
    volumes = inform(client.persistentVolumes().runnableInformer(0), "PersistentVolume");
    attachments =
        inform(client.storage().v1().volumeAttachments().runnableInformer(0), "VolumeAttachment");
    namespaces = inform(client.namespaces().runnableInformer(0), "Namespace");
    informers.forEach(informer -> informer.start().toCompletableFuture().join());
    // A watch that reconnects at once may never report an error; checking the informers' own
    // state (no API request) catches every outage longer than the period.
    watchCheck.scheduleAtFixedRate(this::checkWatches, 250, 250, TimeUnit.MILLISECONDS);
    LOG.infof("watching the cluster at %s", client.getMasterUrl());
  }

  void stop(@Observes ShutdownEvent shutdown) {
    watchCheck.shutdownNow();
    informers.forEach(SharedIndexInformer::stop);
  }

  private void checkWatches() {
    boolean down = informers.stream().anyMatch(informer -> !informer.isWatching());
    if (down) {
      if (!watchesDown) {
        LOG.warn("a watch of the API server is down; losses are only suspected until it holds");
      }
      watchTrouble = clock.instant();
    }
    watchesDown = down;
  }

  /** Whether a watch of the API server is down now: what the cache shows may be stale. */
  public boolean watchesDown() {
    checkWatches();
    return watchesDown;
  }

  /** Hears every change, on the informers' thread. */
  public void listen(Consumer<Change> listener) {
    listeners.add(listener);
  }

  /**
   * The last time a watch failed or was found not watching; null if never. A watch that is down now
   * counts as trouble now: what the cache shows may be stale.
   */
  public Instant watchTrouble() {
    checkWatches();
    return watchTrouble;
  }

  /** Every Node. */
  public List<NodeFacts> nodes() {
    return nodes.getStore().list().stream().map(Facts::node).toList();
  }

  /** Each node's Lease renew time, by node name. */
  public Map<String, Instant> leaseRenewals() {
    Map<String, Instant> renewals = new HashMap<>();
    Instant now = clock.instant();
    for (Lease lease : leases.getStore().list()) {
      Instant renewed = Facts.renewTime(lease);
      if (renewed != null) {
        // A kubelet whose clock runs ahead must not look fresher than now.
        renewals.put(lease.getMetadata().getName(), renewed.isAfter(now) ? now : renewed);
      }
    }
    return renewals;
  }

  /** Every pod. */
  public List<PodFacts> pods() {
    return pods.getStore().list().stream().map(Facts::pod).toList();
  }

  /** The pod, by namespace and name. */
  public java.util.Optional<Pod> pod(String namespace, String name) {
    return java.util.Optional.ofNullable(pods.getStore().getByKey(namespace + "/" + name));
  }

  /** The claim, by namespace and name. */
  public java.util.Optional<PersistentVolumeClaim> claim(String namespace, String name) {
    return java.util.Optional.ofNullable(claims.getStore().getByKey(namespace + "/" + name));
  }

  /** The PersistentVolume, by name. */
  public java.util.Optional<PersistentVolume> persistentVolume(String name) {
    return java.util.Optional.ofNullable(volumes.getStore().getByKey(name));
  }

  /** Every VolumeAttachment as stored. */
  public List<VolumeAttachment> volumeAttachments() {
    return attachments.getStore().list();
  }

  /** The inventory of the cluster as it is now. */
  public Inventory inventory() {
    Map<String, Map<String, String>> namespaceAnnotations = new HashMap<>();
    for (Namespace namespace : namespaces.getStore().list()) {
      namespaceAnnotations.put(
          namespace.getMetadata().getName(),
          namespace.getMetadata().getAnnotations() == null
              ? Map.of()
              : namespace.getMetadata().getAnnotations());
    }
    List<ClaimFacts> claimFacts = claims.getStore().list().stream().map(Facts::claim).toList();
    List<VolumeFacts> volumeFacts = volumes.getStore().list().stream().map(Facts::volume).toList();
    List<AttachmentFacts> attachmentFacts =
        attachments.getStore().list().stream().map(Facts::attachment).toList();
    return new Inventory(
        nodes(), pods(), claimFacts, volumeFacts, attachmentFacts, namespaceAnnotations);
  }

  private <T extends HasMetadata> SharedIndexInformer<T> inform(
      SharedIndexInformer<T> informer, String kind) {
    informer.exceptionHandler(
        (started, error) -> {
          watchTrouble = clock.instant();
          LOG.warnf("watch of %s failed (%s); it is retried", kind, error.toString());
          announce(new Change(kind, null));
          return true;
        });
    informer.addEventHandler(
        new ResourceEventHandler<T>() {
          @Override
          public void onAdd(T object) {
            announce(new Change(kind, null));
          }

          @Override
          public void onUpdate(T old, T current) {
            announce(new Change(kind, null));
          }

          @Override
          public void onDelete(T object, boolean finalStateUnknown) {
            announce(new Change(kind, object instanceof Node node ? Facts.node(node) : null));
          }
        });
    informers.add(informer);
    return informer;
  }

  private void announce(Change change) {
    listeners.forEach(listener -> listener.accept(change));
  }
}
