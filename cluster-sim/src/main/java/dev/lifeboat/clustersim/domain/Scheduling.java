package dev.lifeboat.clustersim.domain;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where the scheduler binds a pending pod: a Ready, schedulable node without a NoSchedule or
 * NoExecute taint, in the location its volumes' node affinity requires, that stays within the
 * 16-volume limit of a Hetzner server; the emptiest first, then by name.
 */
public final class Scheduling {

  /** The node chosen, or why there is none (the Unschedulable message). */
  public record Decision(Optional<String> node, String reason) {}

  private Scheduling() {}

  /** The decision for one pod. */
  public static Decision place(Pod pod, Cluster cluster) {
    return place(pod, cluster, Map.of());
  }

  /**
   * The decision for one pod, counting volumes already promised to nodes by bindings the cluster
   * does not show yet.
   */
  public static Decision place(Pod pod, Cluster cluster, Map<String, Integer> promised) {
    Optional<String> unbound = cluster.unboundClaim(pod);
    if (unbound.isPresent()) {
      return new Decision(
          Optional.empty(),
          "pod has unbound immediate PersistentVolumeClaims (" + unbound.get() + ")");
    }
    List<PersistentVolume> volumes = cluster.hcloudVolumes(pod);
    Set<String> locations =
        volumes.stream()
            .map(Cluster::location)
            .flatMap(Optional::stream)
            .collect(Collectors.toSet());
    if (locations.size() > 1) {
      return new Decision(Optional.empty(), "volumes in different locations: " + locations);
    }
    List<Node> all = cluster.nodes();
    Optional<Node> chosen =
        all.stream()
            .filter(Cluster::ready)
            .filter(
                n -> n.getSpec() == null || !Boolean.TRUE.equals(n.getSpec().getUnschedulable()))
            .filter(
                n ->
                    Cluster.taints(n).stream()
                        .noneMatch(
                            t ->
                                "NoSchedule".equals(t.getEffect())
                                    || "NoExecute".equals(t.getEffect())))
            .filter(
                n -> locations.isEmpty() || locations.contains(Cluster.location(n).orElse(null)))
            .filter(
                n -> volumesOn(cluster, promised, n) + volumes.size() <= K3s.MAX_VOLUMES_PER_NODE)
            .min(
                Comparator.comparingInt((Node n) -> volumesOn(cluster, promised, n))
                    .thenComparing(n -> n.getMetadata().getName()));
    return chosen
        .map(n -> new Decision(Optional.of(n.getMetadata().getName()), "bound"))
        .orElseGet(
            () ->
                new Decision(
                    Optional.empty(),
                    "0/"
                        + all.size()
                        + " nodes are available: none is Ready, untainted, in "
                        + (locations.isEmpty() ? "any location" : locations.iterator().next())
                        + " and below "
                        + K3s.MAX_VOLUMES_PER_NODE
                        + " Hetzner volumes"));
  }

  private static int volumesOn(Cluster cluster, Map<String, Integer> promised, Node node) {
    String name = node.getMetadata().getName();
    return cluster.hcloudVolumesOn(name) + promised.getOrDefault(name, 0);
  }
}
