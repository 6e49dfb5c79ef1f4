package dev.lifeboat.clustersim.kubernetes;

import dev.lifeboat.clustersim.domain.Cluster;
import dev.lifeboat.clustersim.domain.World;
import dev.lifeboat.clustersim.hcloud.HcloudSim;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachment;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachmentStatus;
import io.fabric8.kubernetes.api.model.storage.VolumeErrorBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The attach-detach controller and the hcloud CSI driver's external-attacher. The first creates a
 * VolumeAttachment for each Hetzner volume of each scheduled pod. The attacher marks one attached
 * once the volume is attached to its node's server; when switched on it also makes that happen: a
 * pause after the VolumeAttachment appears, then {@code POST /v1/volumes/{id}/actions/attach}, with
 * a doubling back-off while the API refuses (FailedPrecondition while the volume is attached
 * elsewhere). It never marks an attached VolumeAttachment detached: the real attacher does not
 * notice a detach made behind its back, so a stale one stays until it is deleted.
 */
final class VolumeAttacher {

  private static final Logger LOG = Logger.getLogger(VolumeAttacher.class);

  /** When the attacher may call next for one VolumeAttachment, and its back-off. */
  private record Retry(Instant next, Duration backoff) {}

  private final KubernetesClient client;
  private final HcloudSim hcloud;
  private final AtomicBoolean enabled;
  private final Supplier<Duration> pause;
  private final Duration backoff;
  private final Duration maxBackoff;
  private final Map<String, Retry> retries = new HashMap<>();

  VolumeAttacher(
      KubernetesClient client,
      HcloudSim hcloud,
      AtomicBoolean enabled,
      Supplier<Duration> pause,
      Duration backoff,
      Duration maxBackoff) {
    this.client = client;
    this.hcloud = hcloud;
    this.enabled = enabled;
    this.pause = pause;
    this.backoff = backoff;
    this.maxBackoff = maxBackoff;
  }

  /**
   * One pass.
   *
   * @param bound pods bound in this tick (the cluster does not show them bound yet), by {@code
   *     namespace/name}, to their node
   */
  void reconcile(Cluster cluster, World world, Instant now, Map<String, String> bound)
      throws IOException, InterruptedException {
    Set<String> existing = new HashSet<>();
    cluster.attachments().forEach(va -> existing.add(va.getMetadata().getName()));
    for (Pod pod : cluster.pods()) {
      String node =
          bound.getOrDefault(
              pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName(),
              pod.getSpec().getNodeName());
      if (node == null || Cluster.terminating(pod)) {
        continue;
      }
      for (PersistentVolume pv : cluster.hcloudVolumes(pod)) {
        VolumeAttachment wanted = ClusterObjects.attachment(pv, node, false);
        String name = wanted.getMetadata().getName();
        if (existing.add(name)) {
          Writes.attachment(client, wanted);
          retries.put(name, new Retry(now.plus(pause.get()), backoff));
          long serverId = cluster.node(node).map(Cluster::serverId).orElse(0L);
          if (enabled.get() && pause.get().isZero() && serverId != 0) {
            // No pause: the attacher acts on the new VolumeAttachment at once.
            attach(name, Cluster.volumeId(pv), serverId, world, now);
          }
        }
      }
    }
    Set<String> seen = new HashSet<>();
    for (VolumeAttachment va : cluster.attachments()) {
      String name = va.getMetadata().getName();
      seen.add(name);
      if (va.getMetadata().getDeletionTimestamp() != null
          || (va.getStatus() != null && Boolean.TRUE.equals(va.getStatus().getAttached()))) {
        continue;
      }
      Optional<PersistentVolume> pv =
          cluster.volume(va.getSpec().getSource().getPersistentVolumeName());
      long serverId = cluster.node(va.getSpec().getNodeName()).map(Cluster::serverId).orElse(0L);
      if (pv.isEmpty() || serverId == 0) {
        continue;
      }
      long volumeId = Cluster.volumeId(pv.get());
      if (world.attached(volumeId, serverId)) {
        setStatus(name, true, null, now);
        retries.remove(name);
      } else if (enabled.get()) {
        attach(name, volumeId, serverId, world, now);
      }
    }
    retries.keySet().retainAll(seen);
  }

  private void attach(String name, long volumeId, long serverId, World world, Instant now)
      throws IOException, InterruptedException {
    Retry retry = retries.computeIfAbsent(name, n -> new Retry(now.plus(pause.get()), backoff));
    if (now.isBefore(retry.next())) {
      return;
    }
    World.Server server = world.servers().get(serverId);
    if (server == null) {
      return;
    }
    HcloudSim.AttachCall call = hcloud.attach(volumeId, serverId);
    if (call.accepted()) {
      LOG.infof("attacher: attaching volume %d to server %d (%s)", volumeId, serverId, name);
      // Look again once the action can have ended.
      retries.put(name, new Retry(now.plus(backoff), backoff));
      return;
    }
    String code =
        "volume_already_attached".equals(call.code()) ? "FailedPrecondition" : "Unavailable";
    String message =
        "rpc error: code = " + code + " desc = failed to publish volume: " + call.message();
    LOG.infof("attacher: %s, next try in %s", message, retry.backoff());
    setStatus(name, false, message, now);
    Duration doubled = retry.backoff().multipliedBy(2);
    retries.put(
        name,
        new Retry(
            now.plus(retry.backoff()), doubled.compareTo(maxBackoff) > 0 ? maxBackoff : doubled));
  }

  private void setStatus(String name, boolean attached, String error, Instant now) {
    client
        .storage()
        .v1()
        .volumeAttachments()
        .withName(name)
        .editStatus(
            va -> {
              VolumeAttachmentStatus status = new VolumeAttachmentStatus();
              status.setAttached(attached);
              if (error != null) {
                status.setAttachError(
                    new VolumeErrorBuilder().withMessage(error).withTime(now.toString()).build());
              }
              va.setStatus(status);
              return va;
            });
  }
}
