package dev.lifeboat.clustersim.kubernetes;

import dev.lifeboat.clustersim.domain.K3s;
import dev.lifeboat.clustersim.domain.World;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachment;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachmentBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cluster a hetzner-k3s project holds, derived from its servers and volumes: a Node per server
 * (control-plane nodes for servers labelled {@code role=master}), a PV per volume (node affinity to
 * its location), and for the attached volumes StatefulSets whose pods run on the volume's server
 * with a claim bound to it. A volume {@code pvc-postgres-0} labelled {@code app=postgres} becomes
 * claim {@code data-postgres-0} of pod {@code postgres-0} of StatefulSet {@code postgres}.
 */
public final class ClusterObjects {

  private static final Pattern ORDINAL = Pattern.compile("-(\\d+)$");

  /** Where a seeded pod runs. */
  public record Placement(String statefulSet, int ordinal, String node, long volumeId) {}

  /** Every object to create, in order, and where each seeded pod runs. */
  public record Plan(
      List<Namespace> namespaces,
      List<Node> nodes,
      List<Lease> leases,
      List<PersistentVolume> volumes,
      List<PersistentVolumeClaim> claims,
      List<StatefulSet> statefulSets,
      List<Placement> placements) {}

  private ClusterObjects() {}

  /** The cluster of this world, workloads in the namespace. */
  public static Plan of(World world, String namespace, Instant now) {
    List<Node> nodes = new ArrayList<>();
    List<Lease> leases = new ArrayList<>();
    world.servers().values().stream()
        .filter(World.Server::joined)
        .sorted(Comparator.comparing(World.Server::name))
        .forEach(
            server -> {
              nodes.add(node(server, now));
              leases.add(lease(server.name(), now));
            });
    // StatefulSet name -> volumes, in name order, for the attached volumes.
    Map<String, List<World.Volume>> groups = new TreeMap<>();
    List<PersistentVolume> volumes = new ArrayList<>();
    world.volumes().values().stream()
        .sorted(Comparator.comparing(World.Volume::name))
        .forEach(
            volume -> {
              if (volume.serverId().isPresent()
                  && world.servers().containsKey(volume.serverId().get())) {
                groups.computeIfAbsent(workloadOf(volume), w -> new ArrayList<>()).add(volume);
              } else {
                volumes.add(persistentVolume(volume, null, null));
              }
            });
    List<PersistentVolumeClaim> claims = new ArrayList<>();
    List<StatefulSet> statefulSets = new ArrayList<>();
    List<Placement> placements = new ArrayList<>();
    groups.forEach(
        (workload, members) -> {
          // Ordinal order: by the number the volume's name ends with, then by name.
          members.sort(
              Comparator.comparingLong(ClusterObjects::ordinalOf)
                  .thenComparing(World.Volume::name));
          statefulSets.add(statefulSet(namespace, workload, members.size()));
          for (int ordinal = 0; ordinal < members.size(); ordinal++) {
            World.Volume volume = members.get(ordinal);
            String claim = claimName(workload, ordinal);
            volumes.add(persistentVolume(volume, namespace, claim));
            claims.add(claim(namespace, claim, volume));
            placements.add(
                new Placement(
                    workload,
                    ordinal,
                    world.servers().get(volume.serverId().get()).name(),
                    volume.id()));
          }
        });
    List<Namespace> namespaces =
        List.of(namespace, K3s.NODE_LEASE_NAMESPACE, "kube-system", "lifeboat").stream()
            .distinct()
            .map(
                name ->
                    new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
            .toList();
    return new Plan(namespaces, nodes, leases, volumes, claims, statefulSets, placements);
  }

  /** The server label that registers its Node cordoned, as a node pool being scaled down is. */
  public static final String CORDONED_LABEL = "cordoned";

  private static boolean cordoned(World.Server server) {
    return "true".equals(server.labels().get(CORDONED_LABEL));
  }

  /** The Node of a server, as the kubelet registers it and the CCM labels it. */
  public static Node node(World.Server server, Instant now) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("kubernetes.io/hostname", server.name());
    labels.put("kubernetes.io/os", "linux");
    labels.put("node.kubernetes.io/instance-type", server.serverType());
    labels.put(K3s.REGION_LABEL, server.location());
    labels.put(K3s.CSI_LOCATION_LABEL, server.location());
    labels.put("instance.hetzner.cloud/provided-by", "cloud");
    List<Taint> taints = new ArrayList<>();
    if (server.master()) {
      labels.put("node-role.kubernetes.io/control-plane", "true");
      labels.put("node-role.kubernetes.io/master", "true");
      taints.add(
          new TaintBuilder()
              .withKey(K3s.CRITICAL_ADDONS_TAINT)
              .withValue("true")
              .withEffect("NoExecute")
              .build());
    }
    if (server.labels().containsKey("pool")) {
      labels.put("lifeboat.dev/pool", server.labels().get("pool"));
    }
    return new NodeBuilder()
        .withNewMetadata()
        .withName(server.name())
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withProviderID(K3s.providerId(server.id()))
        .withTaints(taints)
        .withUnschedulable(cordoned(server) ? Boolean.TRUE : null)
        .endSpec()
        .withNewStatus()
        .withConditions(ready(server.alive() ? "True" : "Unknown", now))
        .addToCapacity("cpu", new Quantity("4"))
        .addToCapacity("memory", new Quantity("8Gi"))
        .addToCapacity("pods", new Quantity("110"))
        .addToAllocatable("cpu", new Quantity("4"))
        .addToAllocatable("memory", new Quantity("8Gi"))
        .addToAllocatable("pods", new Quantity("110"))
        .withNewNodeInfo()
        .withKubeletVersion("v1.31.4+k3s1")
        .withContainerRuntimeVersion("containerd://1.7.23-k3s2")
        .withOperatingSystem("linux")
        .withArchitecture("amd64")
        .withOsImage("Ubuntu 24.04.1 LTS")
        .endNodeInfo()
        .endStatus()
        .build();
  }

  /** A node's Ready condition. */
  public static NodeCondition ready(String status, Instant now) {
    String time = now.toString();
    return new NodeConditionBuilder()
        .withType("Ready")
        .withStatus(status)
        .withReason("True".equals(status) ? "KubeletReady" : "NodeStatusUnknown")
        .withMessage(
            "True".equals(status)
                ? "kubelet is posting ready status"
                : "Kubelet stopped posting node status.")
        .withLastHeartbeatTime(time)
        .withLastTransitionTime(time)
        .build();
  }

  /** A node's Lease in {@code kube-node-lease}, renewed now. */
  public static Lease lease(String node, Instant now) {
    return new LeaseBuilder()
        .withNewMetadata()
        .withName(node)
        .withNamespace(K3s.NODE_LEASE_NAMESPACE)
        .endMetadata()
        .withNewSpec()
        .withHolderIdentity(node)
        .withLeaseDurationSeconds(40)
        .withRenewTime(ZonedDateTime.ofInstant(now, ZoneOffset.UTC))
        .endSpec()
        .build();
  }

  /** The claim of a StatefulSet's pod. */
  public static String claimName(String statefulSet, int ordinal) {
    return K3s.CLAIM_TEMPLATE + "-" + statefulSet + "-" + ordinal;
  }

  /**
   * The pod the StatefulSet controller creates for an ordinal: not scheduled yet, owned by the set,
   * with the ordinal's claim.
   */
  public static Pod pod(StatefulSet set, int ordinal) {
    String name = set.getMetadata().getName();
    String podName = name + "-" + ordinal;
    return new PodBuilder()
        .withNewMetadata()
        .withName(podName)
        .withNamespace(set.getMetadata().getNamespace())
        .withLabels(
            Map.of(
                "app", name,
                "statefulset.kubernetes.io/pod-name", podName,
                "apps.kubernetes.io/pod-index", Integer.toString(ordinal)))
        .addNewOwnerReference()
        .withApiVersion("apps/v1")
        .withKind("StatefulSet")
        .withName(name)
        .withUid(set.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .endOwnerReference()
        .endMetadata()
        .withNewSpec()
        .withHostname(podName)
        .withContainers(
            new ContainerBuilder()
                .withName("app")
                .withImage("docker.io/library/" + name + ":latest")
                .addNewVolumeMount()
                .withName(K3s.CLAIM_TEMPLATE)
                .withMountPath("/data")
                .endVolumeMount()
                .build())
        .addNewVolume()
        .withName(K3s.CLAIM_TEMPLATE)
        .withNewPersistentVolumeClaim()
        .withClaimName(claimName(name, ordinal))
        .endPersistentVolumeClaim()
        .endVolume()
        .endSpec()
        .withNewStatus()
        .withPhase("Pending")
        .endStatus()
        .build();
  }

  /**
   * A pod's status as its kubelet reports it: Running, Ready only when every volume is attached.
   */
  public static PodStatus runningStatus(Pod pod, boolean ready, Instant now) {
    String time = now.toString();
    List<PodCondition> conditions = new ArrayList<>();
    conditions.add(condition("PodScheduled", "True", null, time));
    conditions.add(condition("Initialized", "True", null, time));
    conditions.add(condition("ContainersReady", ready ? "True" : "False", null, time));
    conditions.add(
        condition("Ready", ready ? "True" : "False", ready ? null : "ContainersNotReady", time));
    ContainerStatus container =
        ready
            ? new ContainerStatusBuilder()
                .withName("app")
                .withImage(pod.getSpec().getContainers().get(0).getImage())
                .withReady(true)
                .withStarted(true)
                .withRestartCount(0)
                .withNewState()
                .withNewRunning()
                .withStartedAt(time)
                .endRunning()
                .endState()
                .build()
            : new ContainerStatusBuilder()
                .withName("app")
                .withImage(pod.getSpec().getContainers().get(0).getImage())
                .withReady(false)
                .withStarted(false)
                .withRestartCount(0)
                .withNewState()
                .withNewWaiting()
                .withReason("ContainerCreating")
                .withMessage("waiting for the volume to be attached")
                .endWaiting()
                .endState()
                .build();
    return new PodStatusBuilder()
        .withPhase(ready ? "Running" : "Pending")
        .withConditions(conditions)
        .withContainerStatuses(container)
        .withStartTime(time)
        .build();
  }

  /** A pod condition. */
  public static PodCondition condition(String type, String status, String reason, String time) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withLastTransitionTime(time)
        .build();
  }

  /**
   * The VolumeAttachment of a PV on a node, named as Kubernetes names it: {@code csi-} and the
   * SHA-256 of volume handle, attacher and node.
   */
  public static VolumeAttachment attachment(
      PersistentVolume volume, String node, boolean attached) {
    String handle = volume.getSpec().getCsi().getVolumeHandle();
    return new VolumeAttachmentBuilder()
        .withNewMetadata()
        .withName("csi-" + sha256(handle + K3s.CSI_DRIVER + node))
        .withFinalizers(K3s.ATTACHER_FINALIZER)
        .endMetadata()
        .withNewSpec()
        .withAttacher(K3s.CSI_DRIVER)
        .withNodeName(node)
        .withNewSource()
        .withPersistentVolumeName(volume.getMetadata().getName())
        .endSource()
        .endSpec()
        .withNewStatus()
        .withAttached(attached)
        .endStatus()
        .build();
  }

  private static StatefulSet statefulSet(String namespace, String name, int replicas) {
    return new StatefulSetBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(Map.of("app", name))
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withServiceName(name)
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(Map.of("app", name))
        .endMetadata()
        .withNewSpec()
        .withContainers(
            new ContainerBuilder()
                .withName("app")
                .withImage("docker.io/library/" + name + ":latest")
                .build())
        .endSpec()
        .endTemplate()
        .addNewVolumeClaimTemplate()
        .withNewMetadata()
        .withName(K3s.CLAIM_TEMPLATE)
        .endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withStorageClassName("hcloud-volumes")
        .endSpec()
        .endVolumeClaimTemplate()
        .endSpec()
        .build();
  }

  private static PersistentVolume persistentVolume(
      World.Volume volume, String namespace, String claim) {
    PersistentVolumeBuilder builder =
        new PersistentVolumeBuilder()
            .withNewMetadata()
            .withName(volume.name())
            .addToAnnotations("pv.kubernetes.io/provisioned-by", K3s.CSI_DRIVER)
            .endMetadata()
            .withNewSpec()
            .withAccessModes("ReadWriteOnce")
            .addToCapacity("storage", new Quantity(volume.size() + "Gi"))
            .withStorageClassName("hcloud-volumes")
            .withPersistentVolumeReclaimPolicy("Delete")
            .withNewCsi()
            .withDriver(K3s.CSI_DRIVER)
            .withVolumeHandle(Long.toString(volume.id()))
            .withFsType(volume.format() == null ? "ext4" : volume.format())
            .endCsi()
            .withNewNodeAffinity()
            .withNewRequired()
            .addNewNodeSelectorTerm()
            .addNewMatchExpression()
            .withKey(K3s.CSI_LOCATION_LABEL)
            .withOperator("In")
            .withValues(volume.location())
            .endMatchExpression()
            .endNodeSelectorTerm()
            .endRequired()
            .endNodeAffinity()
            .endSpec();
    if (claim != null) {
      builder
          .editSpec()
          .withNewClaimRef()
          .withNamespace(namespace)
          .withName(claim)
          .endClaimRef()
          .endSpec();
    }
    return builder
        .withNewStatus()
        .withPhase(claim == null ? "Available" : "Bound")
        .endStatus()
        .build();
  }

  private static PersistentVolumeClaim claim(String namespace, String name, World.Volume volume) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withStorageClassName("hcloud-volumes")
        .withVolumeName(volume.name())
        .withNewResources()
        .addToRequests("storage", new Quantity(volume.size() + "Gi"))
        .endResources()
        .endSpec()
        .withNewStatus()
        .withPhase("Bound")
        .endStatus()
        .build();
  }

  /** The StatefulSet a volume belongs to: its {@code app} label, else its name without affixes. */
  static String workloadOf(World.Volume volume) {
    String app = volume.labels().get("app");
    if (app != null && !app.isBlank()) {
      return app;
    }
    String name = volume.name().startsWith("pvc-") ? volume.name().substring(4) : volume.name();
    Matcher ordinal = ORDINAL.matcher(name);
    return ordinal.find() ? name.substring(0, ordinal.start()) : name;
  }

  private static long ordinalOf(World.Volume volume) {
    Matcher ordinal = ORDINAL.matcher(volume.name());
    return ordinal.find() ? Long.parseLong(ordinal.group(1)) : Long.MAX_VALUE;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
