package dev.lifeboat.clustersim.kubernetes;

import dev.lifeboat.clustersim.domain.K3s;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.Preconditions;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The Eviction API ({@code POST /api/v1/namespaces/{ns}/pods/{name}/eviction}), as the API server
 * serves it: an eviction that would leave a PodDisruptionBudget of the pod's namespace, whose
 * selector matches the pod, with fewer healthy pods than it asks for is refused with {@code 429};
 * otherwise the pod is deleted gracefully (its {@code deletionTimestamp} is set, and its kubelet
 * stops it, unmounts its volumes and removes the object). A pod that is not Ready may always be
 * evicted ({@code unhealthyPodEvictionPolicy: AlwaysAllow}). An eviction whose {@code
 * deleteOptions.preconditions.uid} names another pod than the one of that name now (a StatefulSet's
 * replacement) is refused with {@code 409}; a pod bound to no node is deleted at once, since no
 * kubelet has anything to stop.
 *
 * <p>A force deletion ({@code gracePeriodSeconds: 0}) removes a pod at once, as on a real API
 * server, also one whose termination the simulated kubelet was holding with its finalizer ({@link
 * K3s#TERMINATION_FINALIZER}, which exists only here): on a dead node no kubelet would ever release
 * it.
 *
 * <p>It answers on the mock server's own thread, so it reads the store directly (a request back to
 * the same server from there would wait for itself) and marks the pod terminating from a thread of
 * its own; a pod it evicted counts as unavailable at once, so two evictions in a row never both
 * pass a budget that allows one.
 */
final class EvictionApi {

  private static final Logger LOG = Logger.getLogger(EvictionApi.class);

  private static final Pattern PATH =
      Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/?]+)/eviction(?:\\?.*)?$");

  private static final Pattern POD =
      Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/?]+)(?:\\?.*)?$");

  private final Function<String, MockResponse> store;
  private final Function<String, MockResponse> delete;
  private final Function<RecordedRequest, MockResponse> patch;
  private final ExecutorService marking =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread thread = new Thread(r, "eviction-api");
            thread.setDaemon(true);
            return thread;
          });

  /** The UIDs of pods evicted here, until the store shows them terminating or gone. */
  private final Set<String> evicting = ConcurrentHashMap.newKeySet();

  private volatile KubernetesClient client;

  /**
   * @param store reads of the API's store by path, on the calling thread
   * @param delete deletions from the store by path, on the calling thread
   * @param patch patches of the store, on the calling thread
   */
  EvictionApi(
      Function<String, MockResponse> store,
      Function<String, MockResponse> delete,
      Function<RecordedRequest, MockResponse> patch) {
    this.store = store;
    this.delete = delete;
    this.patch = patch;
  }

  /** Marks evicted pods through this client of the same API (set once the API runs). */
  void use(KubernetesClient client) {
    this.client = client;
  }

  /** The answer to an eviction request, or empty when the request is not one. */
  synchronized Optional<MockResponse> answer(String method, String path, String body) {
    Matcher match = PATH.matcher(path);
    if (!"POST".equalsIgnoreCase(method) || !match.matches() || client == null) {
      return Optional.empty();
    }
    String namespace = match.group(1);
    String name = match.group(2);
    Pod pod = read("/api/v1/namespaces/" + namespace + "/pods/" + name, Pod.class);
    if (pod == null) {
      return Optional.of(status(404, "NotFound", "pods \"" + name + "\" not found", null));
    }
    Optional<String> meant = preconditionUid(body);
    if (meant.isPresent() && !meant.get().equals(pod.getMetadata().getUid())) {
      return Optional.of(
          status(
              409,
              "Conflict",
              "Operation cannot be fulfilled on Pod \""
                  + name
                  + "\": the UID in the precondition ("
                  + meant.get()
                  + ") does not match the UID in record ("
                  + pod.getMetadata().getUid()
                  + "). The object might have been deleted and then recreated",
              null));
    }
    if (pod.getMetadata().getDeletionTimestamp() != null
        || evicting.contains(pod.getMetadata().getUid())) {
      return Optional.of(status(201, null, "already terminating", null));
    }
    if (ready(pod)) {
      PodDisruptionBudgetList budgets =
          read(
              "/apis/policy/v1/namespaces/" + namespace + "/poddisruptionbudgets",
              PodDisruptionBudgetList.class);
      PodList pods = read("/api/v1/namespaces/" + namespace + "/pods", PodList.class);
      List<Pod> all = pods == null ? List.of() : pods.getItems();
      evicting.retainAll(
          all.stream()
              .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
              .map(p -> p.getMetadata().getUid())
              .toList());
      for (PodDisruptionBudget budget :
          budgets == null ? List.<PodDisruptionBudget>of() : budgets.getItems()) {
        if (!selects(budget.getSpec().getSelector(), pod)) {
          continue;
        }
        List<Pod> covered =
            all.stream().filter(p -> selects(budget.getSpec().getSelector(), p)).toList();
        int expected = Math.max(covered.size(), replicas(namespace, covered));
        int healthy =
            (int)
                covered.stream()
                    .filter(p -> p.getMetadata().getDeletionTimestamp() == null && ready(p))
                    .filter(p -> !evicting.contains(p.getMetadata().getUid()))
                    .count();
        int desiredHealthy = desiredHealthy(budget, expected);
        if (healthy - 1 < desiredHealthy) {
          return Optional.of(
              status(
                  429,
                  "TooManyRequests",
                  "Cannot evict pod as it would violate the pod's disruption budget.",
                  "The disruption budget "
                      + budget.getMetadata().getName()
                      + " needs "
                      + desiredHealthy
                      + " healthy pods and has "
                      + healthy
                      + " currently"));
        }
      }
    }
    String uid = pod.getMetadata().getUid();
    if (pod.getSpec() == null || pod.getSpec().getNodeName() == null) {
      // Never scheduled: no kubelet runs it, so the graceful deletion ends at once.
      delete.apply("/api/v1/namespaces/" + namespace + "/pods/" + name);
      return Optional.of(status(201, null, "evicted", null));
    }
    evicting.add(uid);
    marking.execute(() -> markTerminating(namespace, name, uid));
    return Optional.of(status(201, null, "evicted", null));
  }

  /**
   * Before a pod's force deletion ({@code DELETE} with {@code gracePeriodSeconds: 0}): drops the
   * simulated kubelet's termination finalizer, so that the deletion removes the pod at once, as a
   * real API server does whether or not its kubelet still runs. The answer when that already
   * removed the pod (it was marked for deletion): the pod, as a deletion answers; else the deletion
   * goes on as usual.
   */
  synchronized Optional<MockResponse> forceDelete(String method, String path, String body) {
    Matcher match = POD.matcher(path);
    if (!"DELETE".equalsIgnoreCase(method) || !match.matches() || !forced(body)) {
      return Optional.empty();
    }
    String podPath = "/api/v1/namespaces/" + match.group(1) + "/pods/" + match.group(2);
    Pod pod = read(podPath, Pod.class);
    if (pod == null
        || pod.getMetadata().getFinalizers() == null
        || !pod.getMetadata().getFinalizers().contains(K3s.TERMINATION_FINALIZER)) {
      return Optional.empty();
    }
    int index = pod.getMetadata().getFinalizers().indexOf(K3s.TERMINATION_FINALIZER);
    String remove =
        Serialization.asJson(
            List.of(Map.of("op", "remove", "path", "/metadata/finalizers/" + index)));
    patch.apply(
        new RecordedRequest(
            "PATCH " + podPath + " HTTP/1.1",
            HttpMethod.PATCH,
            podPath,
            Headers.builder().add("Content-Type", "application/json-patch+json").build(),
            new Buffer(remove.getBytes(StandardCharsets.UTF_8))));
    if (read(podPath, Pod.class) != null) {
      return Optional.empty();
    }
    return Optional.of(
        new MockResponse()
            .setResponseCode(200)
            .setHeader("Content-Type", "application/json")
            .setBody(Serialization.asJson(pod)));
  }

  /** Whether a DELETE's options ask for no grace period. */
  private static boolean forced(String body) {
    if (body == null || body.isBlank()) {
      return false;
    }
    try {
      DeleteOptions options = Serialization.unmarshal(body, DeleteOptions.class);
      return options.getGracePeriodSeconds() != null && options.getGracePeriodSeconds() == 0L;
    } catch (RuntimeException notOptions) {
      return false;
    }
  }

  /** The UID an eviction's delete options require the pod to have, if they name one. */
  private static Optional<String> preconditionUid(String body) {
    if (body == null || body.isBlank()) {
      return Optional.empty();
    }
    try {
      Eviction eviction = Serialization.unmarshal(body, Eviction.class);
      return Optional.ofNullable(eviction.getDeleteOptions())
          .map(DeleteOptions::getPreconditions)
          .map(Preconditions::getUid);
    } catch (RuntimeException notAnEviction) {
      return Optional.empty();
    }
  }

  /**
   * The graceful deletion: the pod's deletionTimestamp, which its kubelet acts on, held by the
   * kubelet's finalizer ({@link K3s#TERMINATION_FINALIZER}) until it has stopped the pod and
   * unmounted its volumes (the mock store removes at once an object marked for deletion without
   * one).
   */
  private void markTerminating(String namespace, String name, String uid) {
    String now = ZonedDateTime.ofInstant(Instant.now(), ZoneOffset.UTC).toString();
    try {
      Pod pod = client.pods().inNamespace(namespace).withName(name).get();
      if (pod == null || !uid.equals(pod.getMetadata().getUid())) {
        return;
      }
      List<String> finalizers =
          pod.getMetadata().getFinalizers() == null
              ? new ArrayList<>()
              : new ArrayList<>(pod.getMetadata().getFinalizers());
      if (!finalizers.contains(K3s.TERMINATION_FINALIZER)) {
        finalizers.add(K3s.TERMINATION_FINALIZER);
      }
      pod.getMetadata().setFinalizers(finalizers);
      client.pods().inNamespace(namespace).resource(pod).update();
      pod = client.pods().inNamespace(namespace).withName(name).get();
      pod.getMetadata().setDeletionTimestamp(now);
      pod.getMetadata().setDeletionGracePeriodSeconds(30L);
      client.pods().inNamespace(namespace).resource(pod).update();
    } catch (RuntimeException e) {
      LOG.warnf("eviction of pod %s/%s not carried out: %s", namespace, name, e.toString());
      evicting.remove(uid); // gone meanwhile, or the API failed: the eviction did not happen
    }
  }

  private <T> T read(String path, Class<T> type) {
    MockResponse response = store.apply(path);
    if (response.code() != 200) {
      return null;
    }
    return Serialization.unmarshal(
        new String(response.getBody().getBytes(), StandardCharsets.UTF_8), type);
  }

  /**
   * How many pods the controllers of the covered pods want (a StatefulSet's replicas): a pod
   * deleted and not yet created again still counts as expected, as the disruption controller counts
   * it, so that it is unavailable rather than forgotten.
   */
  private int replicas(String namespace, List<Pod> covered) {
    java.util.Set<String> sets = new java.util.TreeSet<>();
    for (Pod pod : covered) {
      if (pod.getMetadata().getOwnerReferences() != null) {
        pod.getMetadata().getOwnerReferences().stream()
            .filter(owner -> "StatefulSet".equals(owner.getKind()))
            .forEach(owner -> sets.add(owner.getName()));
      }
    }
    int replicas = 0;
    for (String name : sets) {
      StatefulSet set =
          read(
              "/apis/apps/v1/namespaces/" + namespace + "/statefulsets/" + name, StatefulSet.class);
      if (set != null && set.getSpec() != null && set.getSpec().getReplicas() != null) {
        replicas += set.getSpec().getReplicas();
      }
    }
    return replicas;
  }

  /** How many healthy pods the budget asks for out of {@code expected}. */
  private static int desiredHealthy(PodDisruptionBudget budget, int expected) {
    IntOrString min = budget.getSpec().getMinAvailable();
    if (min != null) {
      return scaled(min, expected);
    }
    IntOrString max = budget.getSpec().getMaxUnavailable();
    return max == null ? 0 : expected - scaled(max, expected);
  }

  /** An absolute number, or a percentage of {@code of} rounded up. */
  private static int scaled(IntOrString value, int of) {
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    String text = value.getStrVal().trim();
    if (text.endsWith("%")) {
      int percent = Integer.parseInt(text.substring(0, text.length() - 1));
      return (int) Math.ceil(of * percent / 100.0);
    }
    return Integer.parseInt(text);
  }

  private static boolean selects(LabelSelector selector, Pod pod) {
    if (selector == null || selector.getMatchLabels() == null) {
      return false;
    }
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels != null && labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static MockResponse status(int code, String reason, String message, String cause) {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.put("status", code < 300 ? "Success" : "Failure");
    status.put("message", message);
    if (reason != null) {
      status.put("reason", reason);
    }
    if (cause != null) {
      status.put(
          "details",
          Map.of("causes", List.of(Map.of("reason", "DisruptionBudget", "message", cause))));
    }
    status.put("code", code);
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(Serialization.asJson(status));
  }
}
