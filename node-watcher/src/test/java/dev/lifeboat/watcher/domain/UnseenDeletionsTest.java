package dev.lifeboat.watcher.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.events.inventory.NodeInventory;
import dev.lifeboat.events.node.ClaimRef;
import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.NodeRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which nodes of the last reports were deleted while no watcher watched. */
class UnseenDeletionsTest {

  private static final Instant T0 = Instant.parse("2026-12-03T02:00:00Z");

  @Test
  void aNodeReportedPresentAndAbsentNowIsDeletedUnseenButNotOneHandledOrLeftAlone() {
    NodeInventory stays = report("worker-1", false, null, null, null);
    NodeInventory vanished = report("worker-2", false, null, null, null);
    NodeInventory markedDeleted = report("worker-3", true, null, null, null);
    NodeInventory declared = report("worker-4", false, "worker-4-1a2b3c4d5e6f", null, null);
    NodeInventory removed = report("worker-5", false, null, "delete", null);
    NodeInventory excluded = report("worker-6", false, null, null, "control-plane");
    NodeFacts present =
        new NodeFacts(
            "worker-1",
            "uid-worker-1",
            "hcloud://4301",
            Map.of(),
            Map.of(),
            "True",
            T0,
            false,
            List.of());

    List<NodeFacts> found =
        UnseenDeletions.find(
            List.of(stays, vanished, markedDeleted, declared, removed, excluded), List.of(present));

    assertThat(found).extracting(NodeFacts::name).containsExactly("worker-2");
    assertThat(found.get(0).ref())
        .as("the node as its last report named it: the same incident as a deletion seen")
        .isEqualTo(vanished.node());
    assertThat(found.get(0).serverId()).contains(4302L);
  }

  @Test
  void theLocationOfTheReportIsKeptWhenItsLabelsDoNotSayIt() {
    NodeInventory vanished = report("worker-2", false, null, null, null);

    NodeFacts facts = UnseenDeletions.facts(vanished);

    assertThat(facts.location()).contains("nbg1");
    assertThat(facts.isReady()).isTrue();
    assertThat(facts.unschedulable()).isFalse();
  }

  private static NodeInventory report(
      String name, boolean deleted, String declaredGone, String removal, String excludedBecause) {
    long server = 4300 + Long.parseLong(name.substring(name.length() - 1));
    NodeRef ref = new NodeRef(name, "uid-" + name, server, "nbg1");
    return new NodeInventory(
        "m-" + name,
        name,
        T0,
        ref,
        deleted,
        true,
        true,
        excludedBecause,
        removal,
        declaredGone,
        List.of(
            new HeldVolume(
                server * 10,
                "pv-" + name,
                new ClaimRef("shop", "data-" + name),
                "nbg1",
                List.of(),
                null)),
        Map.of(),
        Map.of(),
        6);
  }
}
