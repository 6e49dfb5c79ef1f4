package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.doctor.ClusterSnapshot;
import dev.lifeboat.events.doctor.Finding;
import dev.lifeboat.events.doctor.FindingKind;
import dev.lifeboat.events.doctor.Headroom;
import dev.lifeboat.events.doctor.HetznerSnapshot;
import dev.lifeboat.events.doctor.Repair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The doctor: compares what the cluster shows with what Hetzner shows and says what is wrong before
 * it becomes an incident, with the safe repair where there is one. Pure: it reads two snapshots and
 * the findings of the run before (for how long each has held), and sends nothing.
 */
public final class Doctor {

  /** Hetzner attaches at most this many volumes to one server. */
  static final int MAX_VOLUMES_PER_SERVER = 16;

  private final Settings settings;

  public Doctor(Settings settings) {
    this.settings = settings;
  }

  /**
   * How patient the doctor is.
   *
   * @param settle how long a finding that is also what an attach or detach in flight looks like
   *     must hold before it is reported
   * @param multiAttachAfter how long a pod waits for a volume attached elsewhere before it is a
   *     finding
   */
  public record Settings(Duration settle, Duration multiAttachAfter) {
    /** Two minutes to settle, five of waiting for a volume. */
    public static Settings defaults() {
      return new Settings(Duration.ofMinutes(2), Duration.ofMinutes(5));
    }
  }

  /**
   * What running incidents hold: the doctor leaves it to them.
   *
   * @param nodes the nodes lost or being removed
   * @param volumes the volumes being moved
   */
  public record Busy(Set<String> nodes, Set<Long> volumes) {
    public Busy {
      nodes = Set.copyOf(nodes);
      volumes = Set.copyOf(volumes);
    }

    /** No incident runs. */
    public static Busy none() {
      return new Busy(Set.of(), Set.of());
    }
  }

  /**
   * One run's result.
   *
   * @param at when the later of the two snapshots was taken
   * @param findings what is reported now
   * @param settling what was seen but has not held long enough to report; kept so that the next run
   *     knows since when
   * @param headroom the rate budget against the biggest node's loss
   */
  public record Examination(
      Instant at, List<Finding> findings, List<Finding> settling, Headroom headroom) {

    /** Every finding of this run, reported or settling: what the next run starts from. */
    public List<Finding> all() {
      List<Finding> all = new ArrayList<>(findings);
      all.addAll(settling);
      return all;
    }
  }

  /** What a repair request gets after the finding is checked again. */
  public sealed interface Recheck {}

  /**
   * The finding still holds and its repair is still safe.
   *
   * @param repair what to do
   */
  public record Proceed(Repair repair) implements Recheck {}

  /**
   * The repair must not run.
   *
   * @param whatChanged what is different now, or why it is not safe
   */
  public record Refused(String whatChanged) implements Recheck {}

  /** Compares the two sides; {@code previous} is the last run's {@link Examination#all()}. */
  public Examination examine(
      ClusterSnapshot cluster, HetznerSnapshot hetzner, Busy busy, List<Finding> previous) {
    World world = new World(cluster, hetzner, busy);
    List<Finding> found = new ArrayList<>();
    Set<Long> explained = new LinkedHashSet<>();
    explained.addAll(multiAttachWaits(world, found));
    explained.addAll(volumesOnServersWithoutNode(world, explained, found));
    attachmentsNotAtHetzner(world, explained, found);
    volumesMissing(world, found);
    noRoomAfterLoss(world, found);
    Headroom headroom = headroom(world);
    budgetShort(world, headroom, found);
    dataLossTraps(world, found);

    Map<String, Instant> firstSeen = new LinkedHashMap<>();
    previous.forEach(f -> firstSeen.put(f.id(), f.since()));
    List<Finding> reported = new ArrayList<>();
    List<Finding> settling = new ArrayList<>();
    for (Finding finding : found) {
      Instant since = firstSeen.getOrDefault(finding.id(), finding.since());
      if (since.isAfter(finding.since())) {
        since = finding.since();
      }
      Finding dated = finding.seenSince(since);
      boolean held = !Duration.between(since, world.now).minus(settings.settle()).isNegative();
      (finding.kind().mustLast() && !held ? settling : reported).add(dated);
    }
    return new Examination(world.now, reported, settling, headroom);
  }

  /**
   * Checks a finding again right before its repair: the repair goes ahead only if the finding still
   * holds on fresh snapshots and its repair is the same and safe now.
   */
  public Recheck recheck(
      Finding finding, ClusterSnapshot cluster, HetznerSnapshot hetzner, Busy busy) {
    if (finding.repair() == null) {
      return new Refused(
          finding.id()
              + " has no safe repair"
              + (finding.noRepairBecause() == null ? "" : ": " + finding.noRepairBecause()));
    }
    long volumeId = finding.repair().volumeId();
    World world = new World(cluster, hetzner, busy);
    if (busy.volumes().contains(volumeId)) {
      return new Refused("volume " + volumeId + " is being moved by a running incident");
    }
    Examination now =
        new Doctor(new Settings(Duration.ZERO, settings.multiAttachAfter()))
            .examine(cluster, hetzner, busy, List.of());
    Optional<Finding> same =
        now.findings().stream().filter(f -> f.id().equals(finding.id())).findFirst();
    if (same.isEmpty()) {
      return new Refused(finding.id() + " no longer holds: " + world.describeVolume(volumeId));
    }
    if (same.get().repair() == null) {
      return new Refused(same.get().noRepairBecause());
    }
    if (!same.get().repair().equals(finding.repair())) {
      return new Refused(
          "the repair is different now: " + world.describeVolume(volumeId) + "; look again");
    }
    return new Proceed(same.get().repair());
  }

  /** 3: a pod on node B waits for a volume that Hetzner has attached to server A. */
  private Set<Long> multiAttachWaits(World world, List<Finding> found) {
    Set<Long> volumes = new LinkedHashSet<>();
    for (ClusterSnapshot.Pod pod : world.cluster.pods()) {
      if (pod.ready() || pod.nodeName() == null || pod.scheduledAt() == null) {
        continue;
      }
      Duration waited = Duration.between(pod.scheduledAt(), world.now);
      if (waited.compareTo(settings.multiAttachAfter()) < 0) {
        continue;
      }
      ClusterSnapshot.Node node = world.nodes.get(pod.nodeName());
      if (node == null || node.serverId() == null) {
        continue;
      }
      for (String pvName : pod.persistentVolumes()) {
        ClusterSnapshot.Volume pv = world.persistentVolumes.get(pvName);
        HetznerSnapshot.Volume volume = pv == null ? null : world.volumes.get(pv.volumeId());
        if (volume == null
            || volume.serverId() == null
            || volume.serverId().equals(node.serverId())
            || world.busy.volumes().contains(volume.id())) {
          continue;
        }
        long serverA = volume.serverId();
        Optional<ClusterSnapshot.Node> nodeA = world.nodeOf(serverA);
        HetznerSnapshot.Server server = world.servers.get(serverA);
        boolean lost = server != null && server.off() && nodeA.map(n -> !n.ready()).orElse(true);
        List<String> objects = new ArrayList<>();
        objects.add("pod/" + pod.key());
        objects.add("node/" + node.name());
        objects.add("volume/" + volume.id());
        objects.add("server/" + serverA);
        nodeA.ifPresent(n -> objects.add("node/" + n.name()));
        volumes.add(volume.id());
        found.add(
            new Finding(
                id(FindingKind.MULTI_ATTACH_WAIT, "volume/" + volume.id()),
                FindingKind.MULTI_ATTACH_WAIT,
                objects,
                pod.scheduledAt(),
                "pod "
                    + pod.key()
                    + " is scheduled on "
                    + node.name()
                    + " (server "
                    + node.serverId()
                    + ") since "
                    + pod.scheduledAt()
                    + " and not Ready"
                    + (pod.waiting() == null ? "" : " (" + pod.waiting() + ")")
                    + "; it uses "
                    + pvName,
                "volume " + volume.id() + " is attached to " + world.describeServer(serverA),
                lost
                    ? new Repair(Repair.Action.MOVE_VOLUME, volume.id(), serverA, null, node.name())
                    : null,
                lost ? null : notLost(world, serverA, nodeA),
                null));
      }
    }
    return volumes;
  }

  /**
   * 1: a volume of the cluster attached to a server that no Node stands for; one a pod waits for is
   * kind 3's already, whose move does what this detach would and more.
   */
  private Set<Long> volumesOnServersWithoutNode(
      World world, Set<Long> explained, List<Finding> found) {
    Set<Long> volumes = new LinkedHashSet<>();
    for (HetznerSnapshot.Volume volume : world.hetzner.volumes()) {
      ClusterSnapshot.Volume pv = world.persistentVolumeOf.get(volume.id());
      if (pv == null
          || explained.contains(volume.id())
          || volume.serverId() == null
          || world.nodeOf(volume.serverId()).isPresent()
          || world.busy.volumes().contains(volume.id())) {
        continue;
      }
      long serverId = volume.serverId();
      HetznerSnapshot.Server server = world.servers.get(serverId);
      boolean off = server != null && server.off();
      volumes.add(volume.id());
      found.add(
          new Finding(
              id(FindingKind.VOLUME_ON_SERVER_WITHOUT_NODE, "volume/" + volume.id()),
              FindingKind.VOLUME_ON_SERVER_WITHOUT_NODE,
              List.of("volume/" + volume.id(), "server/" + serverId, "pv/" + pv.name()),
              world.now,
              "no Node has providerID hcloud://"
                  + serverId
                  + "; "
                  + pv.name()
                  + " names the volume",
              "volume " + volume.id() + " is attached to " + world.describeServer(serverId),
              off
                  ? new Repair(Repair.Action.DETACH_VOLUME, volume.id(), serverId, null, null)
                  : null,
              off
                  ? null
                  : "server "
                      + serverId
                      + " is "
                      + (server == null ? "unknown" : server.status())
                      + ": a detach is safe only from a server that is off",
              null));
    }
    return volumes;
  }

  /**
   * 2: a VolumeAttachment attached where Hetzner shows the volume elsewhere or on no server; a
   * volume that kinds 1 and 3 already explain is not reported again.
   */
  private void attachmentsNotAtHetzner(World world, Set<Long> explained, List<Finding> found) {
    for (ClusterSnapshot.Attachment attachment : world.cluster.attachments()) {
      ClusterSnapshot.Volume pv = world.persistentVolumes.get(attachment.persistentVolume());
      HetznerSnapshot.Volume volume = pv == null ? null : world.volumes.get(pv.volumeId());
      ClusterSnapshot.Node node = world.nodes.get(attachment.nodeName());
      if (!attachment.attached()
          || volume == null
          || explained.contains(volume.id())
          || world.busy.volumes().contains(volume.id())
          || world.busy.nodes().contains(attachment.nodeName())) {
        continue;
      }
      Long serverB = node == null ? null : node.serverId();
      if (serverB != null && serverB.equals(volume.serverId())) {
        continue;
      }
      Repair repair = null;
      String noRepair = null;
      if (serverB == null) {
        noRepair = "node " + attachment.nodeName() + " has no Hetzner server to attach to";
      } else if (volume.serverId() == null) {
        HetznerSnapshot.Server target = world.servers.get(serverB);
        if (target != null && "running".equals(target.status())) {
          repair =
              new Repair(
                  Repair.Action.ATTACH_VOLUME,
                  volume.id(),
                  serverB,
                  attachment.name(),
                  attachment.nodeName());
        } else {
          noRepair =
              "server "
                  + serverB
                  + " of node "
                  + attachment.nodeName()
                  + (target == null ? " no longer exists" : " is " + target.status())
                  + ": a volume is attached only to a server that runs";
        }
      } else if (world.servers.containsKey(volume.serverId())
          && world.servers.get(volume.serverId()).off()
          && world.nodeOf(volume.serverId()).map(n -> !n.ready()).orElse(true)) {
        repair =
            new Repair(
                Repair.Action.MOVE_VOLUME,
                volume.id(),
                volume.serverId(),
                null,
                attachment.nodeName());
      } else {
        noRepair = notLost(world, volume.serverId(), world.nodeOf(volume.serverId()));
      }
      found.add(
          new Finding(
              id(FindingKind.ATTACHMENT_NOT_AT_HETZNER, "attachment/" + attachment.name()),
              FindingKind.ATTACHMENT_NOT_AT_HETZNER,
              List.of(
                  "volumeattachment/" + attachment.name(),
                  "pv/" + pv.name(),
                  "node/" + attachment.nodeName(),
                  "volume/" + volume.id()),
              world.now,
              "VolumeAttachment "
                  + attachment.name()
                  + " says "
                  + pv.name()
                  + " is attached to "
                  + attachment.nodeName()
                  + (serverB == null ? " (no server)" : " (server " + serverB + ")"),
              volume.serverId() == null
                  ? "volume " + volume.id() + " is attached to no server"
                  : "volume "
                      + volume.id()
                      + " is attached to "
                      + world.describeServer(volume.serverId()),
              repair,
              noRepair,
              null));
    }
  }

  /** 4: a PV whose Hetzner volume does not exist, and a Hetzner volume no PV names. */
  private void volumesMissing(World world, List<Finding> found) {
    for (ClusterSnapshot.Volume pv : world.cluster.volumes()) {
      if (world.volumes.containsKey(pv.volumeId())) {
        continue;
      }
      List<String> objects = new ArrayList<>(List.of("pv/" + pv.name(), "volume/" + pv.volumeId()));
      if (pv.claim() != null) {
        objects.add("claim/" + pv.claim());
      }
      found.add(
          new Finding(
              id(FindingKind.VOLUME_MISSING_AT_HETZNER, "pv/" + pv.name()),
              FindingKind.VOLUME_MISSING_AT_HETZNER,
              objects,
              world.now,
              "PersistentVolume "
                  + pv.name()
                  + (pv.claim() == null ? "" : " (claim " + pv.claim() + ")")
                  + " names Hetzner volume "
                  + pv.volumeId(),
              "the project has no volume " + pv.volumeId(),
              null,
              "report only: the data is not at Hetzner; a pod using it cannot start",
              null));
    }
    for (HetznerSnapshot.Volume volume : world.hetzner.volumes()) {
      if (world.persistentVolumeOf.containsKey(volume.id())) {
        continue;
      }
      String where =
          volume.serverId() == null
              ? "attached to no server"
              : "attached to "
                  + world.describeServer(volume.serverId())
                  + (world.nodeOf(volume.serverId()).isPresent()
                      ? ""
                      : ", which is no node of this cluster: it may belong to something else");
      found.add(
          new Finding(
              id(FindingKind.VOLUME_WITHOUT_PERSISTENT_VOLUME, "volume/" + volume.id()),
              FindingKind.VOLUME_WITHOUT_PERSISTENT_VOLUME,
              List.of("volume/" + volume.id()),
              world.now,
              "no PersistentVolume names volume " + volume.id(),
              "volume "
                  + volume.id()
                  + " '"
                  + volume.name()
                  + "' in "
                  + volume.location()
                  + ", "
                  + where,
              null,
              "report only: it costs money; delete it at Hetzner once you know nobody needs it",
              null));
    }
  }

  /** 5: the volumes a node holds that would find no room in their location if it died now. */
  private void noRoomAfterLoss(World world, List<Finding> found) {
    for (ClusterSnapshot.Node node : world.cluster.nodes()) {
      if (node.serverId() == null
          || node.excludedBecause() != null
          || world.busy.nodes().contains(node.name())) {
        continue;
      }
      Map<String, List<HetznerSnapshot.Volume>> held = new TreeMap<>();
      world
          .heldBy(node.serverId())
          .forEach(
              v ->
                  held.computeIfAbsent(String.valueOf(v.location()), l -> new ArrayList<>())
                      .add(v));
      List<String> unmoved = new ArrayList<>();
      List<String> why = new ArrayList<>();
      for (Map.Entry<String, List<HetznerSnapshot.Volume>> entry : held.entrySet()) {
        String location = entry.getKey();
        List<ClusterSnapshot.Node> others =
            world.cluster.nodes().stream()
                .filter(n -> !n.name().equals(node.name()) && location.equals(n.location()))
                .filter(n -> !world.busy.nodes().contains(n.name()))
                .sorted(Comparator.comparing(ClusterSnapshot.Node::name))
                .toList();
        int room = 0;
        List<String> full = new ArrayList<>();
        for (ClusterSnapshot.Node other : others) {
          Optional<String> refused = refusesVolumes(other);
          if (refused.isPresent()) {
            full.add(other.name() + ": " + refused.get());
          } else {
            room += MAX_VOLUMES_PER_SERVER - other.hetznerVolumes();
          }
        }
        List<HetznerSnapshot.Volume> volumes = entry.getValue();
        if (volumes.size() <= room) {
          continue;
        }
        volumes.subList(room, volumes.size()).forEach(v -> unmoved.add("volume/" + v.id()));
        why.add(
            (volumes.size() - room)
                + " of "
                + volumes.size()
                + " in "
                + location
                + " would find no node: "
                + (others.isEmpty()
                    ? "no other node is in " + location
                    : "room for "
                        + room
                        + " on the other nodes"
                        + (full.isEmpty() ? "" : "; " + String.join("; ", full))));
      }
      if (unmoved.isEmpty()) {
        continue;
      }
      List<String> objects = new ArrayList<>();
      objects.add("node/" + node.name());
      objects.addAll(unmoved);
      found.add(
          new Finding(
              id(FindingKind.NO_ROOM_AFTER_LOSS, "node/" + node.name()),
              FindingKind.NO_ROOM_AFTER_LOSS,
              objects,
              world.now,
              "if " + node.name() + " were lost now, " + String.join("; ", why),
              "server "
                  + node.serverId()
                  + " holds "
                  + world.heldBy(node.serverId()).size()
                  + " volumes of the cluster",
              null,
              "report only: add a node in the location or make room on one",
              null));
    }
  }

  private static Optional<String> refusesVolumes(ClusterSnapshot.Node node) {
    if (!node.ready()) {
      return Optional.of("not Ready");
    }
    if (node.refusesPods() != null) {
      return Optional.of(node.refusesPods());
    }
    if (node.serverId() == null) {
      return Optional.of("no Hetzner server");
    }
    if (node.hetznerVolumes() >= MAX_VOLUMES_PER_SERVER) {
      return Optional.of(
          node.hetznerVolumes() + " volumes, the most Hetzner attaches to one server");
    }
    return Optional.empty();
  }

  private static Headroom headroom(World world) {
    ClusterSnapshot.Node biggest = null;
    int most = 0;
    for (ClusterSnapshot.Node node : world.cluster.nodes()) {
      if (node.serverId() == null || node.excludedBecause() != null) {
        continue;
      }
      int held = world.heldBy(node.serverId()).size();
      if (held > most) {
        biggest = node;
        most = held;
      }
    }
    int needed = most == 0 ? 0 : Drill.REQUESTS_PER_ACTION * (1 + 2 * most);
    HetznerSnapshot.Budget budget = world.hetzner.budget();
    return new Headroom(
        budget == null ? null : budget.limit(),
        budget == null ? null : budget.remaining(),
        biggest == null ? null : biggest.name(),
        most,
        needed);
  }

  /** 6: the budget left would not carry the biggest node's loss. */
  private static void budgetShort(World world, Headroom headroom, List<Finding> found) {
    if (headroom.remaining() == null || headroom.remaining() >= headroom.needed()) {
      return;
    }
    found.add(
        new Finding(
            id(FindingKind.RATE_BUDGET_SHORT, "project"),
            FindingKind.RATE_BUDGET_SHORT,
            List.of("node/" + headroom.biggestNode()),
            world.now,
            headroom.biggestNode()
                + " holds "
                + headroom.volumes()
                + " volumes: moving them takes up to "
                + headroom.needed()
                + " requests",
            "the answer at "
                + world.hetzner.budget().at()
                + " left "
                + headroom.remaining()
                + " of "
                + headroom.limit()
                + " requests an hour",
            null,
            "report only: the budget refills by one request a second; find what else spends it",
            null));
  }

  /** 7: a StatefulSet's data deleted with its claim, and volumes without delete protection. */
  private static void dataLossTraps(World world, List<Finding> found) {
    for (ClusterSnapshot.Volume pv : world.cluster.volumes()) {
      if (pv.statefulSet() == null || !"Delete".equals(pv.reclaimPolicy())) {
        continue;
      }
      found.add(
          new Finding(
              id(FindingKind.RECLAIM_POLICY_DELETE, "pv/" + pv.name()),
              FindingKind.RECLAIM_POLICY_DELETE,
              List.of("pv/" + pv.name(), "claim/" + pv.claim(), "statefulset/" + pv.statefulSet()),
              world.now,
              "PersistentVolume "
                  + pv.name()
                  + " of StatefulSet "
                  + pv.statefulSet()
                  + " has reclaim policy Delete: deleting claim "
                  + pv.claim()
                  + " (by hand, or by uninstalling a chart) deletes Hetzner volume "
                  + pv.volumeId(),
              "",
              null,
              "report only",
              "kubectl patch pv "
                  + pv.name()
                  + " -p '{\"spec\":{\"persistentVolumeReclaimPolicy\":\"Retain\"}}'"));
    }
    for (HetznerSnapshot.Volume volume : world.hetzner.volumes()) {
      ClusterSnapshot.Volume pv = world.persistentVolumeOf.get(volume.id());
      if (pv == null || volume.deleteProtected()) {
        continue;
      }
      found.add(
          new Finding(
              id(FindingKind.NO_DELETE_PROTECTION, "volume/" + volume.id()),
              FindingKind.NO_DELETE_PROTECTION,
              List.of("volume/" + volume.id(), "pv/" + pv.name()),
              world.now,
              "PersistentVolume " + pv.name() + " names it",
              "volume " + volume.id() + " has no delete protection: one API call deletes it",
              null,
              "report only",
              "hcloud volume enable-protection " + volume.id() + " delete"));
    }
  }

  private static String notLost(World world, long serverId, Optional<ClusterSnapshot.Node> node) {
    HetznerSnapshot.Server server = world.servers.get(serverId);
    String status = server == null ? "unknown" : server.status();
    if (node.isPresent() && node.get().ready()) {
      return "node "
          + node.get().name()
          + " of server "
          + serverId
          + " is Ready: it may still write";
    }
    return "server "
        + serverId
        + " is "
        + status
        + ": a volume moves only from a server that is off";
  }

  private static String id(FindingKind kind, String subject) {
    return kind.name().toLowerCase(Locale.ROOT).replace('_', '-') + "/" + subject;
  }

  /** The two snapshots, indexed. */
  private static final class World {
    final ClusterSnapshot cluster;
    final HetznerSnapshot hetzner;
    final Busy busy;
    final Instant now;
    final Map<String, ClusterSnapshot.Node> nodes;
    final Map<String, ClusterSnapshot.Volume> persistentVolumes;
    final Map<Long, ClusterSnapshot.Volume> persistentVolumeOf;
    final Map<Long, HetznerSnapshot.Server> servers;
    final Map<Long, HetznerSnapshot.Volume> volumes;

    World(ClusterSnapshot cluster, HetznerSnapshot hetzner, Busy busy) {
      this.cluster = cluster;
      this.hetzner = hetzner;
      this.busy = busy;
      this.now =
          cluster.takenAt().isAfter(hetzner.takenAt()) ? cluster.takenAt() : hetzner.takenAt();
      this.nodes = index(cluster.nodes(), ClusterSnapshot.Node::name);
      this.persistentVolumes = index(cluster.volumes(), ClusterSnapshot.Volume::name);
      this.persistentVolumeOf = index(cluster.volumes(), ClusterSnapshot.Volume::volumeId);
      this.servers = index(hetzner.servers(), HetznerSnapshot.Server::id);
      this.volumes = index(hetzner.volumes(), HetznerSnapshot.Volume::id);
    }

    Optional<ClusterSnapshot.Node> nodeOf(long serverId) {
      return cluster.nodes().stream()
          .filter(n -> Long.valueOf(serverId).equals(n.serverId()))
          .findFirst();
    }

    /** The cluster's volumes (those a PV names) attached to a server, by id. */
    List<HetznerSnapshot.Volume> heldBy(long serverId) {
      return hetzner.volumes().stream()
          .filter(v -> Long.valueOf(serverId).equals(v.serverId()))
          .filter(v -> persistentVolumeOf.containsKey(v.id()))
          .sorted(Comparator.comparingLong(HetznerSnapshot.Volume::id))
          .toList();
    }

    String describeServer(long serverId) {
      HetznerSnapshot.Server server = servers.get(serverId);
      String node = nodeOf(serverId).map(n -> ", node " + n.name()).orElse(", no node");
      return server == null
          ? "server " + serverId + " (not in the project)"
          : "server " + serverId + " '" + server.name() + "' (" + server.status() + node + ")";
    }

    String describeVolume(long volumeId) {
      HetznerSnapshot.Volume volume = volumes.get(volumeId);
      if (volume == null) {
        return "volume " + volumeId + " no longer exists";
      }
      return volume.serverId() == null
          ? "volume " + volumeId + " is attached to no server"
          : "volume " + volumeId + " is attached to " + describeServer(volume.serverId());
    }

    private static <K, V> Map<K, V> index(List<V> values, Function<V, K> key) {
      return values.stream()
          .collect(Collectors.toMap(key, v -> v, (first, second) -> first, LinkedHashMap::new));
    }
  }
}
