package dev.lifeboat.clustersim.kubernetes;

import dev.lifeboat.clustersim.domain.Cluster;
import dev.lifeboat.clustersim.domain.K3s;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;

/**
 * The node lifecycle controller: a node whose Lease was not renewed within the grace period
 * (node-monitor-grace-period, 50 s) gets Ready=Unknown and the {@code
 * node.kubernetes.io/unreachable} NoSchedule and NoExecute taints; the taints go when the node is
 * Ready again.
 */
final class NodeLifecycle {

  private final KubernetesClient client;
  private final Duration grace;

  NodeLifecycle(KubernetesClient client, Duration grace) {
    this.client = client;
    this.grace = grace;
  }

  void reconcile(Cluster cluster, Instant now) {
    for (Node node : cluster.nodes()) {
      String name = node.getMetadata().getName();
      boolean silent =
          cluster.renewedAt(name).map(renewed -> renewed.plus(grace).isBefore(now)).orElse(true);
      boolean tainted = Cluster.tainted(node, K3s.UNREACHABLE_TAINT);
      if (silent) {
        if (!"Unknown".equals(Cluster.readyStatus(node))) {
          Writes.setReady(client, name, "Unknown", now);
        }
        if (!tainted) {
          Writes.editTaints(
              client,
              name,
              taints -> {
                taints.add(unreachable("NoSchedule", now));
                taints.add(unreachable("NoExecute", now));
              });
        }
      } else if (tainted && Cluster.ready(node)) {
        Writes.editTaints(
            client, name, taints -> taints.removeIf(t -> K3s.UNREACHABLE_TAINT.equals(t.getKey())));
      }
    }
  }

  private static Taint unreachable(String effect, Instant now) {
    return new TaintBuilder()
        .withKey(K3s.UNREACHABLE_TAINT)
        .withEffect(effect)
        .withTimeAdded(now.toString())
        .build();
  }
}
