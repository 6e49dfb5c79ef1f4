package dev.lifeboat.watcher.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.events.node.ServerDisposal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The removal annotation, seen, changed, taken off, or not understood. */
class RemovalRequestsTest {

  private static final Instant T0 = Instant.parse("2026-12-03T02:00:00Z");

  private final RemovalRequests requests =
      new RemovalRequests(
          new NodeSelector(
              Map.of("node-role.kubernetes.io/control-plane", "true"),
              Map.of("lifeboat.dev/exclude", "true")));

  @Test
  void eachValueSeenIsOneDecisionAndAValueTakenOffIsAWithdrawal() {
    NodeFacts plain = node("worker-1", Map.of(), Map.of());
    NodeFacts annotated =
        node("worker-1", Map.of(), Map.of(RemovalRequests.ANNOTATION, " Delete "));

    assertThat(requests.evaluate(List.of(plain))).isEmpty();
    assertThat(requests.evaluate(List.of(annotated)))
        .singleElement()
        .isEqualTo(new RemovalRequests.Remove(annotated, ServerDisposal.DELETE));
    assertThat(requests.evaluate(List.of(annotated))).as("seen already").isEmpty();
    NodeFacts keep = node("worker-1", Map.of(), Map.of(RemovalRequests.ANNOTATION, "keep"));
    assertThat(requests.evaluate(List.of(keep)))
        .singleElement()
        .isEqualTo(new RemovalRequests.Remove(keep, ServerDisposal.KEEP));
    assertThat(requests.evaluate(List.of(plain)))
        .singleElement()
        .isEqualTo(new RemovalRequests.Withdraw(plain));
    assertThat(requests.evaluate(List.of(plain))).isEmpty();
  }

  @Test
  void aValueThatIsNotOneOfTheThreeIsRefusedNamingTheAllowedOnesAndTakingItOffWithdrawsNothing() {
    NodeFacts wrong = node("worker-2", Map.of(), Map.of(RemovalRequests.ANNOTATION, "yes"));

    assertThat(requests.evaluate(List.of(wrong)))
        .singleElement()
        .isInstanceOfSatisfying(
            RemovalRequests.Refuse.class,
            refuse ->
                assertThat(refuse.why())
                    .contains("lifeboat.dev/remove=yes")
                    .contains("delete, poweroff, keep"));
    assertThat(requests.evaluate(List.of(node("worker-2", Map.of(), Map.of())))).isEmpty();
  }

  @Test
  void aControlPlaneOrExcludedNodeIsRefused() {
    NodeFacts master =
        node(
            "master-1",
            Map.of("node-role.kubernetes.io/control-plane", "true"),
            Map.of(RemovalRequests.ANNOTATION, "delete"));
    NodeFacts excluded =
        node(
            "worker-3",
            Map.of(),
            Map.of(RemovalRequests.ANNOTATION, "delete", "lifeboat.dev/exclude", "true"));

    assertThat(requests.evaluate(List.of(master, excluded)))
        .hasSize(2)
        .allSatisfy(
            decision ->
                assertThat(decision)
                    .isInstanceOfSatisfying(
                        RemovalRequests.Refuse.class,
                        refuse -> assertThat(refuse.why()).contains("excluded from Lifeboat")));
  }

  @Test
  void aNewLeaderAsksAgainForEveryAnnotatedNode() {
    NodeFacts annotated =
        node("worker-4", Map.of(), Map.of(RemovalRequests.ANNOTATION, "poweroff"));
    requests.evaluate(List.of(annotated));

    RemovalRequests next = new RemovalRequests(new NodeSelector(Map.of(), Map.of()));

    assertThat(next.evaluate(List.of(annotated)))
        .singleElement()
        .isEqualTo(new RemovalRequests.Remove(annotated, ServerDisposal.POWEROFF));
  }

  private static NodeFacts node(
      String name, Map<String, String> labels, Map<String, String> annotations) {
    return new NodeFacts(
        name,
        "uid-" + name,
        "hcloud://4202",
        labels,
        new HashMap<>(annotations),
        "True",
        T0,
        false,
        List.of());
  }
}
