package dev.lifeboat.clustersim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.clustersim.domain.K3s;
import dev.lifeboat.testkit.CommandRun;
import dev.lifeboat.testkit.HcloudSimProcess;
import dev.lifeboat.testkit.JarProcess;
import dev.lifeboat.testkit.OutsideTools;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulated cluster against a real hcloud-sim process: seeding, kubectl through the discovery
 * documents, node lifecycle and cloud controller manager, StatefulSet controller and scheduler, the
 * kubelet's volume check, and the CSI attacher's emulation. Each test works on its own nodes of
 * {@code cluster-test.yaml}.
 */
@QuarkusTest
@QuarkusTestResource(value = ClusterSimTest.World.class, restrictToAnnotatedClass = true)
class ClusterSimTest {

  /** Resets the shared hcloud-sim to this test's world before the app seeds from it. */
  public static class World implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
      try (InputStream scenario = ClusterSimTest.class.getResourceAsStream("/cluster-test.yaml")) {
        HcloudSimProcess.shared()
            .reset(new String(scenario.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      return Map.of(
          "cluster-sim.api-port",
          Integer.toString(JarProcess.freePort()),
          "cluster-sim.hcloud.url",
          HcloudSimProcess.shared().baseUrl(),
          "cluster-sim.kubeconfig",
          KUBECONFIG.toString());
    }

    @Override
    public void stop() {
      // hcloud-sim serves the whole test JVM.
    }
  }

  private static final Path KUBECONFIG =
      Path.of("target", "cluster-sim-test.kubeconfig").toAbsolutePath();
  private static final Duration GRACE = Duration.ofSeconds(4);

  private static KubernetesClient client;

  @BeforeEach
  void connect() throws IOException {
    if (client != null) {
      return;
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> RestAssured.get("/q/health/ready").statusCode() == 200);
    client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(Files.readString(KUBECONFIG)))
            .build();
  }

  @AfterAll
  static void disconnect() {
    client.close();
    client = null;
  }

  @AfterEach
  void attacherOff() {
    RestAssured.given()
        .contentType("application/json")
        .body("{\"csi_attacher\": false, \"csi_attacher_pause\": \"PT0.5S\"}")
        .put("/_sim/settings")
        .then()
        .statusCode(200);
  }

  /**
   * The Kubernetes API gone for a while (chaos rounds): its port refuses every request, then it
   * serves again with every object as it was; a second outage while it is down, or a length that is
   * not one, is refused with a JSON error.
   */
  @Test
  void theApiGoesAwayForAWhileAndComesBackWithEveryObject() throws Exception {
    List<String> before =
        client.nodes().list().getItems().stream().map(n -> n.getMetadata().getName()).toList();
    await().atMost(Duration.ofSeconds(60)).until(() -> readyNodes().contains("t-master"));
    List<String> ready = readyNodes();

    RestAssured.given()
        .contentType("application/json")
        .body("{\"duration\": \"PT3S\"}")
        .post("/_sim/api-outage")
        .then()
        .statusCode(202)
        .body("down_until", org.hamcrest.Matchers.notNullValue());

    String api = client.getMasterUrl().toString();
    assertThatThrownBy(
            () ->
                java.net.http.HttpClient.newHttpClient()
                    .send(
                        java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create(api + "api/v1/nodes"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()))
        .isInstanceOf(IOException.class);
    RestAssured.given()
        .contentType("application/json")
        .body("{\"duration\": \"PT3S\"}")
        .post("/_sim/api-outage")
        .then()
        .statusCode(409)
        .body("error.code", org.hamcrest.Matchers.equalTo("conflict"));

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        client.nodes().list().getItems().stream()
                            .map(n -> n.getMetadata().getName())
                            .toList())
                    .containsExactlyInAnyOrderElementsOf(before));
    // Ready again, and staying so (the node lifecycle controller catches up on the Leases too).
    await()
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(90))
        .until(() -> readyNodes().containsAll(ready));
    // A watch resumed from before the outage is told to list again, as a restarted API server's
    // watch cache answers it: nothing changed in the gap goes unheard.
    java.net.http.HttpResponse<String> resumed =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(api + "api/v1/nodes?watch=true&resourceVersion=1"))
                    .header("User-Agent", "outage-test")
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(resumed.statusCode()).isEqualTo(410);
    assertThat(resumed.body()).contains("\"reason\":\"Expired\"");
    RestAssured.given()
        .contentType("application/json")
        .body("{\"duration\": \"soon\"}")
        .post("/_sim/api-outage")
        .then()
        .statusCode(400)
        .body("error.message", org.hamcrest.Matchers.containsString("ISO-8601"));
  }

  /**
   * Found by the chaos rounds (seed 7): a pod deleted between an informer's list and its watch
   * never reached that informer (node-watcher's, and the simulated StatefulSet controller's), which
   * kept it for good: the mock server starts a watch from now, whatever version it is asked from. A
   * watch asked from before the last deletion in its collection is told to list again, as a real
   * API server would instead have sent it that deletion.
   */
  @Test
  void aWatchAskedFromBeforeTheLastDeletionInItsCollectionIsToldToListAgain() throws Exception {
    String api = client.getMasterUrl().toString();
    String name = "gap-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    var configMaps = client.configMaps().inNamespace("default");
    configMaps
        .resource(
            new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .build())
        .create();
    String listed = configMaps.list().getMetadata().getResourceVersion();
    configMaps.withName(name).delete();

    java.net.http.HttpResponse<String> missed =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            api
                                + "api/v1/namespaces/default/configmaps?watch=true&resourceVersion="
                                + listed))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(missed.statusCode()).isEqualTo(410);
    assertThat(missed.body()).contains("\"reason\":\"Expired\"");

    // Listed again, the watch goes through and hears what changes next.
    String relisted = configMaps.list().getMetadata().getResourceVersion();
    List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (io.fabric8.kubernetes.client.Watch watch =
        configMaps.watch(
            new io.fabric8.kubernetes.api.model.ListOptionsBuilder()
                .withResourceVersion(relisted)
                .build(),
            new io.fabric8.kubernetes.client.Watcher<io.fabric8.kubernetes.api.model.ConfigMap>() {
              @Override
              public void eventReceived(
                  Action action, io.fabric8.kubernetes.api.model.ConfigMap configMap) {
                heard.add(action + " " + configMap.getMetadata().getName());
              }

              @Override
              public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
                heard.add("closed " + cause.getMessage());
              }
            })) {
      configMaps
          .resource(
              new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                  .withNewMetadata()
                  .withName(name + "-next")
                  .endMetadata()
                  .build())
          .create();
      await().atMost(Duration.ofSeconds(10)).until(() -> !heard.isEmpty());
      assertThat(heard).containsExactly("ADDED " + name + "-next");
    }
  }

  /**
   * Found by the chaos rounds (seed 7): after an outage of the API, every informer of the simulated
   * components (and node-watcher's pod informer) stopped hearing of changes, for good: the watch
   * resumed from before the outage was refused its upgrade with 410, so it tried the same version
   * again instead of listing. It is now answered as a real API server answers it, with an ERROR
   * event carrying the 410 Status, and the informer lists again and hears what was deleted.
   */
  @Test
  void anInformerWatchingThroughAnOutageHearsOfWhatIsDeletedRightAfterIt() throws Exception {
    String prefix = "outage-" + java.util.UUID.randomUUID().toString().substring(0, 6) + "-";
    var configMaps = client.configMaps().inNamespace("default");
    for (int i = 0; i < 3; i++) {
      configMaps
          .resource(
              new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                  .withNewMetadata()
                  .withName(prefix + i)
                  .endMetadata()
                  .build())
          .create();
    }
    try (KubernetesClient other =
            new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(KUBECONFIG)))
                .build();
        var informer = other.configMaps().inNamespace("default").inform()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> names(informer, prefix).size() == 3);
      RestAssured.given()
          .contentType("application/json")
          .body("{\"duration\": \"PT6S\"}")
          .post("/_sim/api-outage")
          .then()
          .statusCode(202);
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> configMaps.list() != null);
      for (int i = 0; i < 3; i++) {
        configMaps.withName(prefix + i).delete();
      }

      await().atMost(Duration.ofSeconds(60)).until(() -> names(informer, prefix).isEmpty());
      // The informer lists again after the 410 and only then watches: it is watching once more
      // within a short while, not necessarily at the instant its store caught up.
      await().atMost(Duration.ofSeconds(30)).until(informer::isWatching);
    }
  }

  @Test
  void aStrategicMergePatchAsKubectlSendsByDefaultSetsTheField() {
    String name = client.persistentVolumes().list().getItems().get(0).getMetadata().getName();
    var volume = client.persistentVolumes().withName(name);
    assertThat(volume.get().getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Delete");

    volume.patch(
        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
            io.fabric8.kubernetes.client.dsl.base.PatchType.STRATEGIC_MERGE),
        "{\"spec\":{\"persistentVolumeReclaimPolicy\":\"Retain\"}}");

    try {
      assertThat(volume.get().getSpec().getPersistentVolumeReclaimPolicy()).isEqualTo("Retain");
      assertThat(volume.get().getSpec().getCsi().getDriver()).isNotBlank();
    } finally {
      volume.patch(
          io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
              io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
          "{\"spec\":{\"persistentVolumeReclaimPolicy\":\"Delete\"}}");
    }
  }

  private static List<String> names(
      io.fabric8.kubernetes.client.informers.SharedIndexInformer<
              io.fabric8.kubernetes.api.model.ConfigMap>
          informer,
      String prefix) {
    return informer.getStore().list().stream()
        .map(c -> c.getMetadata().getName())
        .filter(n -> n.startsWith(prefix))
        .toList();
  }

  private static List<String> readyNodes() {
    return client.nodes().list().getItems().stream()
        .filter(
            n ->
                n.getStatus().getConditions().stream()
                    .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True")))
        .map(n -> n.getMetadata().getName())
        .toList();
  }

  @Test
  void seedsANodePerServerAndAStatefulSetPodPerAttachedVolume() {
    Node master = client.nodes().withName("t-master").get();
    assertThat(master.getSpec().getProviderID()).isEqualTo("hcloud://1");
    assertThat(master.getMetadata().getLabels())
        .containsEntry("node-role.kubernetes.io/control-plane", "true");
    assertThat(master.getSpec().getTaints())
        .extracting(Taint::getKey)
        .contains("CriticalAddonsOnly");
    Node worker = client.nodes().withName("t-nbg-old").get();
    assertThat(worker.getMetadata().getLabels())
        .containsEntry(K3s.CSI_LOCATION_LABEL, "nbg1")
        .containsEntry(K3s.REGION_LABEL, "nbg1");
    assertThat(client.nodes().list().getItems())
        .as("one per server of cluster-test.yaml")
        .hasSize(14);

    Pod fill = client.pods().inNamespace("default").withName("fill-7").get();
    assertThat(fill.getSpec().getNodeName()).isEqualTo("t-hel-full");
    assertThat(ready(fill)).isTrue();
    assertThat(fill.getSpec().getVolumes().get(0).getPersistentVolumeClaim().getClaimName())
        .isEqualTo("data-fill-7");
    assertThat(
            client
                .persistentVolumeClaims()
                .inNamespace("default")
                .withName("data-fill-7")
                .get()
                .getSpec()
                .getVolumeName())
        .isEqualTo("pvc-fill-7");
    assertThat(
            client
                .persistentVolumes()
                .withName("pvc-fill-7")
                .get()
                .getSpec()
                .getCsi()
                .getVolumeHandle())
        .isEqualTo("607");
    assertThat(
            client
                .apps()
                .statefulSets()
                .inNamespace("default")
                .withName("fill")
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(16);
    assertThat(client.persistentVolumes().withName("pvc-loose").get().getSpec().getClaimRef())
        .isNull();
    assertThat(attachmentsOf("pvc-fill-7"))
        .singleElement()
        .satisfies(
            va -> {
              assertThat(va.getSpec().getNodeName()).isEqualTo("t-hel-full");
              assertThat(va.getStatus().getAttached()).isTrue();
            });
  }

  @Test
  void kubectlListsAndDeletesThroughTheDiscoveryDocuments() {
    Path kubectl =
        OutsideTools.require("kubectl", "apt-get install kubernetes-client (or any kubectl)");
    CommandRun nodes = kubectl(kubectl, "get", "nodes", "-o", "name");
    assertThat(nodes.stdout()).contains("node/t-master", "node/t-hel-full");
    // Printed from the server's Tables, with the columns an on-call person reads.
    CommandRun table = kubectl(kubectl, "get", "nodes", "t-master", "t-ash");
    assertThat(table.stdout().lines().toList())
        .first()
        .asString()
        .matches("NAME\\s+STATUS\\s+ROLES\\s+AGE\\s+VERSION");
    assertThat(table.stdout())
        .containsPattern("t-master\\s+Ready\\s+control-plane,master\\s+\\d+[smhd]\\s+v1\\.31")
        .containsPattern("t-ash\\s+Ready\\s+<none>");
    CommandRun pods = kubectl(kubectl, "get", "pods", "-o", "wide");
    assertThat(pods.stdout())
        .containsPattern("fill-0\\s+1/1\\s+Running\\s+0\\s+\\d+[smhd]\\s+t-hel-full");

    String before =
        client.pods().inNamespace("default").withName("kube-0").get().getMetadata().getUid();
    kubectl(kubectl, "delete", "pod", "kube-0", "--wait=false");
    // The StatefulSet controller brings it back under the same name, with a new uid.
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Pod again = client.pods().inNamespace("default").withName("kube-0").get();
              assertThat(again).isNotNull();
              assertThat(again.getMetadata().getUid()).isNotEqualTo(before);
              assertThat(again.getSpec().getNodeName()).isEqualTo("t-ash");
              assertThat(ready(again)).isTrue();
            });
  }

  @Test
  void aDeadServersNodeGoesSilentThenUnknownWithTheUnreachableAndShutdownTaints() {
    Instant renewedBefore = renewTime("t-dies");
    sim("POST", "/_sim/servers/11/die");
    await()
        .atMost(GRACE.multipliedBy(4))
        .untilAsserted(
            () -> {
              Node node = client.nodes().withName("t-dies").get();
              assertThat(readyStatus(node)).isEqualTo("Unknown");
              assertThat(node.getSpec().getTaints())
                  .extracting(t -> t.getKey() + ":" + t.getEffect())
                  .contains(
                      K3s.UNREACHABLE_TAINT + ":NoSchedule",
                      K3s.UNREACHABLE_TAINT + ":NoExecute",
                      K3s.SHUTDOWN_TAINT + ":NoSchedule");
            });
    // Nobody renewed the Lease after the death, and the pod is left as it was.
    assertThat(renewTime("t-dies")).isBefore(renewedBefore.plusSeconds(2));
    Pod gamma = client.pods().inNamespace("default").withName("gamma-0").get();
    assertThat(gamma.getSpec().getNodeName()).isEqualTo("t-dies");
    assertThat(ready(gamma)).isTrue();
  }

  @Test
  void aNodeWhoseServerWasDeletedIsDeletedByTheCloudControllerManager() {
    sim("POST", "/_sim/servers/12/delete");
    await()
        .atMost(GRACE.multipliedBy(4))
        .until(() -> client.nodes().withName("t-deleted").get() == null);
  }

  @Test
  void aReplacementPodIsBoundInItsVolumesLocationAndReadyOnlyOnceTheVolumeIsAttachedThere() {
    sim("POST", "/_sim/servers/21/die");
    awaitUnknown("t-nbg-old");
    String old =
        client.pods().inNamespace("default").withName("moved-0").get().getMetadata().getUid();
    client.pods().inNamespace("default").withName("moved-0").withGracePeriod(0).delete();

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Pod pod = client.pods().inNamespace("default").withName("moved-0").get();
              assertThat(pod).isNotNull();
              assertThat(pod.getMetadata().getUid()).isNotEqualTo(old);
              assertThat(pod.getSpec().getNodeName()).isEqualTo("t-nbg-new");
              assertThat(pod.getStatus().getContainerStatuses())
                  .singleElement()
                  .satisfies(
                      c ->
                          assertThat(c.getState().getWaiting().getReason())
                              .isEqualTo("ContainerCreating"));
            });
    // The volume is still on the dead server: the pod waits, whatever the time.
    assertThat(ready(client.pods().inNamespace("default").withName("moved-0").get())).isFalse();

    api("POST", "/v1/volumes/502/actions/detach", "{}");
    await().atMost(Duration.ofSeconds(10)).until(() -> attachedTo(502) == null);
    api("POST", "/v1/volumes/502/actions/attach", "{\"server\": 22}");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(ready(client.pods().inNamespace("default").withName("moved-0").get()))
                  .isTrue();
              assertThat(attachmentsOf("pvc-moved-0"))
                  .filteredOn(va -> va.getSpec().getNodeName().equals("t-nbg-new"))
                  .singleElement()
                  .satisfies(va -> assertThat(va.getStatus().getAttached()).isTrue());
            });
  }

  @Test
  void aPodStaysUnschedulableWhenTheOnlyOtherNodeOfItsLocationHoldsSixteenVolumes() {
    sim("POST", "/_sim/servers/31/die");
    awaitUnknown("t-hel-old");
    client.pods().inNamespace("default").withName("solo-0").withGracePeriod(0).delete();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Pod pod = client.pods().inNamespace("default").withName("solo-0").get();
              assertThat(pod).isNotNull();
              assertThat(pod.getSpec().getNodeName()).isNull();
              assertThat(pod.getStatus().getConditions())
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("PodScheduled");
                        assertThat(c.getReason()).isEqualTo("Unschedulable");
                        assertThat(c.getMessage()).contains("hel1", "16");
                      });
            });
  }

  @Test
  void aServerLabelledCordonedRegistersItsNodeUnschedulableAndNothingIsPlacedThere() {
    assertThat(client.nodes().withName("t-hil-cordoned").get().getSpec().getUnschedulable())
        .isTrue();
    assertThat(client.nodes().withName("t-hil-old").get().getSpec().getUnschedulable()).isNull();

    sim("POST", "/_sim/servers/51/die");
    awaitUnknown("t-hil-old");
    client.pods().inNamespace("default").withName("lone-0").withGracePeriod(0).delete();

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Pod pod = client.pods().inNamespace("default").withName("lone-0").get();
              assertThat(pod).isNotNull();
              assertThat(pod.getSpec().getNodeName()).isNull();
              assertThat(pod.getStatus().getConditions())
                  .anySatisfy(c -> assertThat(c.getReason()).isEqualTo("Unschedulable"));
            });
  }

  @Test
  void aServerWithoutAKubeletNeverBecomesANodeWhileANewServerWithOneDoes() {
    HcloudSimProcess.shared()
        .send(
            "POST",
            "/_sim/add",
            """
            {"servers": [{"id": 77, "name": "t-hil-joins", "location": "hil"},
                         {"id": 78, "name": "t-hil-outsider", "location": "hil",
                          "labels": {"cluster-sim/kubelet": "none"}}]}
            """);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.nodes().withName("t-hil-joins").get() != null);
    // A later pass of the kubelets has renewed the new node's Lease: they passed over the other.
    Instant registered = Instant.now();
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> renewTime("t-hil-joins").isAfter(registered));
    assertThat(client.nodes().withName("t-hil-outsider").get()).isNull();
    HcloudSimProcess.shared().send("POST", "/_sim/servers/77/delete", "");
    HcloudSimProcess.shared().send("POST", "/_sim/servers/78/delete", "");
    // Leaves the cluster as it found it: the cloud controller manager deletes the Node.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.nodes().withName("t-hil-joins").get() == null);
  }

  @Test
  void anEvictionKeepsThePodDisruptionBudgetAndTheKubeletUnmountsBeforeThePodGoes() {
    String node = "t-sin-drained";
    KubernetesClient evicting = answeredAtOnce();
    assertThat(client.nodes().withName(node).get().getStatus().getVolumesInUse())
        .containsExactlyInAnyOrder(
            "kubernetes.io/csi/csi.hetzner.cloud^701", "kubernetes.io/csi/csi.hetzner.cloud^702");
    client
        .policy()
        .v1()
        .podDisruptionBudget()
        .inNamespace("default")
        .resource(
            new PodDisruptionBudgetBuilder()
                .withNewMetadata()
                .withName("duo")
                .endMetadata()
                .withNewSpec()
                .withMaxUnavailable(new IntOrString(1))
                .withNewSelector()
                .addToMatchLabels("app", "duo")
                .endSelector()
                .endSpec()
                .build())
        .create();
    // Cordoned, and alone in sin: an evicted pod's replacement stays Pending, unavailable. A merge
    // patch, as kubectl cordon sends it: the simulated kubelet writes the node meanwhile, and an
    // edit (which names the version it read) would be refused for it now and then.
    client
        .nodes()
        .withName(node)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"unschedulable\":true}}");
    String firstUid =
        client.pods().inNamespace("default").withName("duo-0").get().getMetadata().getUid();

    assertThat(evicting.pods().inNamespace("default").withName("duo-0").evict()).isTrue();

    // Asked again and again while duo-0 terminates, is gone, and comes back Pending: never
    // allowed, also in the moment it no longer exists and its replacement does not yet.
    List<Boolean> answers = new java.util.ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              answers.add(evicting.pods().inNamespace("default").withName("duo-1").evict());
              Pod replacement = client.pods().inNamespace("default").withName("duo-0").get();
              return replacement != null && !replacement.getMetadata().getUid().equals(firstUid);
            });
    assertThat(answers)
        .as("one pod of the set is down: the budget allows no second")
        .containsOnly(false);
    assertThat(client.pods().inNamespace("default").withName("duo-0").get().getSpec().getNodeName())
        .isNull();
    assertThat(client.nodes().withName(node).get().getStatus().getVolumesInUse())
        .containsExactly("kubernetes.io/csi/csi.hetzner.cloud^702");
    assertThat(evicting.pods().inNamespace("default").withName("duo-1").evict())
        .as("the replacement is not Ready: still one down")
        .isFalse();
    assertThat(
            client
                .pods()
                .inNamespace("default")
                .withName("duo-1")
                .get()
                .getMetadata()
                .getDeletionTimestamp())
        .isNull();
  }

  @Test
  void anEvictionMeetsOnlyThePodItNamesAndAForceDeletionEndsWhatNoKubeletWillFinish() {
    KubernetesClient evicting = answeredAtOnce();
    // A pod no node runs (its claim does not exist): evicted, it is gone at once, as the API
    // server ends the graceful deletion of a pod that was never scheduled.
    client
        .pods()
        .inNamespace("default")
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("waiting")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("busybox")
                .endContainer()
                .addNewVolume()
                .withName("data")
                .withNewPersistentVolumeClaim()
                .withClaimName("no-such-claim")
                .endPersistentVolumeClaim()
                .endVolume()
                .endSpec()
                .build())
        .create();
    assertThat(evicting.pods().inNamespace("default").withName("waiting").evict()).isTrue();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> client.pods().inNamespace("default").withName("waiting").get() == null);

    // An eviction that names another pod's UID (the one of that name it meant, since replaced)
    // is refused, 409, and the pod of that name now stays.
    Pod running = client.pods().inNamespace("default").withName("trio-0").get();
    assertThat(running.getSpec().getNodeName()).isEqualTo("t-hil-stopping");
    Eviction meantAnother = eviction("trio-0", "uid-of-a-pod-replaced-since");
    assertThatThrownBy(
            () -> evicting.pods().inNamespace("default").withName("trio-0").evict(meantAnother))
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(client.pods().inNamespace("default").withName("trio-0").get().getMetadata())
        .satisfies(
            meta -> {
              assertThat(meta.getUid()).isEqualTo(running.getMetadata().getUid());
              assertThat(meta.getDeletionTimestamp()).isNull();
            });

    // Its server dies, then the pod is evicted (no budget holds it): it is terminating, and no
    // kubelet will ever finish that. A force deletion removes it at once, and the StatefulSet
    // creates it again.
    sim("POST", "/_sim/servers/53/die");
    Eviction meantThisOne = eviction("trio-0", running.getMetadata().getUid());
    assertThat(evicting.pods().inNamespace("default").withName("trio-0").evict(meantThisOne))
        .isTrue();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                client
                        .pods()
                        .inNamespace("default")
                        .withName("trio-0")
                        .get()
                        .getMetadata()
                        .getDeletionTimestamp()
                    != null);
    client.pods().inNamespace("default").withName("trio-0").withGracePeriod(0).delete();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              Pod again = client.pods().inNamespace("default").withName("trio-0").get();
              assertThat(again).isNotNull();
              assertThat(again.getMetadata().getUid()).isNotEqualTo(running.getMetadata().getUid());
              assertThat(again.getMetadata().getDeletionTimestamp()).isNull();
            });
  }

  /** A client whose refusals (429, 409) are answered at once, as kubectl drain sees them. */
  private static KubernetesClient answeredAtOnce() {
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder(client.getConfiguration()).withRequestRetryBackoffLimit(0).build())
        .build();
  }

  /** An eviction of the pod that holds only while the pod of that name has the UID. */
  private static Eviction eviction(String pod, String uid) {
    return new EvictionBuilder()
        .withNewMetadata()
        .withName(pod)
        .withNamespace("default")
        .endMetadata()
        .withDeleteOptions(
            new DeleteOptionsBuilder()
                .withNewPreconditions()
                .withUid(uid)
                .endPreconditions()
                .build())
        .build();
  }

  @Test
  void theAttacherEmulationWaitsWhileTheVolumeIsAttachedElsewhereThenAttachesIt() {
    RestAssured.given()
        .contentType("application/json")
        .body("{\"csi_attacher\": true}")
        .put("/_sim/settings")
        .then()
        .statusCode(200);
    sim("POST", "/_sim/servers/13/die");
    awaitUnknown("t-fsn-attacher-old");
    client.pods().inNamespace("default").withName("alpha-0").withGracePeriod(0).delete();
    // The new pod's attachment is refused while the volume sits on the dead server.
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(attachmentsOf("pvc-alpha-0"))
                    .anySatisfy(
                        va -> {
                          assertThat(va.getSpec().getNodeName()).isNotEqualTo("t-fsn-attacher-old");
                          assertThat(va.getStatus().getAttachError()).isNotNull();
                          assertThat(va.getStatus().getAttachError().getMessage())
                              .contains("FailedPrecondition");
                        }));
    Pod pod = client.pods().inNamespace("default").withName("alpha-0").get();
    assertThat(ready(pod)).isFalse();
    long target =
        client
            .nodes()
            .withName(pod.getSpec().getNodeName())
            .get()
            .getSpec()
            .getProviderID()
            .transform(K3s::serverId);

    api("POST", "/v1/volumes/504/actions/detach", "{}");
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(attachedTo(504)).isEqualTo(target);
              assertThat(ready(client.pods().inNamespace("default").withName("alpha-0").get()))
                  .isTrue();
            });
    // The attach came from the attacher, through the Hetzner API, under its own User-Agent.
    assertThat(HcloudSimProcess.shared().send("GET", "/_sim/state", ""))
        .containsPattern("\"command\":\"attach_volume\"");
  }

  @Test
  void aBadSettingIsRefusedWithAJsonError() {
    RestAssured.given()
        .contentType("application/json")
        .body("{\"csi_attacher\": \"yes\"}")
        .put("/_sim/settings")
        .then()
        .statusCode(400)
        .body("error.code", org.hamcrest.Matchers.equalTo("invalid_input"))
        .body("error.message", org.hamcrest.Matchers.containsString("csi_attacher"));
  }

  /** Runs kubectl against the simulated cluster's API with its kubeconfig; exit code checked. */
  private static CommandRun kubectl(Path kubectl, String... args) {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(kubectl.toString(), "--kubeconfig", KUBECONFIG.toString()));
    command.addAll(List.of(args));
    CommandRun run = CommandRun.run(command, Map.of(), Duration.ofSeconds(60));
    assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.stderr()).isZero();
    return run;
  }

  /** Waits until the node lifecycle controller noticed the node's silence, as Lifeboat would. */
  private static void awaitUnknown(String node) {
    await()
        .atMost(GRACE.multipliedBy(4))
        .until(() -> readyStatus(client.nodes().withName(node).get()).equals("Unknown"));
  }

  @Test
  void theAttachersPauseMustBeADuration() {
    RestAssured.given()
        .contentType("application/json")
        .body("{\"csi_attacher_pause\": \"3 seconds\"}")
        .put("/_sim/settings")
        .then()
        .statusCode(400)
        .body("error.message", org.hamcrest.Matchers.containsString("ISO-8601"));
    RestAssured.given()
        .contentType("application/json")
        .body("{\"csi_attacher_pause\": \"PT1S\"}")
        .put("/_sim/settings")
        .then()
        .statusCode(200)
        .body("csi_attacher_pause", org.hamcrest.Matchers.equalTo("PT1S"));
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static String readyStatus(Node node) {
    return node.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .map(c -> c.getStatus())
        .findFirst()
        .orElse("none");
  }

  private static Instant renewTime(String node) {
    return client
        .resources(Lease.class)
        .inNamespace(K3s.NODE_LEASE_NAMESPACE)
        .withName(node)
        .get()
        .getSpec()
        .getRenewTime()
        .toInstant();
  }

  private static List<VolumeAttachment> attachmentsOf(String pv) {
    return client.storage().v1().volumeAttachments().list().getItems().stream()
        .filter(va -> pv.equals(va.getSpec().getSource().getPersistentVolumeName()))
        .toList();
  }

  private static Long attachedTo(long volumeId) {
    String body = api("GET", "/v1/volumes/" + volumeId, "");
    var matcher = java.util.regex.Pattern.compile("\"server\":(\\d+|null)").matcher(body);
    return matcher.find() && !matcher.group(1).equals("null")
        ? Long.valueOf(matcher.group(1))
        : null;
  }

  private static void sim(String method, String path) {
    HcloudSimProcess.shared().send(method, path, "");
  }

  private static String api(String method, String path, String body) {
    return RestAssured.given()
        .baseUri(HcloudSimProcess.shared().baseUrl())
        .port(-1)
        .header("Authorization", "Bearer test")
        .contentType("application/json")
        .body(body)
        .request(method, path)
        .then()
        .statusCode(org.hamcrest.Matchers.lessThan(300))
        .extract()
        .asString();
  }
}
