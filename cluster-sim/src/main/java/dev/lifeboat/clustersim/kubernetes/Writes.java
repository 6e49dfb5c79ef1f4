package dev.lifeboat.clustersim.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** Creating objects the way the simulated components need it. */
final class Writes {

  private Writes() {}

  /** Creates the object; one that exists already is left as it is (and null returned). */
  static <T extends HasMetadata> T create(KubernetesClient client, T object) {
    try {
      return client.resource(object).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return null;
      }
      throw e;
    }
  }

  /**
   * Creates the object, then writes its status: the API server ignores the status of a create for
   * kinds with a status subresource.
   */
  static <T extends HasMetadata, S> T create(
      KubernetesClient client, T object, S status, BiConsumer<T, S> setStatus) {
    T created = create(client, object);
    if (created == null || status == null) {
      return created;
    }
    setStatus.accept(created, status);
    return client.resource(created).updateStatus();
  }

  /** Creates a VolumeAttachment with its status. */
  static VolumeAttachment attachment(KubernetesClient client, VolumeAttachment attachment) {
    return create(client, attachment, attachment.getStatus(), VolumeAttachment::setStatus);
  }

  /** Changes a node's taints (read, change, write). */
  static void editTaints(KubernetesClient client, String node, Consumer<List<Taint>> change) {
    client
        .nodes()
        .withName(node)
        .edit(
            n -> {
              List<Taint> taints =
                  new ArrayList<>(
                      n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints());
              change.accept(taints);
              n.getSpec().setTaints(taints);
              return n;
            });
  }

  /** Sets a node's Ready condition, keeping its other conditions. */
  static void setReady(KubernetesClient client, String node, String status, Instant now) {
    client
        .nodes()
        .withName(node)
        .editStatus(
            n -> {
              List<NodeCondition> conditions = new ArrayList<>();
              if (n.getStatus().getConditions() != null) {
                n.getStatus().getConditions().stream()
                    .filter(c -> !"Ready".equals(c.getType()))
                    .forEach(conditions::add);
              }
              conditions.add(ClusterObjects.ready(status, now));
              n.getStatus().setConditions(conditions);
              return n;
            });
  }
}
