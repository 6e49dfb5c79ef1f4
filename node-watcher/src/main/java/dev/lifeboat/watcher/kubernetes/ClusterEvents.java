package dev.lifeboat.watcher.kubernetes;

import dev.lifeboat.events.node.PodRef;
import dev.lifeboat.watcher.domain.NodeFacts;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Kubernetes Events on the Nodes, Pods and PersistentVolumeClaims Lifeboat decides about or acts
 * on, so that {@code kubectl describe} tells the story where people look first. An Event names its
 * object with the object's UID (as {@code kubectl describe} selects them). An Event that cannot be
 * written is logged and otherwise ignored: it only explains.
 */
@ApplicationScoped
public class ClusterEvents {

  private static final Logger LOG = Logger.getLogger(ClusterEvents.class);

  /** The component Lifeboat's Events name as their source. */
  public static final String COMPONENT = "lifeboat-node-watcher";

  /** The two types of Event Kubernetes knows. */
  public enum Type {
    Normal,
    Warning
  }

  private final KubernetesClient client;
  private final ClusterCache cache;
  private final Clock clock;

  ClusterEvents(KubernetesClient client, ClusterCache cache, Clock clock) {
    this.client = client;
    this.cache = cache;
    this.clock = clock;
  }

  /** A Warning Event on the node, in {@code default} (where a Node's Events are listed). */
  public void warn(NodeFacts node, String reason, String message) {
    onNode(node, Type.Warning, reason, message);
  }

  /** An Event on the node, in {@code default}. */
  public void onNode(NodeFacts node, Type type, String reason, String message) {
    write(
        "default",
        new ObjectReferenceBuilder()
            .withApiVersion("v1")
            .withKind("Node")
            .withName(node.name())
            .withUid(node.uid())
            .build(),
        type,
        reason,
        message);
  }

  /** An Event on the pod (the one of that UID), in its namespace. */
  public void onPod(PodRef pod, Type type, String reason, String message) {
    write(
        pod.namespace(),
        new ObjectReferenceBuilder()
            .withApiVersion("v1")
            .withKind("Pod")
            .withNamespace(pod.namespace())
            .withName(pod.name())
            .withUid(pod.uid())
            .build(),
        type,
        reason,
        message);
  }

  /** An Event on the claim, in its namespace; none when the claim is not (or no longer) there. */
  public void onClaim(String namespace, String name, Type type, String reason, String message) {
    Optional<PersistentVolumeClaim> claim = cache.claim(namespace, name);
    if (claim.isEmpty()) {
      LOG.debugf("event %s not written: claim %s/%s not found", reason, namespace, name);
      return;
    }
    write(
        namespace,
        new ObjectReferenceBuilder()
            .withApiVersion("v1")
            .withKind("PersistentVolumeClaim")
            .withNamespace(namespace)
            .withName(name)
            .withUid(claim.get().getMetadata().getUid())
            .build(),
        type,
        reason,
        message);
  }

  private void write(
      String namespace, ObjectReference involved, Type type, String reason, String message) {
    String now = clock.instant().toString();
    try {
      client
          .v1()
          .events()
          .inNamespace(namespace)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(
                      involved.getName()
                          + "."
                          + reason.toLowerCase(Locale.ROOT)
                          + "."
                          + UUID.randomUUID().toString().substring(0, 8))
                  .withNamespace(namespace)
                  .endMetadata()
                  .withInvolvedObject(involved)
                  .withType(type.name())
                  .withReason(reason)
                  .withMessage(message)
                  .withNewSource()
                  .withComponent(COMPONENT)
                  .endSource()
                  .withReportingComponent(COMPONENT)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      LOG.warnf(
          "event %s on %s %s not written: %s",
          reason, involved.getKind(), involved.getName(), e.getMessage());
    }
  }
}
