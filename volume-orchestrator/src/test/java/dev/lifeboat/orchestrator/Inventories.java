package dev.lifeboat.orchestrator;

import dev.lifeboat.events.IncidentId;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.node.ClaimRef;
import dev.lifeboat.events.node.EligibleNode;
import dev.lifeboat.events.node.GoneReason;
import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.node.NodeRef;
import dev.lifeboat.events.node.PodRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** NodeGone messages as node-watcher sends them, for the orchestrator's tests. */
public final class Inventories {

  private Inventories() {}

  /**
   * Node {@code name} (server 4202, fsn1) gone with volume 100001 used by StatefulSet pod db-0, and
   * worker-3 (server 4203) able to take it.
   */
  public static NodeGone oneVolume(String name, int knownNodes, Instant at) {
    return withVolumes(name, 1, knownNodes, at);
  }

  /**
   * Node {@code name} (server 4202, fsn1) gone with volumes 100001, 100002, … used by StatefulSet
   * pods db-0, db-1, …, and worker-3 (server 4203) able to take them.
   */
  public static NodeGone withVolumes(String name, int volumes, int knownNodes, Instant at) {
    NodeRef node = new NodeRef(name, "uid-" + name, 4202, "fsn1");
    return new NodeGone(
        MessageIds.random(),
        IncidentId.forNode(node.name(), node.uid()),
        at,
        node,
        GoneReason.LEASE_EXPIRED,
        IntStream.range(0, volumes)
            .mapToObj(
                n ->
                    new HeldVolume(
                        100001 + n,
                        "pv-" + (n + 1),
                        new ClaimRef("shop", "data-db-" + n),
                        "fsn1",
                        List.of(new PodRef("shop", "db-" + n, "uid-db-" + n, "StatefulSet", "db"))))
            .toList(),
        Map.of("fsn1", List.of(new EligibleNode("worker-3", 4203, "fsn1"))),
        Map.of(),
        knownNodes);
  }
}
