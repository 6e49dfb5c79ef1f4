package dev.lifeboat.watcher.kubernetes;

import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.cluster.AwaitPodReady;
import dev.lifeboat.events.cluster.ClusterCommand;
import dev.lifeboat.events.cluster.ClusterCommandFailed;
import dev.lifeboat.events.cluster.ClusterCommandSucceeded;
import dev.lifeboat.events.cluster.ClusterResult;
import dev.lifeboat.events.cluster.CordonNode;
import dev.lifeboat.events.cluster.DeleteNode;
import dev.lifeboat.events.cluster.DeleteVolumeAttachments;
import dev.lifeboat.events.cluster.ForceDeletePods;
import dev.lifeboat.events.cluster.RemoveOutOfServiceTaint;
import dev.lifeboat.events.cluster.RequeueVolumeAttachment;
import dev.lifeboat.events.cluster.TaintNodeOutOfService;
import dev.lifeboat.events.node.PodRef;
import dev.lifeboat.watcher.domain.NodeFacts;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * The cluster commands that change something: each compares what it finds with what is asked and
 * acts only on the difference, so a repeated command does no harm and reports the same outcome.
 */
@ApplicationScoped
public class ClusterActions {

  /** Annotation touched on a VolumeAttachment to make the CSI attacher look at it again. */
  public static final String REQUEUE_ANNOTATION = "lifeboat.dev/requeued-at";

  private final KubernetesClient client;
  private final ClusterCache cache;
  private final Clock clock;

  ClusterActions(KubernetesClient client, ClusterCache cache, Clock clock) {
    this.client = client;
    this.cache = cache;
    this.clock = clock;
  }

  /** Carries out a command that changes the cluster and says how it went. */
  public ClusterResult run(ClusterCommand command) {
    try {
      if (command instanceof CordonNode cordon) {
        return cordon(cordon);
      }
      if (command instanceof TaintNodeOutOfService taint) {
        return taint(taint, taint.nodeName(), true);
      }
      if (command instanceof RemoveOutOfServiceTaint untaint) {
        return taint(untaint, untaint.nodeName(), false);
      }
      if (command instanceof ForceDeletePods delete) {
        return forceDelete(delete);
      }
      if (command instanceof DeleteVolumeAttachments delete) {
        return deleteAttachments(delete);
      }
      if (command instanceof RequeueVolumeAttachment requeue) {
        return requeue(requeue);
      }
      if (command instanceof DeleteNode delete) {
        return deleteNode(delete);
      }
      throw new IllegalArgumentException("not a changing command: " + command);
    } catch (KubernetesClientException e) {
      return apiFailure(command, e);
    }
  }

  /** The command's failure for an error of the Kubernetes API: retryable unless refused. */
  private ClusterResult apiFailure(ClusterCommand command, KubernetesClientException e) {
    boolean retryable = e.getCode() == 0 || e.getCode() == 409 || e.getCode() >= 500;
    return failed(
        command,
        clock.instant(),
        e.getCode() == 403 ? "FORBIDDEN" : e.getCode() == 409 ? "CONFLICT" : "API_ERROR",
        "Kubernetes API: " + e.getMessage(),
        retryable);
  }

  /**
   * Sets {@code spec.unschedulable} as asked. "Already done" tells the saga that someone else had
   * cordoned the node, so that it never uncordons what it did not cordon.
   */
  private ClusterResult cordon(CordonNode command) {
    String nodeName = command.nodeName();
    Node node = client.nodes().withName(nodeName).get();
    if (node == null) {
      return succeeded(command, true, "node " + nodeName + " no longer exists");
    }
    boolean wanted = command.unschedulable();
    if (Boolean.TRUE.equals(node.getSpec().getUnschedulable()) == wanted) {
      return succeeded(
          command, true, "node " + nodeName + (wanted ? " was already" : " is not") + " cordoned");
    }
    client
        .nodes()
        .withName(nodeName)
        .edit(
            n -> {
              n.getSpec().setUnschedulable(wanted ? Boolean.TRUE : null);
              return n;
            });
    return succeeded(command, false, (wanted ? "cordoned " : "uncordoned ") + nodeName);
  }

  /**
   * Deletes the Node object of a removed node whose server is gone; a Node of the same name with
   * another UID is a new node, left alone.
   */
  private ClusterResult deleteNode(DeleteNode command) {
    String nodeName = command.nodeName();
    Node node = client.nodes().withName(nodeName).get();
    if (node == null) {
      return succeeded(command, true, "node " + nodeName + " no longer exists");
    }
    if (!command.nodeUid().equals(node.getMetadata().getUid())) {
      return succeeded(
          command,
          true,
          "node "
              + nodeName
              + " is another Node object now (UID "
              + node.getMetadata().getUid()
              + "): left alone");
    }
    client.nodes().withName(nodeName).delete();
    return succeeded(command, false, "deleted Node " + nodeName);
  }

  /**
   * The taint, tried again (read anew) when another writer changed the Node between the read and
   * the write (409 Conflict): the node lifecycle controller taints a silent node at about the
   * moment Lifeboat does, and a conflict is no reason to fail the step.
   */
  private ClusterResult taint(ClusterCommand command, String nodeName, boolean wanted) {
    for (int attempt = 1; ; attempt++) {
      try {
        return taintOnce(command, nodeName, wanted);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }

  private ClusterResult taintOnce(ClusterCommand command, String nodeName, boolean wanted) {
    Node node = client.nodes().withName(nodeName).get();
    if (node == null) {
      return succeeded(command, true, "node " + nodeName + " no longer exists");
    }
    boolean present =
        node.getSpec().getTaints() != null
            && node.getSpec().getTaints().stream()
                .anyMatch(t -> NodeFacts.OUT_OF_SERVICE_TAINT.equals(t.getKey()));
    if (present == wanted) {
      return succeeded(
          command,
          true,
          "node " + nodeName + (wanted ? " already carries" : " does not carry") + " the taint");
    }
    client
        .nodes()
        .withName(nodeName)
        .edit(
            n -> {
              List<Taint> taints =
                  n.getSpec().getTaints() == null
                      ? new ArrayList<>()
                      : new ArrayList<>(n.getSpec().getTaints());
              taints.removeIf(t -> NodeFacts.OUT_OF_SERVICE_TAINT.equals(t.getKey()));
              if (wanted) {
                taints.add(
                    new TaintBuilder()
                        .withKey(NodeFacts.OUT_OF_SERVICE_TAINT)
                        .withValue("nodeshutdown")
                        .withEffect("NoExecute")
                        .build());
              }
              n.getSpec().setTaints(taints);
              return n;
            });
    return succeeded(
        command,
        false,
        (wanted ? "tainted " : "untainted ")
            + nodeName
            + " "
            + NodeFacts.OUT_OF_SERVICE_TAINT
            + "=nodeshutdown:NoExecute");
  }

  private ClusterResult forceDelete(ForceDeletePods command) {
    PodDeletions pods = forceDelete(command.pods(), command.nodeName());
    return succeeded(command, pods.deleted() == 0, pods.said());
  }

  /** What a force deletion did: how many pods it deleted, and which were gone already. */
  private record PodDeletions(int deleted, List<String> left) {
    String said() {
      return "force-deleted "
          + deleted
          + " pod(s)"
          + (left.isEmpty() ? "" : "; already gone: " + left);
    }
  }

  /**
   * Force-deletes (grace period 0) these pods, each only while the API server has it, with its UID,
   * on this node; an error of the API stops it there and is thrown.
   */
  private PodDeletions forceDelete(List<PodRef> refs, String nodeName) {
    int deleted = 0;
    List<String> left = new ArrayList<>();
    for (PodRef ref : refs) {
      Pod pod = client.pods().inNamespace(ref.namespace()).withName(ref.name()).get();
      if (pod == null
          || !ref.uid().equals(pod.getMetadata().getUid())
          || !nodeName.equals(pod.getSpec().getNodeName())) {
        // Gone already, or replaced by a pod of the same name elsewhere: not ours to delete.
        left.add(ref.name());
        continue;
      }
      client.pods().inNamespace(ref.namespace()).withName(ref.name()).withGracePeriod(0).delete();
      deleted++;
    }
    return new PodDeletions(deleted, left);
  }

  /**
   * Deletes a replacement pod stranded on a node that cannot run it, so that its controller makes
   * it again and the scheduler places it elsewhere. Its volume is attached nowhere while the saga
   * waits for the pod (the step after the detach), so nothing of it runs there. Only the pod of
   * this UID, on that node, is deleted: a pod of the same name made since is left alone.
   *
   * @return empty when it was deleted, else why not (the API server shows another pod)
   */
  public Optional<String> deleteStranded(PodRef ref, String nodeName) {
    Pod pod = client.pods().inNamespace(ref.namespace()).withName(ref.name()).get();
    if (pod == null) {
      return Optional.of("it is gone already");
    }
    if (!ref.uid().equals(pod.getMetadata().getUid())) {
      return Optional.of(
          "the API server has another pod of that name (uid "
              + pod.getMetadata().getUid()
              + ", node "
              + pod.getSpec().getNodeName()
              + ")");
    }
    if (!nodeName.equals(pod.getSpec().getNodeName())) {
      return Optional.of("it is bound to node " + pod.getSpec().getNodeName() + " now");
    }
    client.pods().inNamespace(ref.namespace()).withName(ref.name()).withGracePeriod(0).delete();
    return Optional.empty();
  }

  /**
   * Force-deletes the pods to delete first, then deletes the attachments: in one command, so that a
   * release costs one round trip; the attachments stay when a pod's deletion failed (the API's
   * error is the command's result; a retry sends the whole command again).
   */
  private ClusterResult deleteAttachments(DeleteVolumeAttachments command) {
    PodDeletions pods = forceDelete(command.forceDeleteFirst(), command.nodeName());
    int deleted = 0;
    for (VolumeAttachment va : attachments(command.nodeName(), command.persistentVolumes())) {
      String name = va.getMetadata().getName();
      if (va.getMetadata().getFinalizers() != null && !va.getMetadata().getFinalizers().isEmpty()) {
        // The saga detached the volume at Hetzner before this step, which is what the
        // attacher's finalizer waits for; on a dead node nothing else will remove it.
        client
            .storage()
            .v1()
            .volumeAttachments()
            .withName(name)
            .edit(
                v -> {
                  v.getMetadata().setFinalizers(new ArrayList<>());
                  return v;
                });
      }
      client.storage().v1().volumeAttachments().withName(name).delete();
      deleted++;
    }
    String attachments =
        deleted == 0
            ? "no VolumeAttachment of " + command.persistentVolumes() + " on " + command.nodeName()
            : "deleted " + deleted + " VolumeAttachment(s) on " + command.nodeName();
    return succeeded(
        command,
        deleted == 0 && pods.deleted() == 0,
        command.forceDeleteFirst().isEmpty() ? attachments : pods.said() + "; " + attachments);
  }

  private ClusterResult requeue(RequeueVolumeAttachment command) {
    int touched = touch(command.nodeName(), command.persistentVolume());
    if (touched == 0) {
      return succeeded(
          command,
          true,
          "no VolumeAttachment of " + command.persistentVolume() + " on " + command.nodeName());
    }
    return succeeded(command, false, "touched " + touched + " VolumeAttachment(s)");
  }

  /**
   * Touches the VolumeAttachment a wait for a pod asks to be touched first, before the wait: empty
   * when that went through (or none was asked for), else the command's failure.
   */
  public Optional<ClusterResult> requeueFirst(AwaitPodReady command) {
    if (command.requeueFirst() == null) {
      return Optional.empty();
    }
    try {
      touch(command.nodeName(), command.requeueFirst());
      return Optional.empty();
    } catch (KubernetesClientException e) {
      return Optional.of(apiFailure(command, e));
    }
  }

  /**
   * Annotates the VolumeAttachments of this volume on this node, so that the CSI attacher looks at
   * them again at once instead of after its back-off; returns how many there were.
   */
  private int touch(String nodeName, String persistentVolume) {
    List<VolumeAttachment> found = attachments(nodeName, List.of(persistentVolume));
    String now = clock.instant().toString();
    for (VolumeAttachment va : found) {
      client
          .storage()
          .v1()
          .volumeAttachments()
          .withName(va.getMetadata().getName())
          .edit(
              v -> {
                if (v.getMetadata().getAnnotations() == null) {
                  v.getMetadata().setAnnotations(new LinkedHashMap<>());
                }
                v.getMetadata().getAnnotations().put(REQUEUE_ANNOTATION, now);
                return v;
              });
    }
    return found.size();
  }

  private List<VolumeAttachment> attachments(String nodeName, List<String> persistentVolumes) {
    return cache.volumeAttachments().stream()
        .filter(va -> nodeName.equals(va.getSpec().getNodeName()))
        .filter(
            va ->
                va.getSpec().getSource() != null
                    && persistentVolumes.contains(
                        va.getSpec().getSource().getPersistentVolumeName()))
        .toList();
  }

  private ClusterCommandSucceeded succeeded(
      ClusterCommand command, boolean alreadyDone, String detail) {
    return new ClusterCommandSucceeded(
        MessageIds.random(),
        command.incidentId(),
        clock.instant(),
        command.commandId(),
        alreadyDone,
        detail);
  }

  /** A failure result of the command, at that moment. */
  public static ClusterCommandFailed failed(
      ClusterCommand command, Instant at, String code, String message, boolean retryable) {
    return new ClusterCommandFailed(
        MessageIds.random(),
        command.incidentId(),
        at,
        command.commandId(),
        code,
        message,
        retryable);
  }
}
