package dev.lifeboat.watcher.domain;

import dev.lifeboat.events.node.ServerDisposal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The planned removals people ask for with the {@code lifeboat.dev/remove} annotation on a Node
 * ({@code delete}, {@code poweroff} or {@code keep}): each annotation seen, changed or taken off
 * becomes one decision, once per value. A new leader starts with nothing seen, so it asks again for
 * every annotated node; the orchestrator takes a removal asked twice as one.
 */
public final class RemovalRequests {

  /** The annotation that asks for a node's removal; its value says what becomes of the server. */
  public static final String ANNOTATION = "lifeboat.dev/remove";

  /** What to do about one node's annotation. */
  public sealed interface Decision {
    NodeFacts node();
  }

  /** Remove the node, then do this with its server. */
  public record Remove(NodeFacts node, ServerDisposal then) implements Decision {}

  /** The annotation cannot be followed: say why on the Node, and do nothing. */
  public record Refuse(NodeFacts node, String value, String why) implements Decision {}

  /** The annotation was taken off a node whose removal was asked for: cancel it. */
  public record Withdraw(NodeFacts node) implements Decision {}

  private final NodeSelector excluded;

  /** The annotation value last decided on, by node UID. */
  private final Map<String, String> seen = new HashMap<>();

  public RemovalRequests(NodeSelector excluded) {
    this.excluded = excluded;
  }

  /** The decisions for what changed since the last call. */
  public List<Decision> evaluate(List<NodeFacts> nodes) {
    List<Decision> decisions = new ArrayList<>();
    Set<String> present = new HashSet<>();
    for (NodeFacts node : nodes) {
      present.add(node.uid());
      String value = node.annotations().get(ANNOTATION);
      String before = seen.get(node.uid());
      if (value == null) {
        if (before != null) {
          seen.remove(node.uid());
          if (ServerDisposal.of(before).isPresent()) {
            decisions.add(new Withdraw(node));
          }
        }
        continue;
      }
      if (value.equals(before)) {
        continue;
      }
      seen.put(node.uid(), value);
      decisions.add(decide(node, value));
    }
    seen.keySet().retainAll(present);
    return decisions;
  }

  /**
   * Whether a node may take a removed node's volumes: its Lease is renewed in time, and it is not
   * being removed itself.
   */
  public static Predicate<NodeFacts> takesVolumes(
      DetectionRules rules, Map<String, Instant> leases, Instant now) {
    return candidate ->
        !rules.leaseOverdue(leases.get(candidate.name()), now)
            && !candidate.annotations().containsKey(ANNOTATION);
  }

  private Decision decide(NodeFacts node, String value) {
    var then = ServerDisposal.of(value);
    if (then.isEmpty()) {
      return new Refuse(
          node,
          value,
          ANNOTATION
              + "="
              + value
              + " is not understood: the value must be one of "
              + ServerDisposal.words()
              + "; nothing is done");
    }
    if (excluded.excludes(node)) {
      return new Refuse(
          node,
          value,
          "node "
              + node.name()
              + " is excluded from Lifeboat (a control-plane node, or it matches"
              + " lifeboat.watcher.exclude-*): it is not removed by Lifeboat");
    }
    return new Remove(node, then.get());
  }
}
