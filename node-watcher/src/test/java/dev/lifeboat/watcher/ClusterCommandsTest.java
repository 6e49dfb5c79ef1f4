package dev.lifeboat.watcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.events.CommandResult;
import dev.lifeboat.events.FailureCodes;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.cluster.AwaitPodReady;
import dev.lifeboat.events.cluster.AwaitReplacementPod;
import dev.lifeboat.events.cluster.ClusterCommand;
import dev.lifeboat.events.cluster.ClusterCommandFailed;
import dev.lifeboat.events.cluster.ClusterCommandSucceeded;
import dev.lifeboat.events.cluster.ClusterResult;
import dev.lifeboat.events.cluster.CordonNode;
import dev.lifeboat.events.cluster.DeleteVolumeAttachments;
import dev.lifeboat.events.cluster.EvictPods;
import dev.lifeboat.events.cluster.ForceDeletePods;
import dev.lifeboat.events.cluster.PodReady;
import dev.lifeboat.events.cluster.RemoveOutOfServiceTaint;
import dev.lifeboat.events.cluster.ReplacementPodScheduled;
import dev.lifeboat.events.cluster.RequeueVolumeAttachment;
import dev.lifeboat.events.cluster.TaintNodeOutOfService;
import dev.lifeboat.events.node.ClaimRef;
import dev.lifeboat.events.node.PodRef;
import dev.lifeboat.testkit.KafkaBrokerResource;
import dev.lifeboat.testkit.LifeboatTopics;
import dev.lifeboat.watcher.domain.Detector;
import dev.lifeboat.watcher.domain.NodeFacts;
import dev.lifeboat.watcher.kubernetes.ClusterActions;
import dev.lifeboat.watcher.kubernetes.ClusterCache;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachment;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachmentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each cluster command through the real broker, its effect on the API objects of the mock server,
 * and the same command again: no harm, the same outcome.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@WithKubernetesTestServer(crud = true)
class ClusterCommandsTest {

  @Inject KubernetesClient client;
  @Inject ClusterCache cache;
  @KubernetesTestServer KubernetesServer server;

  private static LifeboatTopics topics;
  private SimulatedNodes nodes;
  private String lost;
  private String healthy;

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
    String run = UUID.randomUUID().toString().substring(0, 6);
    lost = "lost-" + run;
    healthy = "ok-" + run;
    nodes.add(lost, 4302, "fsn1");
    nodes.add(healthy, 4303, "fsn1");
  }

  @AfterEach
  void tearDown() {
    nodes.close();
  }

  @Test
  void theOutOfServiceTaintIsAddedOnceAndRemoved() {
    ClusterCommandSucceeded first = run(new TaintNodeOutOfService(id(), "inc", now(), id(), lost));
    ClusterCommandSucceeded again = run(new TaintNodeOutOfService(id(), "inc", now(), id(), lost));

    assertThat(first.alreadyDone()).isFalse();
    assertThat(again.alreadyDone()).isTrue();
    assertThat(client.nodes().withName(lost).get().getSpec().getTaints())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.getKey()).isEqualTo(NodeFacts.OUT_OF_SERVICE_TAINT);
              assertThat(t.getValue()).isEqualTo("nodeshutdown");
              assertThat(t.getEffect()).isEqualTo("NoExecute");
            });

    assertThat(run(new RemoveOutOfServiceTaint(id(), "inc", now(), id(), lost)).alreadyDone())
        .isFalse();
    assertThat(client.nodes().withName(lost).get().getSpec().getTaints()).isEmpty();
  }

  @Test
  void theNodeIsCordonedOnceAndUncordoned() {
    ClusterCommandSucceeded first = run(new CordonNode(id(), "inc", now(), id(), lost, true, null));
    ClusterCommandSucceeded again = run(new CordonNode(id(), "inc", now(), id(), lost, true, null));

    assertThat(first.alreadyDone()).isFalse();
    assertThat(again.alreadyDone()).isTrue();
    assertThat(client.nodes().withName(lost).get().getSpec().getUnschedulable()).isTrue();

    ClusterCommandSucceeded uncordon =
        run(new CordonNode(id(), "inc", now(), id(), lost, false, null));
    assertThat(uncordon.alreadyDone()).isFalse();
    assertThat(client.nodes().withName(lost).get().getSpec().getUnschedulable())
        .isNotEqualTo(Boolean.TRUE);
    assertThat(run(new CordonNode(id(), "inc", now(), id(), lost, false, null)).alreadyDone())
        .isTrue();
  }

  @Test
  void theCommandsOfEachIncidentAreCarriedOutInTheirOrderWhileIncidentsRunSideBySide() {
    // Five incidents, each cordoning, uncordoning and cordoning its node again, sent interleaved
    // in one burst: read in the same polls, carried out by incident.
    List<String> incidents = new ArrayList<>();
    Map<String, List<String>> sent = new LinkedHashMap<>();
    for (int i = 0; i < 5; i++) {
      String node = lost + "-" + i;
      nodes.add(node, 4310 + i, "fsn1");
      incidents.add("order-" + UUID.randomUUID());
    }
    List<CordonNode> last = new ArrayList<>();
    for (boolean cordon : List.of(true, false, true)) {
      for (int i = 0; i < incidents.size(); i++) {
        CordonNode command =
            new CordonNode(id(), incidents.get(i), now(), id(), lost + "-" + i, cordon, null);
        sent.computeIfAbsent(incidents.get(i), k -> new ArrayList<>()).add(command.commandId());
        topics.send(command);
        if (cordon && sent.get(incidents.get(i)).size() == 3) {
          last.add(command);
        }
      }
    }
    last.forEach(ClusterCommandsTest::result);

    for (int i = 0; i < incidents.size(); i++) {
      assertThat(client.nodes().withName(lost + "-" + i).get().getSpec().getUnschedulable())
          .as("cordoned by the last command of its incident")
          .isTrue();
    }
    Map<String, List<String>> answered = new LinkedHashMap<>();
    Map<String, List<Boolean>> alreadyDone = new LinkedHashMap<>();
    for (ConsumerRecord<String, byte[]> record : topics.records(Topic.CLUSTER_RESULTS)) {
      if (sent.containsKey(record.key())) {
        ClusterCommandSucceeded result =
            LifeboatTopics.read(record, ClusterCommandSucceeded.class).orElseThrow();
        answered.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(result.commandId());
        alreadyDone.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(result.alreadyDone());
      }
    }
    assertThat(answered).as("each incident's results in the order of its commands").isEqualTo(sent);
    assertThat(alreadyDone.values())
        .as("every command changed the node: none ran before the one sent ahead of it")
        .allSatisfy(flags -> assertThat(flags).containsExactly(false, false, false));
  }

  @Test
  void podsAreForceDeletedOnceAndAReplacementOfTheSameNameIsLeftAlone() {
    Pod pod = pod("db-0", lost, "data-db-0", false);

    ClusterCommandSucceeded first =
        run(new ForceDeletePods(id(), "inc", now(), id(), lost, List.of(ref(pod))));

    assertThat(first.alreadyDone()).isFalse();
    assertThat(client.pods().inNamespace("shop").withName("db-0").get()).isNull();
    Pod replacement = pod("db-0", healthy, "data-db-0", false);
    ClusterCommandSucceeded again =
        run(new ForceDeletePods(id(), "inc", now(), id(), lost, List.of(ref(pod))));
    assertThat(again.alreadyDone()).isTrue();
    assertThat(client.pods().inNamespace("shop").withName("db-0").get().getMetadata().getUid())
        .isEqualTo(replacement.getMetadata().getUid());
  }

  @Test
  void anEvictionHoldsOnlyForThePodOfItsUidSoAReplacementOfTheSameNameIsNeverEvicted() {
    Pod pod = pod("web-0", lost, "data-web-0", true);
    // The API server's answer when the pod of that name is another one by now (the precondition
    // on the UID failed); the body asked for is kept to be read.
    List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/shop/pods/web-0/eviction")
        .andReply(
            409,
            request -> {
              asked.add(request.getUtf8Body());
              return new StatusBuilder()
                  .withStatus("Failure")
                  .withReason("Conflict")
                  .withCode(409)
                  .withMessage("the UID in the precondition does not match the UID in record")
                  .build();
            })
        .once();
    EvictPods evict =
        new EvictPods(
            id(), "inc", now(), id(), lost, List.of(ref(pod)), false, Duration.ofSeconds(20), null);
    topics.send(evict);
    await().atMost(Duration.ofSeconds(20)).until(() -> !asked.isEmpty());
    // Replaced meanwhile: the StatefulSet's pod of the same name, on another node.
    client.pods().inNamespace("shop").withName("web-0").withGracePeriod(0).delete();
    Pod replacement = pod("web-0", healthy, "data-web-0", false);

    assertThat(result(evict)).isInstanceOf(ClusterCommandSucceeded.class);
    Eviction sent = Serialization.unmarshal(asked.get(0), Eviction.class);
    assertThat(sent.getDeleteOptions().getPreconditions().getUid())
        .isEqualTo(pod.getMetadata().getUid());
    Pod now = client.pods().inNamespace("shop").withName("web-0").get();
    assertThat(now.getMetadata().getUid()).isEqualTo(replacement.getMetadata().getUid());
    assertThat(now.getMetadata().getDeletionTimestamp()).isNull();
  }

  @Test
  void staleVolumeAttachmentsAreDeletedEvenWithTheAttachersFinalizer() {
    attachment("va-" + lost, "pv-a", lost);
    attachment("va-" + healthy, "pv-b", healthy);
    awaitCached(2);

    ClusterCommandSucceeded first =
        run(new DeleteVolumeAttachments(id(), "inc", now(), id(), lost, List.of("pv-a", "pv-b")));

    assertThat(first.alreadyDone()).isFalse();
    assertThat(client.storage().v1().volumeAttachments().withName("va-" + lost).get()).isNull();
    assertThat(client.storage().v1().volumeAttachments().withName("va-" + healthy).get())
        .as("another node's attachment is not touched")
        .isNotNull();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        run(new DeleteVolumeAttachments(
                                id(), "inc", now(), id(), lost, List.of("pv-a")))
                            .alreadyDone())
                    .isTrue());
  }

  /**
   * A release in one command: the pods first, then the attachment; when a pod's deletion is
   * refused, the attachment stays (a pod still bound to the node would have its volume attached
   * there again), and the same command sent again finishes both.
   */
  @Test
  void aReleaseForceDeletesThePodsFirstAndKeepsTheAttachmentWhileAPodCannotBeDeleted() {
    attachment("va-rel-" + lost, "pv-rel", lost);
    awaitCached(1);
    Pod pod = pod("db-30", lost, "data-db-30", false);
    server
        .expect()
        .delete()
        .withPath("/api/v1/namespaces/shop/pods/db-30")
        .andReturn(403, forbidden("pods \"db-30\" is forbidden: a role binding was being changed"))
        .once();
    DeleteVolumeAttachments release =
        new DeleteVolumeAttachments(
            id(), "inc", now(), id(), lost, List.of("pv-rel"), List.of(ref(pod)), null);
    topics.send(release);

    assertThat(result(release))
        .isInstanceOfSatisfying(
            ClusterCommandFailed.class,
            failed -> {
              assertThat(failed.code()).isEqualTo("FORBIDDEN");
              assertThat(failed.message()).contains("is forbidden");
            });
    assertThat(client.pods().inNamespace("shop").withName("db-30").get())
        .as("the pod is still bound to the lost node")
        .isNotNull();
    assertThat(client.storage().v1().volumeAttachments().withName("va-rel-" + lost).get())
        .as("so its attachment is kept")
        .isNotNull();

    DeleteVolumeAttachments again =
        new DeleteVolumeAttachments(
            id(), "inc", now(), id(), lost, List.of("pv-rel"), List.of(ref(pod)), null);
    ClusterCommandSucceeded done = run(again);

    assertThat(done.alreadyDone()).isFalse();
    assertThat(done.detail()).contains("force-deleted 1 pod(s)", "deleted 1 VolumeAttachment(s)");
    assertThat(client.pods().inNamespace("shop").withName("db-30").get()).isNull();
    assertThat(client.storage().v1().volumeAttachments().withName("va-rel-" + lost).get()).isNull();
  }

  @Test
  void aRequeueTouchesTheAttachment() {
    attachment("va-r-" + healthy, "pv-r", healthy);
    awaitCached(1);

    ClusterCommandSucceeded done =
        run(new RequeueVolumeAttachment(id(), "inc", now(), id(), 100001, "pv-r", healthy));

    assertThat(done.alreadyDone()).isFalse();
    assertThat(
            client
                .storage()
                .v1()
                .volumeAttachments()
                .withName("va-r-" + healthy)
                .get()
                .getMetadata()
                .getAnnotations())
        .containsKey(ClusterActions.REQUEUE_ANNOTATION);
  }

  /**
   * VERIFY in one command: the attachment on the target touched, then the pod awaited; a touch the
   * API refuses is the command's failure at once, and nothing is awaited.
   */
  @Test
  void aWaitForAPodTouchesItsAttachmentFirstAndFailsAtOnceWhenTheTouchIsRefused() {
    attachment("va-v-" + healthy, "pv-v", healthy);
    awaitCached(1);
    Pod ready = pod("db-40", healthy, "data-db-40", true);
    server
        .expect()
        .patch()
        .withPath("/apis/storage.k8s.io/v1/volumeattachments/va-v-" + healthy)
        .andReturn(
            403, forbidden("volumeattachments is forbidden: a role binding was being changed"))
        .once();
    AwaitPodReady refused = awaitTouchingFirst(ready, "pv-v");
    topics.send(refused);

    assertThat(result(refused))
        .as("the pod is Ready, but the touch before the wait was refused")
        .isInstanceOfSatisfying(
            ClusterCommandFailed.class, failed -> assertThat(failed.code()).isEqualTo("FORBIDDEN"));
    assertThat(requeuedAt("va-v-" + healthy)).isNull();

    AwaitPodReady again = awaitTouchingFirst(ready, "pv-v");
    topics.send(again);

    assertThat(result(again)).isInstanceOf(PodReady.class);
    assertThat(requeuedAt("va-v-" + healthy)).isNotNull();
  }

  /** The API server's answer to a request that RBAC refuses. */
  private static io.fabric8.kubernetes.api.model.Status forbidden(String message) {
    return new StatusBuilder()
        .withStatus("Failure")
        .withReason("Forbidden")
        .withCode(403)
        .withMessage(message)
        .build();
  }

  /** A wait for the pod on {@code healthy} that touches the attachment of this volume first. */
  private AwaitPodReady awaitTouchingFirst(Pod pod, String persistentVolume) {
    return new AwaitPodReady(
        id(),
        "inc",
        now(),
        id(),
        100040,
        ref(pod),
        healthy,
        Duration.ofSeconds(30),
        persistentVolume,
        null);
  }

  /** The moment node-watcher last touched this VolumeAttachment; null if never. */
  private String requeuedAt(String name) {
    java.util.Map<String, String> annotations =
        client
            .storage()
            .v1()
            .volumeAttachments()
            .withName(name)
            .get()
            .getMetadata()
            .getAnnotations();
    return annotations == null ? null : annotations.get(ClusterActions.REQUEUE_ANNOTATION);
  }

  @Test
  void theReplacementPodIsReportedWithItsNodesServerAndLocation() {
    Pod old = pod("db-1", lost, "data-db-1", false);
    AwaitReplacementPod await = awaitReplacement(100001, "data-db-1", old, Duration.ofSeconds(30));
    topics.send(await);
    client.pods().inNamespace("shop").withName("db-1").withGracePeriod(0).delete();
    Pod replacement = pod("db-1", healthy, "data-db-1", false);

    ClusterResult result = result(await);

    assertThat(result)
        .isInstanceOfSatisfying(
            ReplacementPodScheduled.class,
            scheduled -> {
              assertThat(scheduled.nodeName()).isEqualTo(healthy);
              assertThat(scheduled.serverId()).isEqualTo(4303);
              assertThat(scheduled.location()).isEqualTo("fsn1");
              assertThat(scheduled.pod().uid()).isEqualTo(replacement.getMetadata().getUid());
            });
  }

  @Test
  void aReplacementBoundToANodeThatIsNotReadyIsNeverTakenAndTheTimeoutSaysWhy() {
    String sick = "sick-" + UUID.randomUUID().toString().substring(0, 6);
    nodes.add(sick, 4304, "fsn1");
    nodes.setReady(sick, "Unknown");
    Pod old = pod("db-4", lost, "data-db-4", false);
    AwaitReplacementPod await = awaitReplacement(100004, "data-db-4", old, Duration.ofSeconds(3));
    client.pods().inNamespace("shop").withName("db-4").withGracePeriod(0).delete();
    pod("db-4", sick, "data-db-4", false);
    topics.send(await);

    // Its volume attached there would serve no pod: the wait goes on, and its end says why.
    assertThat(result(await))
        .isInstanceOfSatisfying(
            ClusterCommandFailed.class,
            failed -> {
              assertThat(failed.code()).isEqualTo("TIMEOUT");
              assertThat(failed.message()).contains("db-4", sick, "not Ready");
            });
  }

  /**
   * What most likely held three volumes in the chaos round of seed 2: a replacement pod bound to a
   * node that had just gone silent (not cordoned yet, while the Kubernetes API was down) waits
   * there for ever, and its volume with it. It is deleted after a while, and the pod made again
   * elsewhere is taken.
   */
  @Test
  void aReplacementStrandedOnANodeThatCannotRunItIsDeletedAndTheNextOneTaken() {
    String sick = "sick-" + UUID.randomUUID().toString().substring(0, 6);
    nodes.add(sick, 4305, "fsn1");
    nodes.setReady(sick, "Unknown");
    Pod old = pod("db-16", lost, "data-db-16", false);
    AwaitReplacementPod await = awaitReplacement(100016, "data-db-16", old, Duration.ofSeconds(60));
    client.pods().inNamespace("shop").withName("db-16").withGracePeriod(0).delete();
    String stranded = pod("db-16", sick, "data-db-16", false).getMetadata().getUid();
    topics.send(await);

    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.pods().inNamespace("shop").withName("db-16").get() == null);
    Pod replacement = pod("db-16", healthy, "data-db-16", false);

    assertThat(result(await))
        .isInstanceOfSatisfying(
            ReplacementPodScheduled.class,
            scheduled -> {
              assertThat(scheduled.nodeName()).isEqualTo(healthy);
              assertThat(scheduled.pod().uid())
                  .isEqualTo(replacement.getMetadata().getUid())
                  .isNotEqualTo(stranded);
            });
  }

  @Test
  void noNodeInTheLocationIsReportedAtOnce() {
    AwaitReplacementPod await = awaitIn("hel1", 100001, "data-x", Duration.ofSeconds(60));
    topics.send(await);

    assertThat(result(await))
        .isInstanceOfSatisfying(
            ClusterCommandFailed.class,
            failed -> {
              assertThat(failed.code()).isEqualTo("NO_ELIGIBLE_NODE");
              assertThat(failed.retryable()).isFalse();
            });
  }

  /**
   * Found by the chaos rounds (seed 14): right after the Kubernetes API came back, every node of
   * fsn1 looked not Ready for a few seconds, and seven volumes failed for good, "no Ready,
   * schedulable node". A location whose every node is silent is waited out; the timeout (which the
   * saga retries) says why.
   */
  @Test
  void aLocationWhoseEveryNodeIsSilentIsWaitedOutNotGivenUp() {
    String silent = "silent-" + UUID.randomUUID().toString().substring(0, 6);
    nodes.add(silent, 4306, "hel1");
    nodes.setReady(silent, "Unknown");
    AwaitReplacementPod await = awaitIn("hel1", 100017, "data-y", Duration.ofSeconds(3));
    topics.send(await);

    assertThat(result(await))
        .isInstanceOfSatisfying(
            ClusterCommandFailed.class,
            failed -> {
              assertThat(failed.code()).isEqualTo("TIMEOUT");
              assertThat(failed.retryable()).isTrue();
              assertThat(failed.message()).contains("no node in hel1 is Ready and schedulable");
            });
  }

  @Test
  void aPodIsReportedReadyOrWhyNotByTheDeadline() {
    Pod ready = pod("db-2", healthy, "data-db-2", true);
    Pod waiting = pod("db-3", healthy, "data-db-3", false);
    AwaitPodReady awaitReady =
        new AwaitPodReady(
            id(), "inc", now(), id(), 100002, ref(ready), healthy, Duration.ofSeconds(30));
    AwaitPodReady awaitWaiting =
        new AwaitPodReady(
            id(), "inc", now(), id(), 100003, ref(waiting), healthy, Duration.ofSeconds(2));
    topics.send(awaitReady);
    topics.send(awaitWaiting);

    assertThat(result(awaitReady)).isInstanceOf(PodReady.class);
    assertThat(result(awaitWaiting))
        .isInstanceOfSatisfying(
            ClusterCommandFailed.class,
            failed -> {
              assertThat(failed.code()).isEqualTo("TIMEOUT");
              assertThat(failed.message()).contains("db-3").contains("phase");
            });
  }

  @Test
  void aCommandReadAfterItsDeadlineIsNotCarriedOut() {
    Pod pod = pod("db-5", lost, "data-db-5", false);
    Instant passed = now().minusSeconds(1);
    ForceDeletePods late =
        new ForceDeletePods(id(), "inc", now(), id(), lost, List.of(ref(pod)), passed);
    TaintNodeOutOfService lateTaint =
        new TaintNodeOutOfService(id(), "inc", now(), id(), lost, passed);
    topics.send(late);
    topics.send(lateTaint);

    for (ClusterCommand command : List.of(late, lateTaint)) {
      assertThat(result(command))
          .isInstanceOfSatisfying(
              ClusterCommandFailed.class,
              failed -> {
                assertThat(failed.code()).isEqualTo(FailureCodes.DEADLINE_PASSED);
                assertThat(failed.retryable()).isFalse();
              });
    }
    // The saga had stopped waiting: the pod and the node are as they were.
    assertThat(client.pods().inNamespace("shop").withName("db-5").get().getMetadata().getUid())
        .isEqualTo(pod.getMetadata().getUid());
    assertThat(client.nodes().withName(lost).get().getSpec().getTaints()).isNullOrEmpty();
    // Within its deadline the same command is carried out.
    ClusterCommandSucceeded inTime =
        run(
            new ForceDeletePods(
                id(), "inc", now(), id(), lost, List.of(ref(pod)), now().plusSeconds(30)));
    assertThat(inTime.alreadyDone()).isFalse();
    assertThat(client.pods().inNamespace("shop").withName("db-5").get()).isNull();
  }

  @Test
  void aWaitEndsWhenTheSagaStopsWaitingEvenBeforeItsOwnTimeout() {
    Pod waiting = pod("db-6", healthy, "data-db-6", false);
    AwaitPodReady await =
        new AwaitPodReady(
            id(),
            "inc",
            now(),
            id(),
            100006,
            ref(waiting),
            healthy,
            Duration.ofMinutes(10),
            null,
            now().plusSeconds(2));
    topics.send(await);

    // Within the test's 30 s wait, far before the ten minutes of its own timeout.
    assertThat(result(await))
        .isInstanceOfSatisfying(
            ClusterCommandFailed.class,
            failed -> assertThat(failed.code()).isEqualTo(FailureCodes.TIMEOUT));
  }

  @Test
  void aPodWaitedOnANodeDeclaredLostItselfEndsAtOnceAndFinal() {
    Pod waiting = pod("db-7", healthy, "data-db-7", false);
    AwaitPodReady await =
        new AwaitPodReady(
            id(), "inc", now(), id(), 100007, ref(waiting), healthy, Duration.ofMinutes(10));
    topics.send(await);

    // The replacement's node is lost too: declared as an incident of its own.
    client
        .nodes()
        .withName(healthy)
        .edit(
            n -> {
              n.getMetadata()
                  .setAnnotations(
                      java.util.Map.of(Detector.DECLARED_ANNOTATION, "incident-of-" + healthy));
              return n;
            });

    assertThat(result(await))
        .isInstanceOfSatisfying(
            ClusterCommandFailed.class,
            failed -> {
              assertThat(failed.code()).isEqualTo(FailureCodes.TARGET_LOST);
              assertThat(failed.retryable()).isFalse();
              assertThat(failed.message()).contains(healthy, "incident-of-" + healthy);
            });
  }

  /**
   * What Lifeboat did is told where people look: on the lost Node, on the pod it force-deleted, on
   * its replacement, and on the claim whose volume moved, each naming the incident, and each once
   * (a command carried out again tells nothing new).
   */
  @Test
  void whatLifeboatDidIsToldInEventsOnTheNodeThePodsAndTheClaim() {
    String incident = "inc-told-" + UUID.randomUUID().toString().substring(0, 6);
    String claimUid = claim("data-db-20", "pv-db-20");
    attachment("va-db-20", "pv-db-20", lost);
    Pod pod = pod("db-20", lost, "data-db-20", false);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                cache.claim("shop", "data-db-20").isPresent()
                    && cache.persistentVolume("pv-db-20").isPresent()
                    && cache.volumeAttachments().stream()
                        .anyMatch(va -> va.getMetadata().getName().equals("va-db-20")));

    run(new TaintNodeOutOfService(id(), incident, now(), id(), lost));
    run(
        new DeleteVolumeAttachments(
            id(), incident, now(), id(), lost, List.of("pv-db-20"), List.of(ref(pod)), null));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                cache.volumeAttachments().stream()
                    .noneMatch(va -> va.getMetadata().getName().equals("va-db-20")));
    assertThat(
            run(new DeleteVolumeAttachments(
                    id(),
                    incident,
                    now(),
                    id(),
                    lost,
                    List.of("pv-db-20"),
                    List.of(ref(pod)),
                    null))
                .alreadyDone())
        .isTrue();
    AwaitReplacementPod awaitReplacement =
        new AwaitReplacementPod(
            id(),
            incident,
            now(),
            id(),
            100020,
            new ClaimRef("shop", "data-db-20"),
            "fsn1",
            pod.getMetadata().getUid(),
            Duration.ofSeconds(30));
    topics.send(awaitReplacement);
    Pod replacement = pod("db-20", healthy, "data-db-20", true);
    assertThat(result(awaitReplacement)).isInstanceOf(ReplacementPodScheduled.class);
    AwaitPodReady awaitReady =
        new AwaitPodReady(
            id(), incident, now(), id(), 100020, ref(replacement), healthy, Duration.ofSeconds(30));
    topics.send(awaitReady);
    assertThat(result(awaitReady)).isInstanceOf(PodReady.class);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> reasons("shop", claimUid).contains("LifeboatVolumeMoved"));
    assertThat(reasons("shop", claimUid))
        .containsExactlyInAnyOrder(
            "LifeboatVolumeReleased", "LifeboatReplacementScheduled", "LifeboatVolumeMoved");
    assertThat(reasons("shop", pod.getMetadata().getUid()))
        .as("the pod force-deleted, told once though released twice")
        .containsExactly("LifeboatForceDeleted");
    assertThat(reasons("shop", replacement.getMetadata().getUid()))
        .containsExactlyInAnyOrder("LifeboatReplacementScheduled", "LifeboatVolumeMoved");
    String nodeUid = client.nodes().withName(lost).get().getMetadata().getUid();
    assertThat(reasons("default", nodeUid)).containsExactly("LifeboatOutOfService");
    assertThat(client.v1().events().inNamespace("shop").list().getItems())
        .filteredOn(e -> e.getInvolvedObject().getUid().equals(claimUid))
        .allSatisfy(
            e -> {
              assertThat(e.getMessage()).contains("incident " + incident);
              assertThat(e.getSource().getComponent()).isEqualTo("lifeboat-node-watcher");
              assertThat(e.getInvolvedObject().getKind()).isEqualTo("PersistentVolumeClaim");
              assertThat(e.getInvolvedObject().getName()).isEqualTo("data-db-20");
            });
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /** The reasons of the Events on the object of that UID. */
  private List<String> reasons(String namespace, String uid) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> uid.equals(e.getInvolvedObject().getUid()))
        .map(io.fabric8.kubernetes.api.model.Event::getReason)
        .toList();
  }

  /** A bound claim in {@code shop} and its PersistentVolume; returns the claim's UID. */
  private String claim(String name, String pv) {
    String uid =
        client
            .persistentVolumeClaims()
            .inNamespace("shop")
            .resource(
                new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace("shop")
                    .withUid(UUID.randomUUID().toString())
                    .endMetadata()
                    .withNewSpec()
                    .withVolumeName(pv)
                    .endSpec()
                    .build())
            .create()
            .getMetadata()
            .getUid();
    client
        .persistentVolumes()
        .resource(
            new io.fabric8.kubernetes.api.model.PersistentVolumeBuilder()
                .withNewMetadata()
                .withName(pv)
                .endMetadata()
                .withNewSpec()
                .withNewClaimRef()
                .withNamespace("shop")
                .withName(name)
                .withUid(uid)
                .endClaimRef()
                .withNewCsi()
                .withDriver("csi.hetzner.cloud")
                .withVolumeHandle("100020")
                .endCsi()
                .endSpec()
                .build())
        .create();
    return uid;
  }

  private static AwaitReplacementPod awaitReplacement(
      long volumeId, String claim, Pod old, Duration timeout) {
    return new AwaitReplacementPod(
        id(),
        "inc",
        now(),
        id(),
        volumeId,
        new ClaimRef("shop", claim),
        "fsn1",
        old.getMetadata().getUid(),
        timeout);
  }

  /** A wait for the first pod of a claim in a location, with no previous pod. */
  private static AwaitReplacementPod awaitIn(
      String location, long volumeId, String claim, Duration timeout) {
    return new AwaitReplacementPod(
        id(), "inc", now(), id(), volumeId, new ClaimRef("shop", claim), location, null, timeout);
  }

  private ClusterCommandSucceeded run(ClusterCommand command) {
    topics.send(command);
    ClusterResult result = result(command);
    assertThat(result).isInstanceOf(ClusterCommandSucceeded.class);
    return (ClusterCommandSucceeded) result;
  }

  private static ClusterResult result(ClusterCommand command) {
    return topics.awaitMessage(
        Topic.CLUSTER_RESULTS,
        ClusterResult.class,
        r -> ((CommandResult) r).commandId().equals(command.commandId()));
  }

  private Pod pod(String name, String node, String claim, boolean ready) {
    return client
        .pods()
        .inNamespace("shop")
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("shop")
                .withUid(UUID.randomUUID().toString())
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .addNewVolume()
                .withName("data")
                .withNewPersistentVolumeClaim()
                .withClaimName(claim)
                .endPersistentVolumeClaim()
                .endVolume()
                .endSpec()
                .withNewStatus()
                .withPhase(ready ? "Running" : "Pending")
                .withConditions(
                    new PodConditionBuilder()
                        .withType("Ready")
                        .withStatus(ready ? "True" : "False")
                        .build())
                .endStatus()
                .build())
        .create();
  }

  private void attachment(String name, String pv, String node) {
    VolumeAttachment va =
        new VolumeAttachmentBuilder()
            .withNewMetadata()
            .withName(name)
            .withFinalizers("external-attacher/csi-hetzner-cloud")
            .endMetadata()
            .withNewSpec()
            .withAttacher("csi.hetzner.cloud")
            .withNodeName(node)
            .withNewSource()
            .withPersistentVolumeName(pv)
            .endSource()
            .endSpec()
            .build();
    client.storage().v1().volumeAttachments().resource(va).create();
  }

  /** The watcher reads VolumeAttachments from its informer: wait until it has them. */
  private void awaitCached(int count) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> cache.volumeAttachments().size() >= count);
  }

  private static PodRef ref(Pod pod) {
    return new PodRef("shop", pod.getMetadata().getName(), pod.getMetadata().getUid(), null, null);
  }

  private static String id() {
    return MessageIds.random();
  }

  private static Instant now() {
    return Instant.now();
  }
}
