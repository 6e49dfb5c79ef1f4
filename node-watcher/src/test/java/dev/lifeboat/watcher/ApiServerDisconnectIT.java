package dev.lifeboat.watcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.events.Topic;
import dev.lifeboat.events.codec.MessageCodec;
import dev.lifeboat.events.codec.ReadResult;
import dev.lifeboat.events.kafka.KafkaHeaders;
import dev.lifeboat.events.node.NodeEvent;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.node.StormGuardTripped;
import dev.lifeboat.testkit.JarProcess;
import dev.lifeboat.testkit.LifeboatTopics;
import dev.lifeboat.testkit.TestKafka;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The API server goes away and comes back (a new server on the same port): right after, one node's
 * stale Lease is within the storm guard's share, yet it is only suspected with an alert, because
 * the watcher's own watches just broke.
 */
class ApiServerDisconnectIT {

  private Process watcher;
  private KubernetesMockServer server;

  @AfterEach
  void stop() {
    if (watcher != null) {
      watcher.destroyForcibly();
    }
    if (server != null) {
      server.destroy();
    }
  }

  @Test
  void aLossRightAfterTheApiServerCameBackIsOnlySuspectedUntilTheWatchesHold() throws Exception {
    TestKafka broker = TestKafka.shared();
    broker.createLifeboatTopics(Topic.DEFAULT_PREFIX);
    server = newServer(0);
    int port = server.getPort();
    try (LifeboatTopics topics = LifeboatTopics.onSharedBroker()) {
      SimulatedNodes before = new SimulatedNodes(server.createClient());
      for (int i = 1; i <= 6; i++) {
        before.add("dc-" + i, 4600 + i, "fsn1");
      }
      watcher =
          JarProcess.start(
              Path.of("target", "quarkus-app", "quarkus-run.jar"),
              JarProcess.freePort(),
              List.of(
                  "kafka.bootstrap.servers=" + broker.bootstrapServers(),
                  "quarkus.kubernetes-client.api-server-url=http://localhost:" + port,
                  "lifeboat.watcher.leader.namespace=lifeboat",
                  "lifeboat.watcher.leader.lease-duration=30s",
                  "lifeboat.watcher.leader.renew-deadline=20s",
                  "lifeboat.watcher.leader.retry-period=500ms",
                  "lifeboat.watcher.lease-suspect=2s",
                  "lifeboat.watcher.lease-grace=4s",
                  "lifeboat.watcher.lease-renew-period=500ms",
                  "lifeboat.watcher.storm.window=3s"),
              Path.of("target", "watcher-disconnect.log"));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  server.createClient().leases().inNamespace("lifeboat").list().getItems().size()
                      == 1);

      before.close();
      server.destroy();
      // The outage lasts a few seconds, as a real API server restart does.
      await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
      server = newServer(port);
      try (SimulatedNodes after = new SimulatedNodes(server.createClient())) {
        for (int i = 1; i <= 6; i++) {
          after.add("dc-" + i, 4600 + i, "fsn1");
        }
        after.stopRenewing("dc-1");

        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> !events(topics, StormGuardTripped.class, "dc-1").isEmpty());
        StormGuardTripped alert = events(topics, StormGuardTripped.class, "dc-1").get(0);
        System.out.printf("after the API server came back: %s%n", alert.detail());
        assertThat(alert.detail()).contains("watches were disconnected");
        // The guard holds for one lease grace after the watches broke; a Lease still stale after
        // that, with watches that work, is fresh evidence, and the node is declared then.
        Instant trouble =
            Instant.parse(
                alert.detail().replaceFirst(".* resynced at ", "").replaceFirst(",.*", ""));
        NodeGone gone =
            await()
                .atMost(Duration.ofSeconds(60))
                .until(() -> events(topics, NodeGone.class, "dc-1"), found -> !found.isEmpty())
                .get(0);
        assertThat(gone.occurredAt()).isAfterOrEqualTo(trouble.plusSeconds(4));
        assertThat(alert.occurredAt()).isBefore(gone.occurredAt());
      }
    }
  }

  private static KubernetesMockServer newServer(int port) throws Exception {
    KubernetesMockServer mock =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    mock.init(InetAddress.getByName("localhost"), port);
    return mock;
  }

  private static <T extends NodeEvent> List<T> events(
      LifeboatTopics topics, Class<T> type, String node) {
    return topics.records(Topic.NODE_EVENTS).stream()
        .map(r -> MessageCodec.read(KafkaHeaders.asText(r.headers()), r.value()))
        .filter(r -> r instanceof ReadResult.Read)
        .map(ReadResult::orThrow)
        .filter(type::isInstance)
        .map(type::cast)
        .filter(e -> e.node().name().equals(node))
        .toList();
  }
}
