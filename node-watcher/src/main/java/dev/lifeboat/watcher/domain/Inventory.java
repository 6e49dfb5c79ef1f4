package dev.lifeboat.watcher.domain;

import dev.lifeboat.events.doctor.ClusterSnapshot;
import dev.lifeboat.events.node.ClaimRef;
import dev.lifeboat.events.node.EligibleNode;
import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.PodRef;
import dev.lifeboat.watcher.domain.ClusterFacts.AttachmentFacts;
import dev.lifeboat.watcher.domain.ClusterFacts.ClaimFacts;
import dev.lifeboat.watcher.domain.ClusterFacts.PodFacts;
import dev.lifeboat.watcher.domain.ClusterFacts.VolumeFacts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The snapshot a NodeGone carries: the Hetzner volumes a lost node held, what uses them, and the
 * nodes that could take their pods now. Pure: it reads the informers' objects as facts.
 */
public final class Inventory {

  /** Why a node is left alone, as its reports say it. */
  public static final String EXCLUDED =
      "it is a control-plane node or matches lifeboat.watcher.exclude-labels or"
          + " exclude-annotations";

  /** Hetzner attaches at most this many volumes to one server. */
  public static final int MAX_VOLUMES_PER_SERVER = 16;

  private final Collection<NodeFacts> nodes;
  private final Collection<PodFacts> pods;
  private final Map<String, ClaimFacts> claims = new LinkedHashMap<>();
  private final Map<String, VolumeFacts> volumes = new LinkedHashMap<>();
  private final Collection<AttachmentFacts> attachments;
  private final Map<String, Map<String, String>> namespaceAnnotations;

  /**
   * @param namespaceAnnotations annotations of every namespace, by name
   */
  public Inventory(
      Collection<NodeFacts> nodes,
      Collection<PodFacts> pods,
      Collection<ClaimFacts> claims,
      Collection<VolumeFacts> volumes,
      Collection<AttachmentFacts> attachments,
      Map<String, Map<String, String>> namespaceAnnotations) {
    this.nodes = nodes;
    this.pods = pods;
    claims.forEach(claim -> this.claims.put(claim.namespace() + "/" + claim.name(), claim));
    volumes.forEach(volume -> this.volumes.put(volume.name(), volume));
    this.attachments = attachments;
    this.namespaceAnnotations = namespaceAnnotations;
  }

  /** The Hetzner volumes in use on the node, in a stable order. */
  public List<HeldVolume> heldBy(NodeFacts lost) {
    Set<String> pvNames = new LinkedHashSet<>();
    attachments.stream()
        .filter(a -> lost.name().equals(a.nodeName()))
        .filter(a -> ClusterFacts.HCLOUD_DRIVER.equals(a.attacher()))
        .map(AttachmentFacts::persistentVolume)
        .sorted()
        .forEach(pvNames::add);
    podsOn(lost.name()).stream()
        .flatMap(
            pod -> pod.claims().stream().map(claim -> claims.get(pod.namespace() + "/" + claim)))
        .filter(claim -> claim != null && claim.volumeName() != null)
        .map(ClaimFacts::volumeName)
        .sorted()
        .forEach(pvNames::add);
    List<HeldVolume> held = new ArrayList<>();
    for (String pvName : pvNames) {
      VolumeFacts pv = volumes.get(pvName);
      if (pv == null || !ClusterFacts.HCLOUD_DRIVER.equals(pv.driver())) {
        continue; // other drivers are not Lifeboat's
      }
      Optional<Long> volumeId = parseId(pv.volumeHandle());
      if (volumeId.isEmpty() || pv.claimName() == null) {
        continue;
      }
      ClaimRef claim = new ClaimRef(pv.claimNamespace(), pv.claimName());
      List<PodRef> users =
          podsOn(lost.name()).stream()
              .filter(
                  pod ->
                      pod.namespace().equals(claim.namespace())
                          && pod.claims().contains(claim.name()))
              .map(PodFacts::ref)
              .toList();
      String location = Optional.ofNullable(pv.location()).or(lost::location).orElse("unknown");
      held.add(
          new HeldVolume(
              volumeId.get(), pv.name(), claim, location, users, optedOut(claim).orElse(null)));
    }
    return held;
  }

  /**
   * For each location, the nodes that could take a pod now: not the lost node, taking pods, healthy
   * as the detector sees them, with a known server and fewer than 16 Hetzner volumes.
   */
  public Map<String, List<EligibleNode>> eligible(
      NodeFacts lost, Collection<String> locations, Predicate<NodeFacts> healthy) {
    Map<String, List<EligibleNode>> byLocation = new TreeMap<>();
    for (String location : locations) {
      List<EligibleNode> eligible = new ArrayList<>();
      for (NodeFacts node : nodes) {
        if (node.name().equals(lost.name())
            || !node.takesPods()
            || !healthy.test(node)
            || node.serverId().isEmpty()
            || !location.equals(node.location().orElse(null))
            || hetznerVolumesOn(node.name()) >= MAX_VOLUMES_PER_SERVER) {
          continue;
        }
        eligible.add(new EligibleNode(node.name(), node.serverId().get(), location));
      }
      eligible.sort(java.util.Comparator.comparing(EligibleNode::name));
      byLocation.put(location, eligible);
    }
    return byLocation;
  }

  /** The eligible nodes in the locations of these volumes (those the node holds). */
  public Map<String, List<EligibleNode>> eligibleFor(
      NodeFacts node, List<HeldVolume> held, Predicate<NodeFacts> healthy) {
    Set<String> locations = new TreeSet<>();
    held.forEach(volume -> locations.add(volume.location()));
    return eligible(node, locations, healthy);
  }

  /** How many Hetzner volumes are attached (or being attached) to a node. */
  public long hetznerVolumesOn(String nodeName) {
    return attachments.stream()
        .filter(a -> nodeName.equals(a.nodeName()))
        .filter(a -> ClusterFacts.HCLOUD_DRIVER.equals(a.attacher()))
        .count();
  }

  /**
   * The cluster side of a doctor run (docs/doctor.md): every node, and the hcloud driver's volumes,
   * attachments and the pods that use them. A PV belongs to a StatefulSet when a pod of one uses
   * its claim now.
   *
   * @param excluded the nodes Lifeboat leaves alone
   */
  public ClusterSnapshot snapshot(Instant takenAt, NodeSelector excluded) {
    List<ClusterSnapshot.Node> nodeViews = new ArrayList<>();
    for (NodeFacts node : nodes) {
      nodeViews.add(
          new ClusterSnapshot.Node(
              node.name(),
              node.serverId().orElse(null),
              node.location().orElse(null),
              node.isReady(),
              refusesPods(node),
              excluded.excludes(node) ? EXCLUDED : null,
              (int) hetznerVolumesOn(node.name())));
    }
    Map<String, Long> hcloudVolumes = new LinkedHashMap<>();
    volumes.values().stream()
        .filter(pv -> ClusterFacts.HCLOUD_DRIVER.equals(pv.driver()))
        .forEach(
            pv -> parseId(pv.volumeHandle()).ifPresent(id -> hcloudVolumes.put(pv.name(), id)));
    List<ClusterSnapshot.Pod> podViews = new ArrayList<>();
    Map<String, String> statefulSetOfClaim = new LinkedHashMap<>();
    for (PodFacts pod : pods) {
      List<String> used =
          pod.claims().stream()
              .map(claim -> claims.get(pod.namespace() + "/" + claim))
              .filter(claim -> claim != null && hcloudVolumes.containsKey(claim.volumeName()))
              .map(ClaimFacts::volumeName)
              .toList();
      if (used.isEmpty()) {
        continue;
      }
      if ("StatefulSet".equals(pod.ownerKind())) {
        pod.claims()
            .forEach(
                claim ->
                    statefulSetOfClaim.put(
                        pod.namespace() + "/" + claim, pod.namespace() + "/" + pod.ownerName()));
      }
      podViews.add(
          new ClusterSnapshot.Pod(
              pod.namespace(),
              pod.name(),
              pod.nodeName(),
              pod.nodeName() == null ? null : pod.scheduledAt(),
              pod.ready(),
              pod.waiting(),
              used));
    }
    List<ClusterSnapshot.Volume> volumeViews = new ArrayList<>();
    hcloudVolumes.forEach(
        (name, id) -> {
          VolumeFacts pv = volumes.get(name);
          String claim = pv.claimName() == null ? null : pv.claimNamespace() + "/" + pv.claimName();
          volumeViews.add(
              new ClusterSnapshot.Volume(
                  name,
                  id,
                  pv.location(),
                  pv.reclaimPolicy(),
                  claim,
                  claim == null ? null : statefulSetOfClaim.get(claim)));
        });
    List<ClusterSnapshot.Attachment> attachmentViews =
        attachments.stream()
            .filter(a -> ClusterFacts.HCLOUD_DRIVER.equals(a.attacher()))
            .filter(a -> a.persistentVolume() != null && a.nodeName() != null)
            .map(
                a ->
                    new ClusterSnapshot.Attachment(
                        a.name(),
                        a.persistentVolume(),
                        a.nodeName(),
                        a.attached(),
                        a.createdAt() == null ? takenAt : a.createdAt()))
            .toList();
    return new ClusterSnapshot(takenAt, nodeViews, volumeViews, attachmentViews, podViews);
  }

  /** Why the scheduler would place no new pod on the node; null when it would. */
  private static String refusesPods(NodeFacts node) {
    if (node.unschedulable()) {
      return "cordoned";
    }
    return node.taints().stream()
        .filter(t -> t.effect().equals("NoSchedule") || t.effect().equals("NoExecute"))
        .map(t -> "taint " + t.key() + ":" + t.effect())
        .findFirst()
        .orElse(null);
  }

  private List<PodFacts> podsOn(String nodeName) {
    return pods.stream().filter(pod -> nodeName.equals(pod.nodeName())).toList();
  }

  private Optional<String> optedOut(ClaimRef claim) {
    ClaimFacts facts = claims.get(claim.namespace() + "/" + claim.name());
    if (facts != null
        && "disabled".equals(facts.annotations().get(ClusterFacts.FAILOVER_ANNOTATION))) {
      return Optional.of(
          "claim "
              + claim.namespace()
              + "/"
              + claim.name()
              + " has lifeboat.dev/failover: disabled");
    }
    Map<String, String> namespace = namespaceAnnotations.getOrDefault(claim.namespace(), Map.of());
    if ("disabled".equals(namespace.get(ClusterFacts.FAILOVER_ANNOTATION))) {
      return Optional.of("namespace " + claim.namespace() + " has lifeboat.dev/failover: disabled");
    }
    return Optional.empty();
  }

  private static Optional<Long> parseId(String handle) {
    try {
      long id = Long.parseLong(handle);
      return id > 0 ? Optional.of(id) : Optional.empty();
    } catch (NumberFormatException | NullPointerException e) {
      return Optional.empty();
    }
  }
}
