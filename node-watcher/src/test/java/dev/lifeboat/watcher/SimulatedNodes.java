package dev.lifeboat.watcher;

import dev.lifeboat.watcher.domain.Detector;
import dev.lifeboat.watcher.domain.NodeFacts;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Nodes on the mock API server as kubelets keep them: each renews its Lease every 500 ms until the
 * test stops it. Tests tear their nodes down by excluding them first, so that removing them is not
 * a loss.
 */
final class SimulatedNodes implements AutoCloseable {

  private final KubernetesClient client;
  private final Set<String> renewing = ConcurrentHashMap.newKeySet();
  private final Set<String> created = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService kubelets = Executors.newSingleThreadScheduledExecutor();

  SimulatedNodes(KubernetesClient client) {
    this.client = client;
    kubelets.scheduleAtFixedRate(this::renew, 0, 500, TimeUnit.MILLISECONDS);
  }

  /** A Ready node with a Lease being renewed. */
  Node add(String name, long serverId, String location) {
    Node node =
        new NodeBuilder()
            .withNewMetadata()
            .withName(name)
            .withLabels(
                Map.of(NodeFacts.CSI_LOCATION_LABEL, location, NodeFacts.REGION_LABEL, location))
            .endMetadata()
            .withNewSpec()
            .withProviderID(serverId > 0 ? "hcloud://" + serverId : null)
            .endSpec()
            .withNewStatus()
            .withConditions(ready("True"))
            .endStatus()
            .build();
    Node stored = client.nodes().resource(node).create();
    created.add(name);
    client
        .resources(Lease.class)
        .inNamespace("kube-node-lease")
        .resource(
            new LeaseBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("kube-node-lease")
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity(name)
                .withLeaseDurationSeconds(40)
                .withRenewTime(now())
                .endSpec()
                .build())
        .create();
    renewing.add(name);
    return stored;
  }

  /** The kubelet stops renewing (the node hangs or dies); returns the last renew time. */
  Instant stopRenewing(String name) {
    renewing.remove(name);
    return client
        .resources(Lease.class)
        .inNamespace("kube-node-lease")
        .withName(name)
        .get()
        .getSpec()
        .getRenewTime()
        .toInstant();
  }

  /** The kubelet renews again. */
  void resumeRenewing(String name) {
    renewing.add(name);
  }

  /** Sets the node's Ready condition, as the node lifecycle controller would. */
  void setReady(String name, String status) {
    client
        .nodes()
        .withName(name)
        .editStatus(
            n -> {
              n.getStatus().setConditions(List.of(ready(status)));
              return n;
            });
  }

  /** Adds a taint, as the cloud controller manager would. */
  void taint(String name, String key, String effect) {
    client
        .nodes()
        .withName(name)
        .edit(
            n -> {
              n.getSpec()
                  .setTaints(
                      List.of(
                          new io.fabric8.kubernetes.api.model.TaintBuilder()
                              .withKey(key)
                              .withEffect(effect)
                              .build()));
              return n;
            });
  }

  /** Deletes the node. */
  void delete(String name) {
    renewing.remove(name);
    client.nodes().withName(name).delete();
    created.remove(name);
  }

  @Override
  public void close() {
    kubelets.shutdownNow();
    for (String name : created) {
      try {
        client
            .nodes()
            .withName(name)
            .edit(
                n -> {
                  n.getMetadata().getAnnotations();
                  if (n.getMetadata().getAnnotations() == null) {
                    n.getMetadata().setAnnotations(new java.util.HashMap<>());
                  }
                  n.getMetadata().getAnnotations().put("lifeboat.dev/exclude", "true");
                  n.getMetadata().getAnnotations().remove(Detector.DECLARED_ANNOTATION);
                  return n;
                });
        client.nodes().withName(name).delete();
        client.resources(Lease.class).inNamespace("kube-node-lease").withName(name).delete();
      } catch (RuntimeException e) {
        // already gone
      }
    }
  }

  private void renew() {
    for (String name : renewing) {
      try {
        client
            .resources(Lease.class)
            .inNamespace("kube-node-lease")
            .withName(name)
            .edit(
                lease -> {
                  lease.getSpec().setRenewTime(now());
                  return lease;
                });
      } catch (RuntimeException e) {
        // the node was deleted meanwhile
      }
    }
  }

  private static NodeCondition ready(String status) {
    return new NodeConditionBuilder()
        .withType("Ready")
        .withStatus(status)
        .withLastTransitionTime(Instant.now().toString())
        .withLastHeartbeatTime(Instant.now().toString())
        .build();
  }

  private static ZonedDateTime now() {
    return ZonedDateTime.now(ZoneOffset.UTC);
  }
}
