package dev.lifeboat.clustersim.kubernetes;

import dev.lifeboat.clustersim.domain.Cluster;
import dev.lifeboat.clustersim.domain.Scheduling;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduler: binds each pending pod to the node {@link Scheduling} chooses, or marks it
 * Unschedulable with the reason.
 */
final class Scheduler {

  private final KubernetesClient client;

  Scheduler(KubernetesClient client) {
    this.client = client;
  }

  /** One pass; returns the pods it bound ({@code namespace/name}) with their node. */
  Map<String, String> reconcile(Cluster cluster, Instant now) {
    Map<String, String> bound = new HashMap<>();
    Map<String, Integer> promised = new HashMap<>();
    for (Pod pod : cluster.pods()) {
      if (pod.getSpec().getNodeName() != null || Cluster.terminating(pod)) {
        continue;
      }
      Scheduling.Decision decision = Scheduling.place(pod, cluster, promised);
      String namespace = pod.getMetadata().getNamespace();
      String name = pod.getMetadata().getName();
      if (decision.node().isPresent()) {
        String node = decision.node().get();
        promised.merge(node, cluster.hcloudVolumes(pod).size(), Integer::sum);
        client
            .pods()
            .inNamespace(namespace)
            .withName(name)
            .edit(
                p -> {
                  if (p.getSpec().getNodeName() == null) {
                    p.getSpec().setNodeName(node);
                  }
                  return p;
                });
        setScheduled(namespace, name, "True", null, null, now);
        bound.put(namespace + "/" + name, node);
      } else if (!unschedulableFor(pod, decision.reason())) {
        setScheduled(namespace, name, "False", "Unschedulable", decision.reason(), now);
      }
    }
    return bound;
  }

  private void setScheduled(
      String namespace, String name, String status, String reason, String message, Instant now) {
    client
        .pods()
        .inNamespace(namespace)
        .withName(name)
        .editStatus(
            p -> {
              PodStatus podStatus = p.getStatus() == null ? new PodStatus() : p.getStatus();
              List<PodCondition> conditions = new ArrayList<>();
              if (podStatus.getConditions() != null) {
                podStatus.getConditions().stream()
                    .filter(c -> !"PodScheduled".equals(c.getType()))
                    .forEach(conditions::add);
              }
              PodCondition scheduled =
                  ClusterObjects.condition("PodScheduled", status, reason, now.toString());
              scheduled.setMessage(message);
              conditions.add(scheduled);
              podStatus.setConditions(conditions);
              podStatus.setPhase("Pending");
              p.setStatus(podStatus);
              return p;
            });
  }

  private static boolean unschedulableFor(Pod pod, String reason) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(
                c ->
                    "PodScheduled".equals(c.getType())
                        && "False".equals(c.getStatus())
                        && reason.equals(c.getMessage()));
  }
}
