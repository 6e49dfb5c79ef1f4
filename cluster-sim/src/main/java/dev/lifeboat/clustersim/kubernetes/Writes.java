package dev.lifeboat.clustersim.kubernetes;

import dev.lifeboat.clustersim.domain.Seed;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Creating objects the way the simulated components need it. */
final class Writes {

  private Writes() {}

  /**
   * Creates the object, then writes its status (the API server ignores the status of a create for
   * kinds with a status subresource); an object that exists already is left as it is.
   */
  static <T extends HasMetadata> T create(KubernetesClient client, T object) {
    try {
      T created = client.resource(object).create();
      Object status = statusOf(object);
      if (status != null && !status.equals(statusOf(created))) {
        setStatus(created, status);
        return client.resource(created).updateStatus();
      }
      return created;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return null;
      }
      throw e;
    }
  }

  private static Object statusOf(HasMetadata object) {
    try {
      return object.getClass().getMethod("getStatus").invoke(object);
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }

  private static void setStatus(HasMetadata object, Object status) {
    try {
      object.getClass().getMethod("setStatus", status.getClass()).invoke(object, status);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(object.getKind() + " has no status to set", e);
    }
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
              conditions.add(Seed.ready(status, now));
              n.getStatus().setConditions(conditions);
              return n;
            });
  }
}
