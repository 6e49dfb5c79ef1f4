package dev.lifeboat.events.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import dev.lifeboat.events.EventType;
import dev.lifeboat.events.Require;
import dev.lifeboat.events.node.PodRef;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A planned removal: evict pods of the node through the Eviction API (graceful; a
 * PodDisruptionBudget may refuse, and is then asked again with back-off) and report once every one
 * is gone from the node, its kubelet having unmounted its volumes; fail after {@code timeout}, with
 * {@code EVICTION_BLOCKED} naming the budget that refused, or {@code TIMEOUT}. A pod whose UID no
 * longer matches (it was replaced) counts as gone.
 *
 * @param pods the pods to evict; empty with {@code wholeNode}
 * @param wholeNode evict every pod of the node but those of DaemonSets and static (mirror) pods:
 *     the drain before the server goes
 * @param notAfter when the saga stops waiting for this command: node-watcher neither starts nor
 *     goes on with it after that (null: no deadline)
 */
@EventType(name = "lifeboat.cluster.evict-pods", version = 1)
public record EvictPods(
    String messageId,
    String incidentId,
    Instant occurredAt,
    String commandId,
    String nodeName,
    List<PodRef> pods,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) @JsonSetter(nulls = Nulls.AS_EMPTY)
        boolean wholeNode,
    Duration timeout,
    @JsonInclude(JsonInclude.Include.NON_NULL) Instant notAfter)
    implements ClusterCommand {
  public EvictPods {
    Require.envelope(messageId, incidentId, occurredAt, commandId);
    Require.text(nodeName, "nodeName");
    pods = Require.list(pods);
    Require.present(timeout, "timeout");
    if (wholeNode && !pods.isEmpty()) {
      throw new IllegalArgumentException("pods must be empty when wholeNode is set");
    }
  }
}
