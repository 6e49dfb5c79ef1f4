package dev.lifeboat.clustersim.kubernetes;

import dev.lifeboat.clustersim.domain.Cluster;
import dev.lifeboat.clustersim.domain.K3s;
import dev.lifeboat.clustersim.domain.World;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The kubelet of every server that runs and answers: it registers its Node, renews its Lease every
 * lease interval, keeps its Node Ready, finishes the deletion of its terminating pods, and reports
 * a pod Ready only once every Hetzner volume of the pod is attached to this server. A server that
 * is off, hung or deleted has no kubelet: its Node and pods stay as they were.
 */
final class Kubelets {

  private final KubernetesClient client;
  private final Duration leaseInterval;

  Kubelets(KubernetesClient client, Duration leaseInterval) {
    this.client = client;
    this.leaseInterval = leaseInterval;
  }

  void reconcile(Cluster cluster, World world, Instant now) {
    for (World.Server server : world.servers().values()) {
      if (!server.alive() || !server.joined()) {
        continue;
      }
      Node node = cluster.node(server.name()).orElse(null);
      if (node == null) {
        // A kubelet whose Node was deleted registers it again.
        Node registered = ClusterObjects.node(server, now);
        Writes.create(client, registered, registered.getStatus(), Node::setStatus);
        continue;
      }
      renewLease(cluster, server.name(), now);
      if (!Cluster.ready(node)) {
        Writes.setReady(client, server.name(), "True", now);
      }
      // Unmounted first: a terminating pod's volumes leave volumesInUse before the pod goes.
      reportVolumesInUse(cluster, world, server, node);
      for (Pod pod : cluster.podsOn(server.name())) {
        syncPod(cluster, world, server, pod, now);
      }
    }
  }

  /**
   * {@code status.volumesInUse}: the Hetzner volumes mounted for the node's pods that run (each
   * attached to this server), as {@code kubernetes.io/csi/csi.hetzner.cloud^<id>}; the
   * attach-detach controller, and Lifeboat's removal, detach a volume only once it left the list.
   */
  private void reportVolumesInUse(Cluster cluster, World world, World.Server server, Node node) {
    TreeSet<String> inUse = new TreeSet<>();
    for (Pod pod : cluster.podsOn(server.name())) {
      if (Cluster.terminating(pod)) {
        continue;
      }
      for (PersistentVolume pv : cluster.hcloudVolumes(pod)) {
        long volume = Cluster.volumeId(pv);
        if (world.attached(volume, server.id())) {
          inUse.add(K3s.VOLUME_IN_USE_PREFIX + volume);
        }
      }
    }
    List<String> reported =
        node.getStatus() == null || node.getStatus().getVolumesInUse() == null
            ? List.of()
            : node.getStatus().getVolumesInUse();
    if (new TreeSet<>(reported).equals(inUse)) {
      return;
    }
    client
        .nodes()
        .withName(server.name())
        .editStatus(
            n -> {
              n.getStatus().setVolumesInUse(new ArrayList<>(inUse));
              return n;
            });
  }

  private void renewLease(Cluster cluster, String node, Instant now) {
    Instant renewed = cluster.renewedAt(node).orElse(null);
    if (renewed == null) {
      Writes.create(client, ClusterObjects.lease(node, now));
    } else if (!renewed.plus(leaseInterval).isAfter(now)) {
      client
          .resources(Lease.class)
          .inNamespace(K3s.NODE_LEASE_NAMESPACE)
          .withName(node)
          .edit(
              lease -> {
                lease.getSpec().setRenewTime(ZonedDateTime.ofInstant(now, ZoneOffset.UTC));
                return lease;
              });
    }
  }

  private void syncPod(Cluster cluster, World world, World.Server server, Pod pod, Instant now) {
    if (Cluster.terminating(pod)) {
      // The kubelet stopped the containers and unmounted the volumes (volumesInUse was written
      // before this); the pod object goes.
      List<String> finalizers = pod.getMetadata().getFinalizers();
      if (finalizers != null && finalizers.contains(K3s.TERMINATION_FINALIZER)) {
        client
            .pods()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName())
            .edit(
                p -> {
                  p.getMetadata().getFinalizers().remove(K3s.TERMINATION_FINALIZER);
                  return p;
                });
      } else {
        client.pods().resource(pod).withGracePeriod(0).delete();
      }
      return;
    }
    boolean ready =
        cluster.unboundClaim(pod).isEmpty()
            && cluster.hcloudVolumes(pod).stream()
                .allMatch(pv -> world.attached(Cluster.volumeId(pv), server.id()));
    if (Cluster.ready(pod) == ready
        && pod.getStatus() != null
        && pod.getStatus().getStartTime() != null) {
      return;
    }
    client
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .editStatus(
            p -> {
              p.setStatus(ClusterObjects.runningStatus(p, ready, now));
              return p;
            });
  }
}
