package dev.lifeboat.watcher.domain;

import dev.lifeboat.events.node.NodeRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the watcher knows of one Node, taken from the API object.
 *
 * @param name the Node's name
 * @param uid its UID
 * @param providerId {@code spec.providerID}, such as {@code hcloud://4202}; null when unset
 * @param labels its labels
 * @param annotations its annotations
 * @param ready the status of its Ready condition ({@code True}, {@code False}, {@code Unknown});
 *     null when the condition is missing
 * @param readySince when the Ready condition last changed
 * @param unschedulable {@code spec.unschedulable}
 * @param taints its taints
 */
public record NodeFacts(
    String name,
    String uid,
    String providerId,
    Map<String, String> labels,
    Map<String, String> annotations,
    String ready,
    Instant readySince,
    boolean unschedulable,
    List<Taint> taints) {

  /** The cloud controller manager's taint on a node whose server is shut down. */
  public static final String SHUTDOWN_TAINT = "node.cloudprovider.kubernetes.io/shutdown";

  /** The taint that lets Kubernetes release a fenced node's pods and volumes. */
  public static final String OUT_OF_SERVICE_TAINT = "node.kubernetes.io/out-of-service";

  /** Label of the node's Hetzner location, set by the hcloud CSI driver. */
  public static final String CSI_LOCATION_LABEL = "csi.hetzner.cloud/location";

  /** Label of the node's region (the Hetzner location), set by the cloud controller manager. */
  public static final String REGION_LABEL = "topology.kubernetes.io/region";

  /**
   * A taint.
   *
   * @param key its key
   * @param effect {@code NoSchedule}, {@code PreferNoSchedule} or {@code NoExecute}
   */
  public record Taint(String key, String effect) {}

  public NodeFacts {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    taints = List.copyOf(taints);
  }

  /** The Hetzner server id from {@code hcloud://<id>}; empty for any other or no providerID. */
  public Optional<Long> serverId() {
    if (providerId == null || !providerId.startsWith("hcloud://")) {
      return Optional.empty();
    }
    try {
      long id = Long.parseLong(providerId.substring("hcloud://".length()));
      return id > 0 ? Optional.of(id) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The node's Hetzner location, from the CSI label or the region label; empty if neither. */
  public Optional<String> location() {
    return Optional.ofNullable(labels.get(CSI_LOCATION_LABEL))
        .or(() -> Optional.ofNullable(labels.get(REGION_LABEL)));
  }

  /** The node as messages name it; server 0 and location {@code unknown} when unknown. */
  public NodeRef ref() {
    return new NodeRef(name, uid, serverId().orElse(0L), location().orElse("unknown"));
  }

  /** True when the node carries a taint with this key. */
  public boolean tainted(String key) {
    return taints.stream().anyMatch(taint -> taint.key().equals(key));
  }

  /** True when Ready is True. */
  public boolean isReady() {
    return "True".equals(ready);
  }

  /** True when nothing keeps a new pod off the node: Ready, schedulable, no hard taint. */
  public boolean takesPods() {
    return isReady()
        && !unschedulable
        && taints.stream()
            .noneMatch(t -> t.effect().equals("NoSchedule") || t.effect().equals("NoExecute"));
  }
}
