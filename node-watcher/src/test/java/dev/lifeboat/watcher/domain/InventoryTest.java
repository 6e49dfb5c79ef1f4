package dev.lifeboat.watcher.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.events.doctor.ClusterSnapshot;
import dev.lifeboat.events.node.EligibleNode;
import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.watcher.domain.ClusterFacts.AttachmentFacts;
import dev.lifeboat.watcher.domain.ClusterFacts.ClaimFacts;
import dev.lifeboat.watcher.domain.ClusterFacts.PodFacts;
import dev.lifeboat.watcher.domain.ClusterFacts.VolumeFacts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The snapshot of a lost node's volumes, and of the nodes that could take its pods. */
class InventoryTest {

  private static final NodeFacts LOST = node("worker-2", "hcloud://4202", "fsn1");

  @Test
  void heldVolumesComeFromAttachmentsAndPodClaimsAndOnlyOfTheHetznerDriver() {
    List<PodFacts> pods =
        List.of(
            pod("shop", "db-0", "StatefulSet", "db", "data-db-0"),
            pod("shop", "web-5d8f7c-x2x", "Deployment", "web", "uploads"),
            pod("shop", "cache-0", "StatefulSet", "cache", "scratch"),
            pod("batch", "job-1", null, null, "results"));
    Inventory inventory =
        new Inventory(
            List.of(LOST),
            pods,
            List.of(
                claim("shop", "data-db-0", "pv-db", Map.of()),
                claim("shop", "uploads", "pv-uploads", Map.of()),
                claim("shop", "scratch", "pv-nfs", Map.of()),
                claim(
                    "batch", "results", "pv-results", Map.of("lifeboat.dev/failover", "disabled"))),
            List.of(
                hcloud("pv-db", "100001", "shop", "data-db-0"),
                hcloud("pv-uploads", "100002", "shop", "uploads"),
                new VolumeFacts("pv-nfs", "nfs.csi.k8s.io", "srv/share", null, "shop", "scratch"),
                hcloud("pv-results", "100003", "batch", "results"),
                hcloud("pv-idle", "100004", "shop", "idle")),
            List.of(
                new AttachmentFacts("va-idle", ClusterFacts.HCLOUD_DRIVER, "pv-idle", "worker-2"),
                new AttachmentFacts("va-db", ClusterFacts.HCLOUD_DRIVER, "pv-db", "worker-2")),
            Map.of());

    List<HeldVolume> held = inventory.heldBy(LOST);

    assertThat(held)
        .extracting(HeldVolume::volumeId)
        .containsExactly(100001L, 100004L, 100003L, 100002L);
    HeldVolume db = held.get(0);
    assertThat(db.location()).isEqualTo("fsn1");
    assertThat(db.pods())
        .singleElement()
        .satisfies(p -> assertThat(p.ownerKind()).isEqualTo("StatefulSet"));
    assertThat(held.get(1).pods()).as("attached but used by no pod").isEmpty();
    assertThat(held.get(3).pods().get(0).ownerKind()).isEqualTo("Deployment");
    assertThat(held.get(2).skipped()).contains("lifeboat.dev/failover: disabled");
    assertThat(held).allMatch(v -> !v.persistentVolume().equals("pv-nfs"));
  }

  @Test
  void anOptedOutNamespaceSkipsItsVolumes() {
    Inventory inventory =
        new Inventory(
            List.of(LOST),
            List.of(pod("keep", "db-0", "StatefulSet", "db", "data")),
            List.of(claim("keep", "data", "pv-keep", Map.of())),
            List.of(hcloud("pv-keep", "100009", "keep", "data")),
            List.of(),
            Map.of("keep", Map.of("lifeboat.dev/failover", "disabled")));

    assertThat(inventory.heldBy(LOST).get(0).skipped())
        .isEqualTo("namespace keep has lifeboat.dev/failover: disabled");
  }

  @Test
  void eligibleNodesAreHealthyWithAKnownServerInTheLocationAndRoomForAVolume() {
    NodeFacts full = node("worker-3", "hcloud://4203", "fsn1");
    NodeFacts free = node("worker-4", "hcloud://4204", "fsn1");
    NodeFacts noProvider = node("worker-5", null, "fsn1");
    NodeFacts elsewhere = node("worker-6", "hcloud://4206", "nbg1");
    NodeFacts cordoned =
        new NodeFacts(
            "worker-7",
            "uid-7",
            "hcloud://4207",
            Map.of(NodeFacts.CSI_LOCATION_LABEL, "fsn1"),
            Map.of(),
            "True",
            Instant.EPOCH,
            true,
            List.of());
    List<AttachmentFacts> sixteen = new ArrayList<>();
    for (int i = 0; i < Inventory.MAX_VOLUMES_PER_SERVER; i++) {
      sixteen.add(
          new AttachmentFacts("va-" + i, ClusterFacts.HCLOUD_DRIVER, "pv-" + i, "worker-3"));
    }
    Inventory inventory =
        new Inventory(
            List.of(LOST, full, free, noProvider, elsewhere, cordoned),
            List.of(),
            List.of(),
            List.of(),
            sixteen,
            Map.of());

    Map<String, List<EligibleNode>> eligible =
        inventory.eligible(LOST, List.of("fsn1", "hel1"), node -> true);

    assertThat(eligible.get("fsn1")).containsExactly(new EligibleNode("worker-4", 4204, "fsn1"));
    assertThat(eligible.get("hel1")).isEmpty();
    assertThat(noProvider.serverId()).isEmpty();
  }

  @Test
  void theDoctorsViewHoldsEveryNodeAndTheHetznerDriversVolumesWithWhatTheDoctorCompares() {
    Instant now = Instant.parse("2026-12-03T10:00:00Z");
    Instant scheduled = now.minusSeconds(400);
    NodeFacts cordoned =
        new NodeFacts(
            "worker-3",
            "uid-3",
            "hcloud://4203",
            Map.of(NodeFacts.CSI_LOCATION_LABEL, "fsn1"),
            Map.of("keep-out", "yes"),
            "True",
            Instant.EPOCH,
            true,
            List.of());
    NodeFacts tainted =
        new NodeFacts(
            "worker-4",
            "uid-4",
            null,
            Map.of(),
            Map.of(),
            "False",
            Instant.EPOCH,
            false,
            List.of(new NodeFacts.Taint("node.kubernetes.io/unreachable", "NoExecute")));
    Inventory inventory =
        new Inventory(
            List.of(LOST, cordoned, tainted),
            List.of(
                new PodFacts(
                    "shop",
                    "db-0",
                    "uid-db-0",
                    "worker-3",
                    "StatefulSet",
                    "db",
                    List.of("data-db-0"),
                    false,
                    false,
                    scheduled,
                    "ContainerCreating"),
                new PodFacts(
                    "shop",
                    "cache-0",
                    "uid-cache-0",
                    "worker-2",
                    "StatefulSet",
                    "cache",
                    List.of("scratch"),
                    true,
                    false,
                    scheduled,
                    null)),
            List.of(
                claim("shop", "data-db-0", "pv-db", Map.of()),
                claim("shop", "scratch", "pv-nfs", Map.of())),
            List.of(
                new VolumeFacts(
                    "pv-db",
                    ClusterFacts.HCLOUD_DRIVER,
                    "100001",
                    "fsn1",
                    "shop",
                    "data-db-0",
                    "Delete"),
                new VolumeFacts("pv-nfs", "nfs.csi.k8s.io", "srv/share", null, "shop", "scratch"),
                new VolumeFacts(
                    "pv-free", ClusterFacts.HCLOUD_DRIVER, "100002", "fsn1", null, null, "Retain")),
            List.of(
                new AttachmentFacts(
                    "va-db", ClusterFacts.HCLOUD_DRIVER, "pv-db", "worker-2", true, scheduled),
                new AttachmentFacts("va-nfs", "nfs.csi.k8s.io", "pv-nfs", "worker-2", true, now)),
            Map.of());

    ClusterSnapshot snapshot =
        inventory.snapshot(now, new NodeSelector(Map.of(), Map.of("keep-out", "yes")));

    assertThat(snapshot.takenAt()).isEqualTo(now);
    assertThat(snapshot.nodes())
        .containsExactly(
            new ClusterSnapshot.Node("worker-2", 4202L, "fsn1", true, null, null, 1),
            new ClusterSnapshot.Node(
                "worker-3", 4203L, "fsn1", true, "cordoned", Inventory.EXCLUDED, 0),
            new ClusterSnapshot.Node(
                "worker-4",
                null,
                null,
                false,
                "taint node.kubernetes.io/unreachable:NoExecute",
                null,
                0));
    assertThat(snapshot.volumes())
        .containsExactly(
            new ClusterSnapshot.Volume(
                "pv-db", 100001, "fsn1", "Delete", "shop/data-db-0", "shop/db"),
            new ClusterSnapshot.Volume("pv-free", 100002, "fsn1", "Retain", null, null));
    assertThat(snapshot.attachments())
        .containsExactly(
            new ClusterSnapshot.Attachment("va-db", "pv-db", "worker-2", true, scheduled));
    assertThat(snapshot.pods())
        .containsExactly(
            new ClusterSnapshot.Pod(
                "shop",
                "db-0",
                "worker-3",
                scheduled,
                false,
                "ContainerCreating",
                List.of("pv-db")));
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static NodeFacts node(String name, String providerId, String location) {
    return new NodeFacts(
        name,
        "uid-" + name,
        providerId,
        Map.of(NodeFacts.CSI_LOCATION_LABEL, location),
        Map.of(),
        "True",
        Instant.EPOCH,
        false,
        List.of());
  }

  private static PodFacts pod(
      String namespace, String name, String ownerKind, String ownerName, String claim) {
    return new PodFacts(
        namespace,
        name,
        "uid-" + name,
        "worker-2",
        ownerKind,
        ownerName,
        List.of(claim),
        false,
        false,
        null,
        null);
  }

  private static ClaimFacts claim(
      String namespace, String name, String volume, Map<String, String> annotations) {
    return new ClaimFacts(namespace, name, volume, annotations);
  }

  private static VolumeFacts hcloud(String pv, String handle, String namespace, String claim) {
    return new VolumeFacts(pv, ClusterFacts.HCLOUD_DRIVER, handle, "fsn1", namespace, claim);
  }
}
