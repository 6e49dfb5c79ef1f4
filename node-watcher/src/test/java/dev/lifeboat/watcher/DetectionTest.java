package dev.lifeboat.watcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.cluster.ClusterCommandFailed;
import dev.lifeboat.events.cluster.ClusterCommandSucceeded;
import dev.lifeboat.events.cluster.ClusterResult;
import dev.lifeboat.events.cluster.DeclareNodeGone;
import dev.lifeboat.events.codec.MessageCodec;
import dev.lifeboat.events.kafka.KafkaHeaders;
import dev.lifeboat.events.node.GoneReason;
import dev.lifeboat.events.node.NodeEvent;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.node.NodeReturned;
import dev.lifeboat.events.node.NodeSuspected;
import dev.lifeboat.events.node.StormGuardTripped;
import dev.lifeboat.events.node.SuspicionReason;
import dev.lifeboat.testkit.KafkaBrokerResource;
import dev.lifeboat.testkit.LifeboatTopics;
import dev.lifeboat.testkit.MonitoringQueries;
import dev.lifeboat.watcher.domain.NodeFacts;
import dev.lifeboat.watcher.kubernetes.ClusterCache;
import dev.lifeboat.watcher.kubernetes.NodeWatch;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each detection rule against the Fabric8 mock API server (CRUD mode) and the real broker, with the
 * test profile's graces (Lease suspect 2 s, gone 4 s; not Ready 4 s). The time from trigger to
 * event is printed; only its lower bound (the grace) is asserted, the machine being shared.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@WithKubernetesTestServer(crud = true)
class DetectionTest {

  private static final Duration GRACE = Duration.ofSeconds(4);
  private static final Duration WAIT = Duration.ofSeconds(40);

  @Inject KubernetesClient client;
  @Inject ClusterCache cache;
  @Inject NodeWatch detection;
  @Inject dev.lifeboat.watcher.kubernetes.Leadership leadership;

  private static LifeboatTopics topics;
  private SimulatedNodes nodes;
  private String run;

  @BeforeAll
  static void openTopics() {
    topics = LifeboatTopics.onSharedBroker();
  }

  @AfterAll
  static void closeTopics() {
    topics.close();
  }

  @BeforeEach
  void cluster() {
    nodes = new SimulatedNodes(client);
    run = UUID.randomUUID().toString().substring(0, 6);
    for (int i = 1; i <= 6; i++) {
      nodes.add(name(i), 4200 + i, "fsn1");
    }
  }

  @AfterEach
  void tearDown() {
    nodes.close();
  }

  @Test
  void aDeletedNodeIsGoneAtOnce() {
    Instant trigger = Instant.now();
    nodes.delete(name(1));

    NodeGone gone = awaitEvent(NodeGone.class, name(1));

    assertThat(gone.reason()).isEqualTo(GoneReason.NODE_DELETED);
    assertThat(gone.node().serverId()).isEqualTo(4201);
    report("NODE_DELETED", trigger, gone);
  }

  @Test
  void aGoneNodesInventoryIsReadFromTheApiObjects() {
    client
        .persistentVolumes()
        .resource(
            new PersistentVolumeBuilder()
                .withNewMetadata()
                .withName("pv-" + run)
                .endMetadata()
                .withNewSpec()
                .withNewCsi()
                .withDriver("csi.hetzner.cloud")
                .withVolumeHandle("100077")
                .endCsi()
                .withNewClaimRef()
                .withNamespace("shop")
                .withName("data-" + run)
                .endClaimRef()
                .withNewNodeAffinity()
                .withNewRequired()
                .addNewNodeSelectorTerm()
                .addNewMatchExpression()
                .withKey(NodeFacts.CSI_LOCATION_LABEL)
                .withOperator("In")
                .withValues("fsn1")
                .endMatchExpression()
                .endNodeSelectorTerm()
                .endRequired()
                .endNodeAffinity()
                .endSpec()
                .build())
        .create();
    client
        .persistentVolumeClaims()
        .inNamespace("shop")
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("data-" + run)
                .withNamespace("shop")
                .endMetadata()
                .withNewSpec()
                .withVolumeName("pv-" + run)
                .endSpec()
                .build())
        .create();
    client
        .pods()
        .inNamespace("shop")
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("db-" + run)
                .withNamespace("shop")
                .withUid(UUID.randomUUID().toString())
                .withLabels(java.util.Map.of("pod-template-hash", "5d8f7c"))
                .addNewOwnerReference()
                .withKind("ReplicaSet")
                .withName("db-5d8f7c")
                .withController(true)
                .withApiVersion("apps/v1")
                .withUid("rs")
                .endOwnerReference()
                .endMetadata()
                .withNewSpec()
                .withNodeName(name(6))
                .addNewVolume()
                .withName("data")
                .withNewPersistentVolumeClaim()
                .withClaimName("data-" + run)
                .endPersistentVolumeClaim()
                .endVolume()
                .endSpec()
                .build())
        .create();
    await()
        .atMost(WAIT)
        .until(() -> cache.pods().stream().anyMatch(p -> p.name().equals("db-" + run)));

    nodes.taint(name(6), NodeFacts.SHUTDOWN_TAINT, "NoSchedule");
    NodeGone gone = awaitEvent(NodeGone.class, name(6));

    assertThat(gone.node().location()).isEqualTo("fsn1");
    assertThat(gone.volumes())
        .singleElement()
        .satisfies(
            volume -> {
              assertThat(volume.volumeId()).isEqualTo(100077);
              assertThat(volume.location()).isEqualTo("fsn1");
              assertThat(volume.claim().name()).isEqualTo("data-" + run);
              assertThat(volume.pods())
                  .singleElement()
                  .satisfies(
                      pod -> {
                        assertThat(pod.ownerKind()).isEqualTo("Deployment");
                        assertThat(pod.ownerName()).isEqualTo("db");
                      });
            });
    assertThat(gone.eligibleIn("fsn1")).hasSize(5).noneMatch(n -> n.name().equals(name(6)));
    assertThat(gone.knownNodes()).isGreaterThanOrEqualTo(6);
  }

  @Test
  void aStaleLeaseIsSuspectedThenGoneAfterTheGrace() {
    Instant lastRenew = nodes.stopRenewing(name(2));

    NodeSuspected suspected = awaitEvent(NodeSuspected.class, name(2));
    NodeGone gone = awaitEvent(NodeGone.class, name(2));

    assertThat(suspected.reason()).isEqualTo(SuspicionReason.LEASE_OVERDUE);
    assertThat(gone.reason()).isEqualTo(GoneReason.LEASE_EXPIRED);
    assertThat(Duration.between(lastRenew, gone.occurredAt())).isGreaterThan(GRACE);
    assertThat(gone.incidentId()).isEqualTo(suspected.incidentId());
    report("LEASE_EXPIRED (from the last renewal)", lastRenew, gone);
  }

  @Test
  void aSuspectedNodeWhoseServerIsShownOffIsGoneBeforeTheGrace() {
    Instant lastRenew = nodes.stopRenewing(name(2));
    NodeSuspected suspected = awaitEvent(NodeSuspected.class, name(2));

    ClusterResult answer = detection.declareGone(declare(suspected));
    NodeGone gone = awaitEvent(NodeGone.class, name(2));

    assertThat(answer)
        .isInstanceOfSatisfying(
            ClusterCommandSucceeded.class,
            s -> assertThat(s.detail()).contains("declared gone", "status off"));
    assertThat(gone.reason()).isEqualTo(GoneReason.SERVER_OFF);
    assertThat(gone.incidentId()).isEqualTo(suspected.incidentId());
    assertThat(client.nodes().withName(name(2)).get().getMetadata().getAnnotations())
        .containsEntry("lifeboat.dev/declared-gone", suspected.incidentId());
    report("SERVER_OFF (from the last renewal)", lastRenew, gone);
  }

  @Test
  void theEvidenceAboutANodeThatCameBackDeclaresNothing() {
    nodes.stopRenewing(name(3));
    NodeSuspected suspected = awaitEvent(NodeSuspected.class, name(3));
    nodes.resumeRenewing(name(3));
    awaitEvent(NodeReturned.class, name(3));

    ClusterResult answer = detection.declareGone(declare(suspected));

    assertThat(answer)
        .isInstanceOfSatisfying(
            ClusterCommandFailed.class,
            f -> {
              assertThat(f.code()).isEqualTo("NOT_SUSPECTED");
              assertThat(f.retryable()).isFalse();
            });
    await()
        .pollDelay(GRACE.plusSeconds(1))
        .atMost(GRACE.plusSeconds(10))
        .untilAsserted(() -> assertThat(events(NodeGone.class, name(3))).isEmpty());
  }

  @Test
  void notReadyForLongerThanTheGraceIsGone() {
    Instant trigger = Instant.now();
    nodes.setReady(name(3), "False");

    NodeGone gone = awaitEvent(NodeGone.class, name(3));

    assertThat(gone.reason()).isEqualTo(GoneReason.NOT_READY);
    assertThat(Duration.between(trigger, gone.occurredAt())).isGreaterThan(GRACE.minusMillis(500));
    report("NOT_READY", trigger, gone);
  }

  @Test
  void theShutdownTaintIsGoneAtOnce() {
    Instant trigger = Instant.now();
    nodes.taint(name(4), NodeFacts.SHUTDOWN_TAINT, "NoSchedule");

    NodeGone gone = awaitEvent(NodeGone.class, name(4));

    assertThat(gone.reason()).isEqualTo(GoneReason.SERVER_SHUTDOWN);
    report("SERVER_SHUTDOWN", trigger, gone);
  }

  @Test
  void aNodeThatRecoversWithinTheGraceReturnsAndIsNeverGone() {
    nodes.stopRenewing(name(5));
    awaitEvent(NodeSuspected.class, name(5));

    nodes.resumeRenewing(name(5));
    NodeReturned returned = awaitEvent(NodeReturned.class, name(5));

    assertThat(returned.node().name()).isEqualTo(name(5));
    await()
        .pollDelay(GRACE.plusSeconds(1))
        .atMost(GRACE.plusSeconds(10))
        .untilAsserted(() -> assertThat(events(NodeGone.class, name(5))).isEmpty());
  }

  @Test
  void halfTheLeasesGoingStaleAtOnceOnlyRaiseSuspicionsAndAnAlert() {
    for (int i = 1; i <= 3; i++) {
      nodes.stopRenewing(name(i));
    }

    for (int i = 1; i <= 3; i++) {
      StormGuardTripped alert = awaitEvent(StormGuardTripped.class, name(i));
      assertThat(alert.lostNodes()).isGreaterThanOrEqualTo(3);
    }
    await()
        .pollDelay(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              for (int i = 1; i <= 3; i++) {
                assertThat(events(NodeGone.class, name(i))).isEmpty();
              }
            });
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private static DeclareNodeGone declare(NodeSuspected suspected) {
    return new DeclareNodeGone(
        MessageIds.random(),
        suspected.incidentId(),
        Instant.now(),
        MessageIds.random(),
        suspected.node().name(),
        suspected.node().serverId(),
        "server " + suspected.node().serverId() + " status off",
        null);
  }

  private String name(int i) {
    return "w" + i + "-" + run;
  }

  private static void report(String rule, Instant trigger, NodeEvent event) {
    System.out.printf(
        "detection %s: %d ms from trigger to event%n",
        rule, Duration.between(trigger, event.occurredAt()).toMillis());
  }

  private <T extends NodeEvent> T awaitEvent(Class<T> type, String node) {
    return await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> events(type, node), found -> !found.isEmpty())
        .get(0);
  }

  private <T extends NodeEvent> List<T> events(Class<T> type, String node) {
    return topics.records(Topic.NODE_EVENTS).stream()
        .map(r -> MessageCodec.read(KafkaHeaders.asText(r.headers()), r.value()))
        .filter(r -> r instanceof dev.lifeboat.events.codec.ReadResult.Read)
        .map(r -> (LifeboatMessage) r.orThrow())
        .filter(type::isInstance)
        .map(type::cast)
        .filter(e -> e.node().name().equals(node))
        .toList();
  }

  @Test
  void theLeaderGaugeSaysWhetherThisInstanceLeads() {
    // Some tests here take the leadership away: the gauge follows whatever it is now.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              boolean before = leadership.leading();
              String metrics = io.restassured.RestAssured.get("/q/metrics").asString();
              assertThat(leadership.leading()).isEqualTo(before);
              assertThat(metrics)
                  .containsPattern(
                      "(?m)^lifeboat_watcher_leader(\\{[^}]*})? " + (before ? "1" : "0") + "\\.0$")
                  .containsPattern(
                      "(?m)^lifeboat_watcher_detections_total\\{[^}]*kind=\"storm-guard\"[^}]*}"
                          + " [0-9]+\\.0$");
            });
  }

  @Test
  void everyMetricTheAlertsAndTheDashboardQueryIsExported() {
    MonitoringQueries.assertExported(MonitoringQueries.WATCHER);
  }
}
