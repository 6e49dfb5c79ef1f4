package dev.lifeboat.watcher.kubernetes;

import dev.lifeboat.watcher.domain.NodeFacts;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Locale;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Kubernetes Events on Nodes, so that {@code kubectl describe node} tells what Lifeboat decided
 * about them. An Event that cannot be written is logged and otherwise ignored: it only explains.
 */
@ApplicationScoped
public class NodeEvents {

  private static final Logger LOG = Logger.getLogger(NodeEvents.class);

  /** The component Lifeboat's Events name as their source. */
  public static final String COMPONENT = "lifeboat-node-watcher";

  private final KubernetesClient client;
  private final Clock clock;

  NodeEvents(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** A Warning Event on the node, in {@code default} (where a Node's Events are listed). */
  public void warn(NodeFacts node, String reason, String message) {
    String now = clock.instant().toString();
    try {
      client
          .v1()
          .events()
          .inNamespace("default")
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(
                      node.name()
                          + "."
                          + reason.toLowerCase(Locale.ROOT)
                          + "."
                          + UUID.randomUUID().toString().substring(0, 8))
                  .withNamespace("default")
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion("v1")
                  .withKind("Node")
                  .withName(node.name())
                  .withUid(node.uid())
                  .endInvolvedObject()
                  .withType("Warning")
                  .withReason(reason)
                  .withMessage(message)
                  .withNewSource()
                  .withComponent(COMPONENT)
                  .endSource()
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      LOG.warnf("event %s on node %s not written: %s", reason, node.name(), e.getMessage());
    }
  }
}
