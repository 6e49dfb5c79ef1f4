package dev.lifeboat.clustersim.kubernetes;

import dev.lifeboat.clustersim.domain.Cluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The StatefulSet controller: every ordinal of a set has its pod; a deleted pod is created again
 * under the same name with the same claim (it is never moved while the old one still exists).
 */
final class StatefulSetController {

  private final KubernetesClient client;

  StatefulSetController(KubernetesClient client) {
    this.client = client;
  }

  void reconcile(Cluster cluster) {
    for (StatefulSet set : cluster.statefulSets()) {
      int replicas = set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
      for (int ordinal = 0; ordinal < replicas; ordinal++) {
        String name = set.getMetadata().getName() + "-" + ordinal;
        if (cluster.pod(set.getMetadata().getNamespace(), name).isEmpty()) {
          Pod pod = ClusterObjects.pod(set, ordinal);
          Writes.create(client, pod, pod.getStatus(), Pod::setStatus);
        }
      }
    }
  }
}
