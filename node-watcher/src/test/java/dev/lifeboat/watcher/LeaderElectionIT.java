package dev.lifeboat.watcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.codec.MessageCodec;
import dev.lifeboat.events.codec.ReadResult;
import dev.lifeboat.events.inventory.NodeInventory;
import dev.lifeboat.events.kafka.KafkaHeaders;
import dev.lifeboat.events.node.GoneReason;
import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.NodeEvent;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.node.NodeSuspected;
import dev.lifeboat.testkit.JarProcess;
import dev.lifeboat.testkit.LifeboatTopics;
import dev.lifeboat.testkit.TestKafka;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachmentBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two packaged watchers against one mock API server: only the leader reports; when it stops, the
 * other takes over from the cluster's state and does not report a loss a second time.
 */
class LeaderElectionIT {

  private final Map<String, Process> watchers = new HashMap<>();
  private KubernetesMockServer server;

  @AfterEach
  void stop() {
    watchers.values().forEach(Process::destroyForcibly);
    if (server != null) {
      server.destroy();
    }
  }

  @Test
  void onlyTheLeaderReportsAndATakeoverDoesNotReportALossTwice() throws Exception {
    TestKafka broker = TestKafka.shared();
    broker.createLifeboatTopics(Topic.DEFAULT_PREFIX);
    NamespacedKubernetesClient client = startApiServer();
    String apiServer = client.getMasterUrl().toString();
    try (LifeboatTopics topics = LifeboatTopics.onSharedBroker();
        SimulatedNodes nodes = new SimulatedNodes(client)) {
      for (int i = 1; i <= 6; i++) {
        nodes.add("node-" + i, 4400 + i, "fsn1");
      }
      start("a", broker, apiServer, Topic.DEFAULT_PREFIX);
      start("b", broker, apiServer, Topic.DEFAULT_PREFIX);
      String first = awaitLeader(client, null);

      nodes.stopRenewing("node-1");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> !events(topics, NodeGone.class, "node-1").isEmpty());
      await()
          .pollDelay(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                assertThat(events(topics, NodeSuspected.class, "node-1")).hasSize(1);
                assertThat(events(topics, NodeGone.class, "node-1")).hasSize(1);
              });

      watchers.get(first).destroy(); // SIGTERM: the leader releases its Lease on the way out
      watchers.get(first).waitFor();
      String second = awaitLeader(client, first);
      System.out.printf("leader %s stopped; %s took over%n", first, second);

      nodes.stopRenewing("node-2");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> !events(topics, NodeGone.class, "node-2").isEmpty());
      assertThat(events(topics, NodeGone.class, "node-1"))
          .as("the new leader found node-1 declared and did not declare it again")
          .hasSize(1);
      assertThat(events(topics, NodeGone.class, "node-2")).hasSize(1);
    }
  }

  /**
   * Found by the chaos rounds (seed 20): a server deleted at Hetzner while the only watcher was
   * down, its Node then deleted by the cloud controller manager, got no incident: the watcher
   * learns of a deletion from the watch event, and none came. The watcher that takes over finds it
   * from the last reports on node-inventory and declares it gone with the volumes it last held; a
   * node declared gone before it was deleted is not declared again.
   */
  @Test
  void aNodeDeletedWhileNoWatcherWatchedIsLostOnceOneWatchesAgain() throws Exception {
    TestKafka broker = TestKafka.shared();
    String prefix = "unseen-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    broker.createLifeboatTopics(prefix);
    NamespacedKubernetesClient client = startApiServer();
    String apiServer = client.getMasterUrl().toString();
    try (LifeboatTopics topics = new LifeboatTopics(broker.bootstrapServers(), prefix);
        SimulatedNodes nodes = new SimulatedNodes(client)) {
      for (int i = 1; i <= 6; i++) {
        nodes.add("node-" + i, 4400 + i, "fsn1");
      }
      holdVolume(client, "node-5", 100555);
      start("a", broker, apiServer, prefix);
      awaitLeader(client, null);
      nodes.stopRenewing("node-6");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> !events(topics, NodeGone.class, "node-6").isEmpty());
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(lastReport(topics, "node-5"))
                    .hasValueSatisfying(
                        r -> assertThat(r.volumes()).extracting("volumeId").contains(100555L));
                assertThat(lastReport(topics, "node-6"))
                    .hasValueSatisfying(r -> assertThat(r.declaredGone()).isNotNull());
              });

      watchers.get("a").destroy();
      watchers.get("a").waitFor();
      nodes.delete("node-5");
      nodes.delete("node-6");
      client.storage().v1().volumeAttachments().withName("va-100555").delete();
      start("b", broker, apiServer, prefix);

      NodeGone gone =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(() -> events(topics, NodeGone.class, "node-5"), found -> !found.isEmpty())
              .get(0);
      assertThat(gone.reason()).isEqualTo(GoneReason.NODE_DELETED);
      assertThat(gone.node().serverId()).isEqualTo(4405);
      assertThat(gone.volumes())
          .as("the volumes of its last report: its VolumeAttachment went with its server")
          .extracting(HeldVolume::volumeId)
          .containsExactly(100555L);
      assertThat(events(topics, NodeGone.class, "node-6"))
          .as("declared by the first watcher before its deletion: not again")
          .hasSize(1);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(lastReport(topics, "node-5"))
                      .hasValueSatisfying(r -> assertThat(r.deleted()).isTrue()));
    }
  }

  private NamespacedKubernetesClient startApiServer() {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    return server.createClient();
  }

  /** A Hetzner volume attached to the node: its PersistentVolume and VolumeAttachment. */
  private static void holdVolume(NamespacedKubernetesClient client, String node, long volumeId) {
    client
        .persistentVolumes()
        .resource(
            new PersistentVolumeBuilder()
                .withNewMetadata()
                .withName("pv-" + volumeId)
                .endMetadata()
                .withNewSpec()
                .withNewCsi()
                .withDriver("csi.hetzner.cloud")
                .withVolumeHandle(Long.toString(volumeId))
                .endCsi()
                .withNewClaimRef()
                .withNamespace("shop")
                .withName("data-" + volumeId)
                .endClaimRef()
                .endSpec()
                .build())
        .create();
    client
        .storage()
        .v1()
        .volumeAttachments()
        .resource(
            new VolumeAttachmentBuilder()
                .withNewMetadata()
                .withName("va-" + volumeId)
                .endMetadata()
                .withNewSpec()
                .withAttacher("csi.hetzner.cloud")
                .withNodeName(node)
                .withNewSource()
                .withPersistentVolumeName("pv-" + volumeId)
                .endSource()
                .endSpec()
                .build())
        .create();
  }

  /** The node's latest record on node-inventory; empty when none. */
  private static Optional<NodeInventory> lastReport(LifeboatTopics topics, String node) {
    NodeInventory last = null;
    for (ConsumerRecord<String, byte[]> record : topics.records(Topic.NODE_INVENTORY)) {
      ReadResult read = MessageCodec.read(KafkaHeaders.asText(record.headers()), record.value());
      if (read instanceof ReadResult.Read ok
          && ok.message() instanceof NodeInventory report
          && report.node().name().equals(node)) {
        last = report;
      }
    }
    return Optional.ofNullable(last);
  }

  private void start(String name, TestKafka broker, String apiServer, String prefix) {
    Process process =
        JarProcess.start(
            Path.of("target", "quarkus-app", "quarkus-run.jar"),
            JarProcess.freePort(),
            List.of(
                "kafka.bootstrap.servers=" + broker.bootstrapServers(),
                "lifeboat.topic-prefix=" + prefix,
                "quarkus.kubernetes-client.api-server-url=" + apiServer,
                "quarkus.kubernetes-client.trust-certs=true",
                "lifeboat.watcher.leader.identity=watcher-" + name,
                "lifeboat.watcher.leader.namespace=lifeboat",
                "lifeboat.watcher.leader.lease-duration=4s",
                "lifeboat.watcher.leader.renew-deadline=3s",
                "lifeboat.watcher.leader.retry-period=500ms",
                "lifeboat.watcher.lease-suspect=2s",
                "lifeboat.watcher.lease-grace=4s",
                "lifeboat.watcher.lease-renew-period=500ms",
                "lifeboat.watcher.storm.window=3s"),
            Path.of("target", "watcher-" + name + ".log"));
    watchers.put(name, process);
  }

  /** The name ("a" or "b") of the instance holding the Lease, other than {@code not}. */
  private static String awaitLeader(NamespacedKubernetesClient client, String not) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              Lease lease =
                  client
                      .resources(Lease.class)
                      .inNamespace("lifeboat")
                      .withName("lifeboat-node-watcher")
                      .get();
              if (lease == null || lease.getSpec().getHolderIdentity() == null) {
                return null;
              }
              String holder = lease.getSpec().getHolderIdentity();
              String name =
                  holder.startsWith("watcher-a")
                      ? "a"
                      : holder.startsWith("watcher-b") ? "b" : null;
              return name != null && !name.equals(not) ? name : null;
            },
            name -> name != null);
  }

  private static <T extends NodeEvent> List<T> events(
      LifeboatTopics topics, Class<T> type, String node) {
    List<T> found = new ArrayList<>();
    topics
        .records(Topic.NODE_EVENTS)
        .forEach(
            record -> {
              ReadResult read =
                  MessageCodec.read(KafkaHeaders.asText(record.headers()), record.value());
              if (read instanceof ReadResult.Read ok) {
                LifeboatMessage message = ok.message();
                if (type.isInstance(message) && ((NodeEvent) message).node().name().equals(node)) {
                  found.add(type.cast(message));
                }
              }
            });
    return found;
  }
}
