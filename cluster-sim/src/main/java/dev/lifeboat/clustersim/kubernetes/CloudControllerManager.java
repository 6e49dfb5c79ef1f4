package dev.lifeboat.clustersim.kubernetes;

import dev.lifeboat.clustersim.domain.Cluster;
import dev.lifeboat.clustersim.domain.K3s;
import dev.lifeboat.clustersim.hcloud.HcloudSim;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The hcloud cloud controller manager's node lifecycle part: every interval it asks the Hetzner API
 * about its servers; a not-Ready node whose server no longer exists is deleted, one whose server is
 * {@code off} gets the shutdown taint, which goes when the server runs again.
 */
final class CloudControllerManager {

  private static final Logger LOG = Logger.getLogger(CloudControllerManager.class);

  private final KubernetesClient client;
  private final HcloudSim hcloud;
  private final Duration interval;
  private Instant next = Instant.MIN;

  CloudControllerManager(KubernetesClient client, HcloudSim hcloud, Duration interval) {
    this.client = client;
    this.hcloud = hcloud;
    this.interval = interval;
  }

  void reconcile(Cluster cluster, Instant now) throws IOException, InterruptedException {
    if (now.isBefore(next)) {
      return;
    }
    next = now.plus(interval);
    Map<Long, String> statuses = hcloud.serverStatuses();
    for (Node node : cluster.nodes()) {
      String name = node.getMetadata().getName();
      long serverId = Cluster.serverId(node);
      if (serverId == 0) {
        continue;
      }
      String status = statuses.get(serverId);
      boolean shutdownTaint = Cluster.tainted(node, K3s.SHUTDOWN_TAINT);
      if (!Cluster.ready(node) && status == null) {
        LOG.infof("server %d of node %s no longer exists: deleting the node", serverId, name);
        client.nodes().withName(name).delete();
        client.resources(Lease.class).inNamespace(K3s.NODE_LEASE_NAMESPACE).withName(name).delete();
      } else if (!Cluster.ready(node) && "off".equals(status) && !shutdownTaint) {
        Writes.editTaints(client, name, taints -> taints.add(shutdown(now)));
      } else if (shutdownTaint && status != null && !"off".equals(status)) {
        Writes.editTaints(
            client, name, taints -> taints.removeIf(t -> K3s.SHUTDOWN_TAINT.equals(t.getKey())));
      }
    }
  }

  private static Taint shutdown(Instant now) {
    return new TaintBuilder()
        .withKey(K3s.SHUTDOWN_TAINT)
        .withEffect("NoSchedule")
        .withTimeAdded(now.toString())
        .build();
  }
}
