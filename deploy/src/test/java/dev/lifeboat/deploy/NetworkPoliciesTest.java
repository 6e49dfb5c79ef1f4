package dev.lifeboat.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.deploy.NetworkPolicyEvaluator.End;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The NetworkPolicies of the production overlay with the monitoring component, evaluated flow by
 * flow ({@link NetworkPolicyEvaluator}): every flow Lifeboat needs gets through, and the flows it
 * does not need are refused, each checked from both ends.
 */
class NetworkPoliciesTest {

  private static final String NS = "lifeboat";
  private static final End WATCHER = service("node-watcher", "10.42.0.11", 8082);
  private static final End ORCHESTRATOR = service("volume-orchestrator", "10.42.0.12", 8081);
  private static final End OTHER_ORCHESTRATOR = service("volume-orchestrator", "10.42.1.12", 8081);
  private static final End ADAPTER = service("hcloud-adapter", "10.42.0.13", 8083);
  private static final End AUDIT = service("audit-service", "10.42.0.14", 8080);
  private static final List<End> SERVICES = List.of(WATCHER, ORCHESTRATOR, ADAPTER, AUDIT);

  private static final End BROKER =
      End.pod(
          NS,
          Map.of("strimzi.io/cluster", "lifeboat", "strimzi.io/broker-role", "true"),
          "10.42.0.21",
          Map.of());
  private static final End POSTGRES =
      End.pod(NS, Map.of("cnpg.io/cluster", "lifeboat-audit-db"), "10.42.0.22", Map.of());
  private static final End DNS =
      End.pod("kube-system", Map.of("k8s-app", "kube-dns"), "10.42.0.2", Map.of());
  private static final End PROMETHEUS =
      End.pod("monitoring", Map.of("app.kubernetes.io/name", "prometheus"), "10.42.2.5", Map.of());
  private static final End SHOP =
      End.pod("default", Map.of("app", "shop"), "10.42.3.7", Map.of("http", 8080));

  /** The kubernetes Service's ClusterIP (k3s) and an API server on the Hetzner network. */
  private static final End KUBERNETES_SERVICE = End.address("10.43.0.1");

  private static final End API_SERVER = End.address("10.0.0.2");

  /** api.hetzner.cloud: an address on the internet. */
  private static final End HETZNER_API = End.address("213.239.246.73");

  private static NetworkPolicyEvaluator policies;

  @BeforeAll
  static void render() throws Exception {
    List<NetworkPolicy> found = new ArrayList<>();
    for (HasMetadata object : MonitoringTest.renderWithMonitoring()) {
      if (object instanceof NetworkPolicy policy) {
        found.add(policy);
      }
    }
    assertThat(found).as("NetworkPolicies rendered").isNotEmpty();
    policies = new NetworkPolicyEvaluator(found);
  }

  @Test
  void everyServiceReachesTheBrokersAndTheClustersDnsAndNothingElseOfTheCluster() {
    for (End service : SERVICES) {
      String who = service.labels().get("app.kubernetes.io/name");
      assertThat(policies.allows(service, BROKER, 9093, "TCP")).as(who + " to Kafka").isTrue();
      assertThat(policies.allows(service, BROKER, 9092, "TCP"))
          .as(who + " to Kafka, plain")
          .isFalse();
      assertThat(policies.allows(service, DNS, 53, "UDP")).as(who + " to DNS").isTrue();
      assertThat(policies.allows(service, DNS, 53, "TCP")).as(who + " to DNS, TCP").isTrue();
      assertThat(policies.allows(service, SHOP, 8080, "TCP")).as(who + " to an app").isFalse();
      assertThat(policies.allows(service, DNS, 8080, "TCP"))
          .as(who + " to DNS, other port")
          .isFalse();
    }
  }

  @Test
  void onlyTheAdapterReachesTheHetznerApiAndNeverAnAddressOfTheCluster() {
    assertThat(policies.allows(ADAPTER, HETZNER_API, 443, "TCP")).isTrue();
    assertThat(policies.allows(ADAPTER, HETZNER_API, 80, "TCP")).isFalse();
    assertThat(policies.allows(ADAPTER, API_SERVER, 6443, "TCP")).isFalse();
    assertThat(policies.allows(ADAPTER, KUBERNETES_SERVICE, 443, "TCP")).isFalse();
    assertThat(policies.allows(ADAPTER, POSTGRES, 5432, "TCP")).isFalse();
    for (End other : List.of(WATCHER, ORCHESTRATOR, AUDIT)) {
      assertThat(policies.allows(other, HETZNER_API, 443, "TCP"))
          .as(other.labels().get("app.kubernetes.io/name") + " to the Hetzner API")
          .isFalse();
    }
  }

  @Test
  void onlyNodeWatcherReachesTheKubernetesApi() {
    assertThat(policies.allows(WATCHER, KUBERNETES_SERVICE, 443, "TCP")).isTrue();
    assertThat(policies.allows(WATCHER, API_SERVER, 6443, "TCP")).isTrue();
    for (End other : List.of(ORCHESTRATOR, ADAPTER, AUDIT)) {
      String who = other.labels().get("app.kubernetes.io/name");
      assertThat(policies.allows(other, KUBERNETES_SERVICE, 443, "TCP")).as(who).isFalse();
      assertThat(policies.allows(other, API_SERVER, 6443, "TCP")).as(who).isFalse();
    }
  }

  @Test
  void onlyTheAuditReachesItsDatabase() {
    assertThat(policies.allows(AUDIT, POSTGRES, 5432, "TCP")).isTrue();
    assertThat(policies.allows(ORCHESTRATOR, POSTGRES, 5432, "TCP")).isFalse();
    assertThat(policies.allows(WATCHER, POSTGRES, 5432, "TCP")).isFalse();
  }

  @Test
  void theOrchestratorsAskEachOtherAndNobodyElseReachesTheServicesButPrometheus() {
    assertThat(policies.allows(ORCHESTRATOR, OTHER_ORCHESTRATOR, 8081, "TCP")).isTrue();
    assertThat(policies.allows(AUDIT, ORCHESTRATOR, 8081, "TCP")).isFalse();
    for (End service : SERVICES) {
      String who = service.labels().get("app.kubernetes.io/name");
      int http = service.ports().get("http");
      assertThat(policies.allows(PROMETHEUS, service, http, "TCP")).as("scrape " + who).isTrue();
      assertThat(policies.allows(PROMETHEUS, service, 5005, "TCP"))
          .as(who + ", other port")
          .isFalse();
      assertThat(policies.allows(SHOP, service, http, "TCP")).as("an app to " + who).isFalse();
    }
  }

  @Test
  void kafkasListenerAdmitsOnlyLifeboatsServices() throws Exception {
    GenericKubernetesResource kafka =
        ManifestsTest.render("production").stream()
            .filter(o -> o.getKind().equals("Kafka"))
            .map(GenericKubernetesResource.class::cast)
            .findFirst()
            .orElseThrow();
    List<Map<String, Object>> listeners = kafka.get("spec", "kafka", "listeners");
    assertThat(listeners)
        .allSatisfy(
            listener ->
                assertThat(listener.get("networkPolicyPeers"))
                    .as("Strimzi writes the listener's policy from its peers")
                    .isEqualTo(
                        List.of(
                            Map.of(
                                "podSelector",
                                Map.of(
                                    "matchLabels",
                                    Map.of("app.kubernetes.io/part-of", "lifeboat"))))));
  }

  private static End service(String name, String ip, int http) {
    return End.pod(
        NS,
        Map.of("app.kubernetes.io/name", name, "app.kubernetes.io/part-of", "lifeboat"),
        ip,
        Map.of("http", http));
  }
}
