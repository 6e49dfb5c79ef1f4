package dev.lifeboat.clustersim.domain;

/**
 * Names of a hetzner-k3s cluster that the simulated components share: labels, taints, the CSI
 * driver, the namespace of the node Leases.
 */
public final class K3s {

  /** The hcloud CSI driver (PV {@code spec.csi.driver}, VolumeAttachment attacher). */
  public static final String CSI_DRIVER = "csi.hetzner.cloud";

  /** Node label with the location, also the key of a volume's PV node affinity. */
  public static final String CSI_LOCATION_LABEL = "csi.hetzner.cloud/location";

  /** Node label with the region (the location on Hetzner). */
  public static final String REGION_LABEL = "topology.kubernetes.io/region";

  /** Namespace of the kubelets' Leases. */
  public static final String NODE_LEASE_NAMESPACE = "kube-node-lease";

  /** Node lifecycle controller's taint of a silent node. */
  public static final String UNREACHABLE_TAINT = "node.kubernetes.io/unreachable";

  /** Cloud controller manager's taint of a node whose server is off. */
  public static final String SHUTDOWN_TAINT = "node.cloudprovider.kubernetes.io/shutdown";

  /** hetzner-k3s's taint of control-plane nodes (workloads go to workers). */
  public static final String CRITICAL_ADDONS_TAINT = "CriticalAddonsOnly";

  /**
   * The simulated kubelet's finalizer on a pod it is stopping (evicted): the pod stays, marked for
   * deletion, until its volumes are unmounted; then the kubelet takes it off and the pod is gone.
   */
  public static final String TERMINATION_FINALIZER = "lifeboat.dev/sim-kubelet-termination";

  /** How the kubelet names a mounted volume of the hcloud CSI driver in volumesInUse. */
  public static final String VOLUME_IN_USE_PREFIX = "kubernetes.io/csi/csi.hetzner.cloud^";

  /** The finalizer the external-attacher puts on VolumeAttachments. */
  public static final String ATTACHER_FINALIZER = "external-attacher/csi-hetzner-cloud";

  /** Name of the volume claim template of the seeded StatefulSets. */
  public static final String CLAIM_TEMPLATE = "data";

  /**
   * The most Hetzner volumes one server takes (the API's limit; the CSI driver reports it as the
   * node's allocatable count).
   */
  public static final int MAX_VOLUMES_PER_NODE = 16;

  private K3s() {}

  /** The {@code spec.providerID} of a server's node. */
  public static String providerId(long serverId) {
    return "hcloud://" + serverId;
  }

  /** The server id of a node's {@code spec.providerID}, or 0. */
  public static long serverId(String providerId) {
    if (providerId == null || !providerId.startsWith("hcloud://")) {
      return 0;
    }
    try {
      return Long.parseLong(providerId.substring("hcloud://".length()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
