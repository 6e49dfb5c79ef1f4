package dev.lifeboat.watcher.kubernetes;

import dev.lifeboat.events.cluster.AwaitReplacementPod;
import dev.lifeboat.events.cluster.ClusterCommand;
import dev.lifeboat.events.cluster.ClusterCommandSucceeded;
import dev.lifeboat.events.cluster.ClusterResult;
import dev.lifeboat.events.cluster.DeleteVolumeAttachments;
import dev.lifeboat.events.cluster.ForceDeletePods;
import dev.lifeboat.events.cluster.PodReady;
import dev.lifeboat.events.cluster.ReplacementPodScheduled;
import dev.lifeboat.events.cluster.TaintNodeOutOfService;
import dev.lifeboat.events.node.PodRef;
import dev.lifeboat.watcher.domain.ClusterFacts.PodFacts;
import dev.lifeboat.watcher.kubernetes.ClusterEvents.Type;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Tells in Kubernetes Events what each cluster command did to the objects people look at: the lost
 * Node tainted, each Pod force-deleted or evicted, each PersistentVolumeClaim whose volume was
 * released, moved and in use again. Each Event names the incident, whose timeline the audit service
 * shows. Events are written after the result is sent, on a thread of their own, so that they never
 * delay a saga.
 */
@ApplicationScoped
public class CommandEvents {

  private static final Logger LOG = Logger.getLogger(CommandEvents.class);

  private final ClusterEvents events;
  private final ClusterCache cache;
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "command-events"));

  CommandEvents(ClusterEvents events, ClusterCache cache) {
    this.events = events;
    this.cache = cache;
  }

  void stop(@Observes ShutdownEvent shutdown) {
    thread.shutdown();
  }

  /** Tells what the command did, if it changed something worth telling. */
  public void told(ClusterCommand command, ClusterResult result) {
    later(() -> tell(command, result));
  }

  /** A pod's eviction for a planned removal was accepted. */
  public void evicted(PodRef pod, String nodeName, String incidentId) {
    later(
        () ->
            events.onPod(
                pod,
                Type.Normal,
                "LifeboatEvicted",
                "Lifeboat evicted this pod to empty node "
                    + nodeName
                    + " for its planned removal; its volumes follow it to the node it starts on"
                    + incident(incidentId)));
  }

  /** Writes the Events on this class's thread; none once the application stops. */
  private void later(Runnable events) {
    try {
      thread.execute(events);
    } catch (RuntimeException e) {
      LOG.debugf("events not written: %s", e.getMessage());
    }
  }

  /** A LifeboatForceDeleted Event on each of these pods. */
  private void forceDeleted(List<PodRef> pods, String nodeName, String incident) {
    for (PodRef pod : pods) {
      events.onPod(
          pod,
          Type.Warning,
          "LifeboatForceDeleted",
          "Node "
              + nodeName
              + " was lost and its server fenced: Lifeboat force-deleted this pod so that its"
              + " controller starts it on a healthy node"
              + incident);
    }
  }

  private void tell(ClusterCommand command, ClusterResult result) {
    String incident = incident(command.incidentId());
    if (result instanceof ClusterCommandSucceeded done && done.alreadyDone()) {
      return;
    }
    if (command instanceof TaintNodeOutOfService taint
        && result instanceof ClusterCommandSucceeded) {
      cache.nodes().stream()
          .filter(node -> node.name().equals(taint.nodeName()))
          .findFirst()
          .ifPresent(
              node ->
                  events.onNode(
                      node,
                      Type.Warning,
                      "LifeboatOutOfService",
                      "Lifeboat fenced this lost node's server and tainted the node"
                          + " out-of-service, so that its pods and volumes can start elsewhere"
                          + incident));
    } else if (command instanceof ForceDeletePods delete
        && result instanceof ClusterCommandSucceeded) {
      forceDeleted(delete.pods(), delete.nodeName(), incident);
    } else if (command instanceof DeleteVolumeAttachments delete
        && result instanceof ClusterCommandSucceeded) {
      forceDeleted(delete.forceDeleteFirst(), delete.nodeName(), incident);
      for (String pv : delete.persistentVolumes()) {
        claimOf(pv)
            .ifPresent(
                claim ->
                    events.onClaim(
                        claim.getNamespace(),
                        claim.getName(),
                        Type.Normal,
                        "LifeboatVolumeReleased",
                        "The Hetzner volume of this claim ("
                            + pv
                            + ") is detached from the server of lost node "
                            + delete.nodeName()
                            + " and its VolumeAttachment there deleted, so that it can be attached"
                            + " where its pod starts again"
                            + incident));
      }
    } else if (command instanceof AwaitReplacementPod await
        && result instanceof ReplacementPodScheduled scheduled) {
      String message =
          "Pod "
              + scheduled.pod().name()
              + " is scheduled on node "
              + scheduled.nodeName()
              + " (server "
              + scheduled.serverId()
              + ", "
              + scheduled.location()
              + "): Lifeboat attaches volume "
              + scheduled.volumeId()
              + " to that server"
              + incident;
      events.onClaim(
          await.claim().namespace(),
          await.claim().name(),
          Type.Normal,
          "LifeboatReplacementScheduled",
          message);
      events.onPod(scheduled.pod(), Type.Normal, "LifeboatReplacementScheduled", message);
    } else if (result instanceof PodReady ready) {
      String message =
          "Volume "
              + ready.volumeId()
              + " is attached to the server of node "
              + ready.nodeName()
              + " and pod "
              + ready.pod().name()
              + " is Ready there: Lifeboat's move of it is done"
              + incident;
      events.onPod(ready.pod(), Type.Normal, "LifeboatVolumeMoved", message);
      for (String claim : claimsOf(ready.pod())) {
        events.onClaim(ready.pod().namespace(), claim, Type.Normal, "LifeboatVolumeMoved", message);
      }
    }
  }

  private Optional<ObjectReference> claimOf(String persistentVolume) {
    return cache
        .persistentVolume(persistentVolume)
        .map(PersistentVolume::getSpec)
        .map(spec -> spec.getClaimRef());
  }

  private List<String> claimsOf(PodRef pod) {
    return cache.pods().stream()
        .filter(p -> p.uid().equals(pod.uid()))
        .findFirst()
        .map(PodFacts::claims)
        .orElse(List.of());
  }

  private static String incident(String incidentId) {
    return " (incident " + incidentId + ")";
  }
}
