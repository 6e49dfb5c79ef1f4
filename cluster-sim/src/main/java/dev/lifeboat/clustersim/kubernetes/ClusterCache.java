package dev.lifeboat.clustersim.kubernetes;

import dev.lifeboat.clustersim.domain.Cluster;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;

/** Informers on every kind the simulated components read; a {@link Cluster} of their caches. */
final class ClusterCache implements AutoCloseable {

  private final SharedIndexInformer<Node> nodes;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<PersistentVolumeClaim> claims;
  private final SharedIndexInformer<PersistentVolume> volumes;
  private final SharedIndexInformer<VolumeAttachment> attachments;
  private final SharedIndexInformer<Lease> leases;
  private final SharedIndexInformer<StatefulSet> statefulSets;

  ClusterCache(KubernetesClient client) {
    nodes = client.nodes().inform();
    pods = client.pods().inAnyNamespace().inform();
    claims = client.persistentVolumeClaims().inAnyNamespace().inform();
    volumes = client.persistentVolumes().inform();
    attachments = client.storage().v1().volumeAttachments().inform();
    leases = client.resources(Lease.class).inAnyNamespace().inform();
    statefulSets = client.apps().statefulSets().inAnyNamespace().inform();
  }

  /** What the caches hold now. */
  Cluster snapshot() {
    return new Cluster(
        nodes.getStore().list(),
        pods.getStore().list(),
        claims.getStore().list(),
        volumes.getStore().list(),
        attachments.getStore().list(),
        leases.getStore().list(),
        statefulSets.getStore().list());
  }

  @Override
  public void close() {
    List.of(nodes, pods, claims, volumes, attachments, leases, statefulSets)
        .forEach(SharedIndexInformer::close);
  }
}
