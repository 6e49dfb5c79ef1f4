package dev.lifeboat.watcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.lifeboat.events.CommandResult;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.cluster.AwaitPodReady;
import dev.lifeboat.events.cluster.AwaitReplacementPod;
import dev.lifeboat.events.cluster.ClusterCommand;
import dev.lifeboat.events.cluster.ClusterResult;
import dev.lifeboat.events.cluster.DeleteNode;
import dev.lifeboat.events.cluster.DeleteVolumeAttachments;
import dev.lifeboat.events.cluster.EvictPods;
import dev.lifeboat.events.cluster.ForceDeletePods;
import dev.lifeboat.events.cluster.RemoveOutOfServiceTaint;
import dev.lifeboat.events.cluster.RequeueVolumeAttachment;
import dev.lifeboat.events.cluster.TaintNodeOutOfService;
import dev.lifeboat.events.node.ClaimRef;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.node.NodeReturned;
import dev.lifeboat.events.node.PodRef;
import dev.lifeboat.testkit.KafkaBrokerResource;
import dev.lifeboat.testkit.LifeboatTopics;
import dev.lifeboat.watcher.domain.NodeFacts;
import dev.lifeboat.watcher.domain.RemovalRequests;
import dev.lifeboat.watcher.kubernetes.ClusterCache;
import dev.lifeboat.watcher.kubernetes.UserAgent;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachmentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The RBAC rules in {@code kubernetes-access.yaml} are exactly what node-watcher uses: every
 * request it makes (told apart by its User-Agent) while it detects, reports and carries out every
 * command is mapped to (API group, resource, verb) and compared with the file, both ways.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@WithKubernetesTestServer(crud = true)
class KubernetesAccessTest {

  @KubernetesTestServer KubernetesServer server;
  @Inject ClusterCache cache;
  @Inject KubernetesClient watcherClient;

  @Test
  void theRecordedRulesAreExactlyWhatTheServiceUses() throws Exception {
    KubernetesClient setup = server.getClient();
    String run = UUID.randomUUID().toString().substring(0, 6);
    String lost = "rbac-lost-" + run;
    String healthy = "rbac-ok-" + run;
    try (LifeboatTopics topics = LifeboatTopics.onSharedBroker();
        SimulatedNodes nodes = new SimulatedNodes(setup)) {
      nodes.add(lost, 4501, "fsn1");
      nodes.add(healthy, 4502, "fsn1");
      var pod =
          setup
              .pods()
              .inNamespace("shop")
              .resource(
                  new PodBuilder()
                      .withNewMetadata()
                      .withName("db-" + run)
                      .withNamespace("shop")
                      .withUid(UUID.randomUUID().toString())
                      .endMetadata()
                      .withNewSpec()
                      .withNodeName(lost)
                      .endSpec()
                      .build())
              .create();
      setup
          .storage()
          .v1()
          .volumeAttachments()
          .resource(
              new VolumeAttachmentBuilder()
                  .withNewMetadata()
                  .withName("va-" + run)
                  .withFinalizers("external-attacher/csi-hetzner-cloud")
                  .endMetadata()
                  .withNewSpec()
                  .withAttacher("csi.hetzner.cloud")
                  .withNodeName(lost)
                  .withNewSource()
                  .withPersistentVolumeName("pv-" + run)
                  .endSource()
                  .endSpec()
                  .build())
          .create();
      await().atMost(Duration.ofSeconds(20)).until(() -> cache.volumeAttachments().size() >= 1);

      nodes.taint(lost, NodeFacts.SHUTDOWN_TAINT, "NoSchedule");
      topics.awaitMessage(Topic.NODE_EVENTS, NodeGone.class, g -> g.node().name().equals(lost));
      setup
          .nodes()
          .withName(lost)
          .edit(
              n -> {
                n.getSpec().setTaints(List.of());
                return n;
              });
      topics.awaitMessage(Topic.NODE_EVENTS, NodeReturned.class, g -> g.node().name().equals(lost));
      PodRef ref = new PodRef("shop", "db-" + run, pod.getMetadata().getUid(), null, null);
      // A second pod of the node, for the removal's eviction (the first is force-deleted).
      var evicted =
          setup
              .pods()
              .inNamespace("shop")
              .resource(
                  new PodBuilder()
                      .withNewMetadata()
                      .withName("cache-" + run)
                      .withNamespace("shop")
                      .withUid(UUID.randomUUID().toString())
                      .endMetadata()
                      .withNewSpec()
                      .withNodeName(lost)
                      .endSpec()
                      .build())
              .create();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> cache.pod("shop", "cache-" + run).isPresent());
      PodRef toEvict =
          new PodRef("shop", "cache-" + run, evicted.getMetadata().getUid(), null, null);
      for (ClusterCommand command :
          List.of(
              new TaintNodeOutOfService(id(), "rbac", now(), id(), lost),
              new RemoveOutOfServiceTaint(id(), "rbac", now(), id(), lost),
              new RequeueVolumeAttachment(id(), "rbac", now(), id(), 1, "pv-" + run, lost),
              new DeleteVolumeAttachments(id(), "rbac", now(), id(), lost, List.of("pv-" + run)),
              new ForceDeletePods(id(), "rbac", now(), id(), lost, List.of(ref)),
              new AwaitReplacementPod(
                  id(),
                  "rbac",
                  now(),
                  id(),
                  1,
                  new ClaimRef("shop", "x"),
                  "hel1",
                  null,
                  Duration.ofSeconds(5)),
              new AwaitPodReady(id(), "rbac", now(), id(), 1, ref, lost, Duration.ofSeconds(1)),
              new EvictPods(
                  id(),
                  "rbac",
                  now(),
                  id(),
                  lost,
                  List.of(toEvict),
                  false,
                  Duration.ofSeconds(1),
                  null),
              new DeleteNode(
                  id(),
                  "rbac",
                  now(),
                  id(),
                  lost,
                  setup.nodes().withName(lost).get().getMetadata().getUid(),
                  null))) {
        topics.send(command);
        topics.awaitMessage(
            Topic.CLUSTER_RESULTS,
            ClusterResult.class,
            r -> ((CommandResult) r).commandId().equals(command.commandId()));
      }
      // A removal annotation Lifeboat cannot follow: a Warning Event on the Node.
      setup
          .nodes()
          .withName(healthy)
          .edit(
              n -> {
                if (n.getMetadata().getAnnotations() == null) {
                  n.getMetadata().setAnnotations(new java.util.HashMap<>());
                }
                n.getMetadata().getAnnotations().put(RemovalRequests.ANNOTATION, "shred");
                return n;
              });
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  setup.v1().events().inNamespace("default").list().getItems().stream()
                      .anyMatch(e -> e.getInvolvedObject().getName().equals(healthy)));
    }

    Set<String> used = new TreeSet<>();
    Set<String> usedInNamespaces = new TreeSet<>();
    RecordedRequest request;
    while ((request = server.getKubernetesMockServer().takeRequest(200, TimeUnit.MILLISECONDS))
        != null) {
      if (UserAgent.VALUE.equals(request.getHeader("User-Agent"))) {
        String rule = rule(request.getMethod(), request.getPath());
        if (rule.startsWith(LEASES)) {
          usedInNamespaces.add(scoped(request.getMethod(), request.getPath()));
        } else {
          used.add(rule);
        }
      }
    }

    assertThat(used).containsExactlyInAnyOrderElementsOf(recorded());
    assertThat(usedInNamespaces).containsExactlyInAnyOrderElementsOf(recordedInNamespaces());
  }

  /** Leases: rules of the Roles in kubernetes-access-namespaced.yaml, not of the ClusterRole. */
  private static final String LEASES = "coordination.k8s.io/leases ";

  /** One Role of kubernetes-access-namespaced.yaml. */
  record NamespacedRules(String namespace, List<PolicyRule> rules) {}

  /**
   * The recorded namespaced rules, one {@code namespace group/resource verb [name]} each (a rule
   * narrowed to names gives one per name).
   */
  private Set<String> recordedInNamespaces() throws Exception {
    Set<String> rules = new TreeSet<>();
    try (InputStream yaml =
        getClass().getClassLoader().getResourceAsStream("kubernetes-access-namespaced.yaml")) {
      List<NamespacedRules> roles =
          watcherClient.getKubernetesSerialization().unmarshal(yaml, new TypeReference<>() {});
      for (NamespacedRules role : roles) {
        for (PolicyRule rule : role.rules()) {
          for (String group : rule.getApiGroups()) {
            for (String resource : rule.getResources()) {
              for (String verb : rule.getVerbs()) {
                String pair = role.namespace() + " " + group + "/" + resource + " " + verb;
                if (rule.getResourceNames() == null || rule.getResourceNames().isEmpty()) {
                  rules.add(pair);
                } else {
                  rule.getResourceNames().forEach(name -> rules.add(pair + " " + name));
                }
              }
            }
          }
        }
      }
    }
    return rules;
  }

  /**
   * The namespaced rule a request needs: {@code namespace group/resource verb}, and the object's
   * name when the request names one.
   */
  static String scoped(String method, String pathAndQuery) {
    String[] parts = pathAndQuery.split("\\?")[0].replaceFirst("^/", "").split("/");
    int at = parts[0].equals("api") ? 2 : 3;
    if (parts.length <= at + 2 || !parts[at].equals("namespaces")) {
      return "(all namespaces) " + rule(method, pathAndQuery);
    }
    String namespace = parts[at + 1];
    String name = parts.length > at + 3 ? " " + parts[at + 3] : "";
    return namespace + " " + rule(method, pathAndQuery) + name;
  }

  /** The recorded rules, one {@code group/resource verb} per pair. */
  private Set<String> recorded() throws Exception {
    Set<String> rules = new TreeSet<>();
    try (InputStream yaml =
        getClass().getClassLoader().getResourceAsStream("kubernetes-access.yaml")) {
      List<PolicyRule> parsed =
          watcherClient.getKubernetesSerialization().unmarshal(yaml, new TypeReference<>() {});
      for (PolicyRule rule : parsed) {
        for (String group : rule.getApiGroups()) {
          for (String resource : rule.getResources()) {
            for (String verb : rule.getVerbs()) {
              rules.add(group + "/" + resource + " " + verb);
            }
          }
        }
      }
    }
    return rules;
  }

  /** The rule a request needs: {@code group/resource verb}. */
  static String rule(String method, String pathAndQuery) {
    String path = pathAndQuery.split("\\?")[0];
    boolean watch = pathAndQuery.contains("watch=true");
    String[] parts = path.replaceFirst("^/", "").split("/");
    int at;
    String group;
    if (parts[0].equals("api")) {
      group = "";
      at = 2;
    } else {
      group = parts[1];
      at = 3;
    }
    if (parts.length > at + 1 && parts[at].equals("namespaces") && parts.length > at + 2) {
      at += 2;
    }
    String resource = parts[at];
    boolean named = parts.length > at + 1;
    if (parts.length > at + 2) {
      resource += "/" + parts[at + 2];
    }
    String verb =
        switch (method) {
          case "GET" -> watch ? "watch" : named ? "get" : "list";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> named ? "delete" : "deletecollection";
          default -> method.toLowerCase();
        };
    return group + "/" + resource + " " + verb;
  }

  private static String id() {
    return MessageIds.random();
  }

  private static Instant now() {
    return Instant.now();
  }
}
