package dev.lifeboat.watcher.kubernetes;

import dev.lifeboat.events.FailureCodes;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.cluster.ClusterCommandSucceeded;
import dev.lifeboat.events.cluster.ClusterResult;
import dev.lifeboat.events.cluster.EvictPods;
import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.PodRef;
import dev.lifeboat.watcher.domain.ClusterFacts.PodFacts;
import dev.lifeboat.watcher.domain.Detector;
import dev.lifeboat.watcher.domain.NodeFacts;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.URLUtils;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * A planned removal's evictions ({@link EvictPods}): each pod is evicted through the Eviction API,
 * as {@code kubectl drain} does, so PodDisruptionBudgets hold. An eviction a budget refuses ({@code
 * 429}) fails the command at once, {@code EVICTION_BLOCKED} naming the budget, so that the saga's
 * timeline shows what the removal waits on and its back-off decides when to ask again. The command
 * is done when every pod is gone from the node and the node's kubelet no longer lists their Hetzner
 * volumes in {@code status.volumesInUse} (unmounted), which is what makes the detach that follows
 * safe on a server that still runs.
 */
@ApplicationScoped
public class Evictions {

  private static final Logger LOG = Logger.getLogger(Evictions.class);

  /** How the API server names the budget that refused an eviction. */
  private static final Pattern BUDGET = Pattern.compile("disruption budget (\\S+) needs");

  /** How the kubelet names a CSI volume of the hcloud driver in {@code volumesInUse}. */
  static final String IN_USE_PREFIX = "kubernetes.io/csi/csi.hetzner.cloud^";

  private final KubernetesClient client;
  private final ClusterCache cache;
  private final Clock clock;
  private final CommandEvents commandEvents;

  Evictions(KubernetesClient client, ClusterCache cache, Clock clock, CommandEvents commandEvents) {
    this.commandEvents = commandEvents;
    // A budget's refusal (429) is an answer, not a failure to retry: the client's own back-off
    // would ask ten times over several seconds before the saga hears of it.
    this.client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(client.getConfiguration())
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build();
    this.cache = cache;
    this.clock = clock;
  }

  /** One command's progress: the volumes its pods use, the pods whose eviction was accepted. */
  static final class Progress {
    final EvictPods command;
    final Set<Long> volumes;
    final Set<String> evicted = new HashSet<>();

    Progress(EvictPods command, Set<Long> volumes) {
      this.command = command;
      this.volumes = volumes;
    }
  }

  /** Starts a command: remembers the Hetzner volumes its pods use, while the pods are there. */
  Progress start(EvictPods command) {
    Set<String> uids = command.pods().stream().map(PodRef::uid).collect(Collectors.toSet());
    Optional<NodeFacts> node =
        cache.nodes().stream().filter(n -> n.name().equals(command.nodeName())).findFirst();
    Set<Long> volumes =
        node.map(n -> cache.inventory().heldBy(n)).orElse(List.of()).stream()
            .filter(
                volume ->
                    command.wholeNode()
                        || volume.pods().stream().anyMatch(pod -> uids.contains(pod.uid())))
            .map(HeldVolume::volumeId)
            .collect(Collectors.toSet());
    return new Progress(command, volumes);
  }

  /** Evicts the pods not yet asked to go and says whether the command is done, or refused. */
  Optional<ClusterResult> check(Progress progress) {
    EvictPods command = progress.command;
    List<PodFacts> remaining = remaining(command);
    Instant now = clock.instant();
    for (PodFacts pod : remaining) {
      if (pod.terminating() || progress.evicted.contains(pod.uid())) {
        continue;
      }
      Optional<String> refused = evict(pod);
      if (refused.isPresent()) {
        LOG.infof("%s", refused.get());
        return Optional.of(
            ClusterActions.failed(
                command, now, FailureCodes.EVICTION_BLOCKED, refused.get(), true));
      }
      progress.evicted.add(pod.uid());
      commandEvents.evicted(pod.ref(), command.nodeName(), command.incidentId());
    }
    if (!remaining.isEmpty()) {
      return Optional.empty();
    }
    List<Long> inUse = inUse(command.nodeName(), progress.volumes);
    if (!inUse.isEmpty()) {
      return Optional.empty(); // the kubelet has not unmounted them yet
    }
    if (command.wholeNode()) {
      markRemoved(command);
    }
    return Optional.of(
        new ClusterCommandSucceeded(
            MessageIds.random(),
            command.incidentId(),
            now,
            command.commandId(),
            progress.evicted.isEmpty(),
            progress.evicted.isEmpty()
                ? "no pod to evict was on " + command.nodeName()
                : "evicted "
                    + progress.evicted.size()
                    + " pod(s), gone from "
                    + command.nodeName()
                    + (progress.volumes.isEmpty()
                        ? ""
                        : "; volumes " + progress.volumes + " no longer in use there")));
  }

  /** The answer when the command's time ran out. */
  ClusterResult timedOut(Progress progress) {
    EvictPods command = progress.command;
    List<String> left = remaining(command).stream().map(PodFacts::name).toList();
    String why =
        left.isEmpty()
            ? "the kubelet of "
                + command.nodeName()
                + " still lists volumes "
                + inUse(command.nodeName(), progress.volumes)
                + " as in use"
            : "pods " + left + " are still on " + command.nodeName();
    return ClusterActions.failed(
        command, clock.instant(), FailureCodes.TIMEOUT, why + " after " + command.timeout(), true);
  }

  /**
   * A drained node is on its way out on purpose: the annotation keeps its coming silence (power
   * off) or deletion from being taken for a loss.
   */
  private void markRemoved(EvictPods command) {
    if (client.nodes().withName(command.nodeName()).get() == null) {
      return; // deleted already: nothing to mark
    }
    client
        .nodes()
        .withName(command.nodeName())
        .edit(
            node -> {
              if (node.getMetadata().getAnnotations() == null) {
                node.getMetadata().setAnnotations(new java.util.LinkedHashMap<>());
              }
              node.getMetadata()
                  .getAnnotations()
                  .put(Detector.REMOVED_ANNOTATION, command.incidentId());
              return node;
            });
  }

  /** The command's pods still on the node: same UID, same node; or, to drain, every other pod. */
  private List<PodFacts> remaining(EvictPods command) {
    String nodeName = command.nodeName();
    List<PodFacts> onNode =
        cache.pods().stream().filter(pod -> nodeName.equals(pod.nodeName())).toList();
    if (command.wholeNode()) {
      // As kubectl drain: DaemonSet pods stay (their controller would put them back), and so do
      // static pods (their mirror's owner is the Node).
      return onNode.stream()
          .filter(pod -> !"DaemonSet".equals(pod.ownerKind()) && !"Node".equals(pod.ownerKind()))
          .toList();
    }
    Set<String> uids = command.pods().stream().map(PodRef::uid).collect(Collectors.toSet());
    return onNode.stream().filter(pod -> uids.contains(pod.uid())).toList();
  }

  /**
   * Asks the Eviction API to evict the pod ({@code POST .../pods/{name}/eviction}, as {@code
   * kubectl drain} does); the reason when it was refused, in the API server's words: for a
   * disruption budget ({@code 429}), the budget and what it needs.
   */
  private Optional<String> evict(PodFacts pod) {
    String who = "pod " + pod.namespace() + "/" + pod.name();
    String url =
        URLUtils.join(
            client.getMasterUrl().toString(),
            "api/v1/namespaces",
            pod.namespace(),
            "pods",
            pod.name(),
            "eviction");
    // Only this pod, by its UID: a StatefulSet's replacement has the same name, and an eviction
    // asked for from a view a moment old must never stop it.
    String body =
        client
            .getKubernetesSerialization()
            .asJson(
                new EvictionBuilder()
                    .withNewMetadata()
                    .withName(pod.name())
                    .withNamespace(pod.namespace())
                    .endMetadata()
                    .withDeleteOptions(
                        new DeleteOptionsBuilder()
                            .withNewPreconditions()
                            .withUid(pod.uid())
                            .endPreconditions()
                            .build())
                    .build());
    HttpClient http = client.getHttpClient();
    HttpResponse<String> response;
    try {
      response =
          http.sendAsync(
                  http.newHttpRequestBuilder().uri(url).post("application/json", body).build(),
                  String.class)
              .get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of(who + ": eviction interrupted");
    } catch (ExecutionException | TimeoutException e) {
      return Optional.of(who + ": eviction not answered: " + e.getMessage());
    }
    int code = response.code();
    if (code < 300 || code == 404 || code == 409) {
      // 409: the pod of that name is another one (the precondition failed), so ours is gone.
      LOG.infof(
          "evicted %s from %s%s",
          who,
          pod.nodeName(),
          code == 404 ? " (gone already)" : code == 409 ? " (gone already, replaced)" : "");
      return Optional.empty();
    }
    Status status = status(response.body());
    if (code == 429) {
      return Optional.of(
          who + ": " + budgetRefusal(pod.namespace(), status) + " (eviction refused, 429)");
    }
    return Optional.of(
        who
            + ": eviction failed, HTTP "
            + code
            + (status.getMessage() == null ? "" : ": " + status.getMessage()));
  }

  /** The budget that refused, named as the API server names it in the refusal's causes. */
  private static String budgetRefusal(String namespace, Status status) {
    if (status.getDetails() != null && status.getDetails().getCauses() != null) {
      for (StatusCause cause : status.getDetails().getCauses()) {
        Matcher named = BUDGET.matcher(cause.getMessage() == null ? "" : cause.getMessage());
        if (named.find()) {
          return "PodDisruptionBudget "
              + namespace
              + "/"
              + named.group(1)
              + " allows no disruption now: "
              + cause.getMessage();
        }
      }
    }
    return "a disruption budget allows no disruption now"
        + (status.getMessage() == null ? "" : ": " + status.getMessage());
  }

  private Status status(String body) {
    try {
      return client.getKubernetesSerialization().unmarshal(body, Status.class);
    } catch (RuntimeException e) {
      return new Status();
    }
  }

  /** The volumes the node's kubelet still reports in use. */
  private List<Long> inUse(String nodeName, Set<Long> volumes) {
    if (volumes.isEmpty()) {
      return List.of();
    }
    Node node = client.nodes().withName(nodeName).get();
    if (node == null || node.getStatus() == null || node.getStatus().getVolumesInUse() == null) {
      return List.of();
    }
    List<Long> inUse = new ArrayList<>();
    for (String name : node.getStatus().getVolumesInUse()) {
      for (Long volume : volumes) {
        if (name.equals(IN_USE_PREFIX + volume)) {
          inUse.add(volume);
        }
      }
    }
    return inUse;
  }
}
