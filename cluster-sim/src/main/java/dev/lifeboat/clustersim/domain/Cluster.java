package dev.lifeboat.clustersim.domain;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the API server holds at one instant, with the lookups the simulated components need (a pod's
 * Hetzner volumes, a node's volume count, a node's Lease).
 */
public final class Cluster {

  private final Map<String, Node> nodes;
  private final List<Pod> pods;
  private final Map<String, PersistentVolumeClaim> claims;
  private final Map<String, PersistentVolume> volumes;
  private final List<VolumeAttachment> attachments;
  private final Map<String, Lease> leases;
  private final List<StatefulSet> statefulSets;

  public Cluster(
      List<Node> nodes,
      List<Pod> pods,
      List<PersistentVolumeClaim> claims,
      List<PersistentVolume> volumes,
      List<VolumeAttachment> attachments,
      List<Lease> leases,
      List<StatefulSet> statefulSets) {
    this.nodes = byKey(nodes, n -> n.getMetadata().getName());
    this.pods = List.copyOf(pods);
    this.claims =
        byKey(claims, c -> c.getMetadata().getNamespace() + "/" + c.getMetadata().getName());
    this.volumes = byKey(volumes, v -> v.getMetadata().getName());
    this.attachments = List.copyOf(attachments);
    this.leases =
        byKey(
            leases.stream()
                .filter(l -> K3s.NODE_LEASE_NAMESPACE.equals(l.getMetadata().getNamespace()))
                .toList(),
            l -> l.getMetadata().getName());
    this.statefulSets = List.copyOf(statefulSets);
  }

  public List<Node> nodes() {
    return List.copyOf(nodes.values());
  }

  public Optional<Node> node(String name) {
    return Optional.ofNullable(nodes.get(name));
  }

  public List<Pod> pods() {
    return pods;
  }

  public List<VolumeAttachment> attachments() {
    return attachments;
  }

  public List<StatefulSet> statefulSets() {
    return statefulSets;
  }

  public Optional<Lease> lease(String node) {
    return Optional.ofNullable(leases.get(node));
  }

  public Optional<PersistentVolume> volume(String name) {
    return Optional.ofNullable(volumes.get(name));
  }

  /** The pod of that name, if any. */
  public Optional<Pod> pod(String namespace, String name) {
    return pods.stream()
        .filter(
            p ->
                p.getMetadata().getNamespace().equals(namespace)
                    && p.getMetadata().getName().equals(name))
        .findFirst();
  }

  /** The pods bound to a node. */
  public List<Pod> podsOn(String node) {
    return pods.stream().filter(p -> node.equals(p.getSpec().getNodeName())).toList();
  }

  /**
   * The Hetzner PVs a pod's claims are bound to; empty when a claim is missing or unbound (then
   * {@link #unboundClaim} names it).
   */
  public List<PersistentVolume> hcloudVolumes(Pod pod) {
    List<PersistentVolume> found = new ArrayList<>();
    for (String claim : claimsOf(pod)) {
      PersistentVolumeClaim pvc = claims.get(pod.getMetadata().getNamespace() + "/" + claim);
      if (pvc == null || pvc.getSpec().getVolumeName() == null) {
        continue;
      }
      PersistentVolume pv = volumes.get(pvc.getSpec().getVolumeName());
      if (pv != null && isHcloud(pv)) {
        found.add(pv);
      }
    }
    return found;
  }

  /** A claim of the pod that does not exist or is not bound, if any. */
  public Optional<String> unboundClaim(Pod pod) {
    return claimsOf(pod).stream()
        .filter(
            claim -> {
              PersistentVolumeClaim pvc =
                  claims.get(pod.getMetadata().getNamespace() + "/" + claim);
              return pvc == null
                  || pvc.getSpec().getVolumeName() == null
                  || !volumes.containsKey(pvc.getSpec().getVolumeName());
            })
        .findFirst();
  }

  /** How many distinct Hetzner volumes the pods bound to a node use. */
  public int hcloudVolumesOn(String node) {
    Set<String> names = new HashSet<>();
    podsOn(node).forEach(p -> hcloudVolumes(p).forEach(v -> names.add(v.getMetadata().getName())));
    return names.size();
  }

  /** Whether a pod is being deleted. */
  public static boolean terminating(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }

  /** Whether the pod's Ready condition is True. */
  public static boolean ready(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Whether the node's Ready condition is True. */
  public static boolean ready(Node node) {
    return readyStatus(node).equals("True");
  }

  /** The node's Ready condition's status ({@code Unknown} when it has none). */
  public static String readyStatus(Node node) {
    return node.getStatus() == null || node.getStatus().getConditions() == null
        ? "Unknown"
        : node.getStatus().getConditions().stream()
            .filter(c -> "Ready".equals(c.getType()))
            .map(c -> c.getStatus())
            .findFirst()
            .orElse("Unknown");
  }

  /** The node's taints (never null). */
  public static List<Taint> taints(Node node) {
    return node.getSpec() == null || node.getSpec().getTaints() == null
        ? List.of()
        : node.getSpec().getTaints();
  }

  /** Whether the node carries a taint with that key. */
  public static boolean tainted(Node node, String key) {
    return taints(node).stream().anyMatch(t -> key.equals(t.getKey()));
  }

  /** The server id of the node, or 0. */
  public static long serverId(Node node) {
    return K3s.serverId(node.getSpec() == null ? null : node.getSpec().getProviderID());
  }

  /** The node's location label, if any. */
  public static Optional<String> location(Node node) {
    Map<String, String> labels = node.getMetadata().getLabels();
    return labels == null
        ? Optional.empty()
        : Optional.ofNullable(labels.get(K3s.CSI_LOCATION_LABEL));
  }

  /** The location a PV's node affinity requires, if any. */
  public static Optional<String> location(PersistentVolume pv) {
    if (pv.getSpec().getNodeAffinity() == null
        || pv.getSpec().getNodeAffinity().getRequired() == null) {
      return Optional.empty();
    }
    return pv.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms().stream()
        .flatMap(term -> term.getMatchExpressions().stream())
        .filter(e -> K3s.CSI_LOCATION_LABEL.equals(e.getKey()) && "In".equals(e.getOperator()))
        .flatMap(e -> e.getValues().stream())
        .findFirst();
  }

  /** The Hetzner volume id of an hcloud PV. */
  public static long volumeId(PersistentVolume pv) {
    return Long.parseLong(pv.getSpec().getCsi().getVolumeHandle());
  }

  /** When the node's Lease was last renewed, if it has one. */
  public Optional<Instant> renewedAt(String node) {
    return lease(node).map(l -> l.getSpec().getRenewTime()).map(time -> time.toInstant());
  }

  private static boolean isHcloud(PersistentVolume pv) {
    return pv.getSpec().getCsi() != null
        && K3s.CSI_DRIVER.equals(pv.getSpec().getCsi().getDriver());
  }

  private static List<String> claimsOf(Pod pod) {
    return pod.getSpec().getVolumes() == null
        ? List.of()
        : pod.getSpec().getVolumes().stream()
            .filter(v -> v.getPersistentVolumeClaim() != null)
            .map(v -> v.getPersistentVolumeClaim().getClaimName())
            .toList();
  }

  private static <T> Map<String, T> byKey(List<T> items, Function<T, String> key) {
    return items.stream()
        .collect(Collectors.toMap(key, Function.identity(), (a, b) -> b, java.util.TreeMap::new));
  }
}
