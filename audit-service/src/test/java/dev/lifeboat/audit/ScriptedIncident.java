package dev.lifeboat.audit;

import dev.lifeboat.events.Command;
import dev.lifeboat.events.IncidentId;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.cluster.AwaitPodReady;
import dev.lifeboat.events.cluster.AwaitReplacementPod;
import dev.lifeboat.events.cluster.ClusterCommandFailed;
import dev.lifeboat.events.cluster.ClusterCommandSucceeded;
import dev.lifeboat.events.cluster.DeleteVolumeAttachments;
import dev.lifeboat.events.cluster.PodReady;
import dev.lifeboat.events.cluster.ReplacementPodScheduled;
import dev.lifeboat.events.cluster.TaintNodeOutOfService;
import dev.lifeboat.events.hcloud.AttachVolume;
import dev.lifeboat.events.hcloud.DetachVolume;
import dev.lifeboat.events.hcloud.HcloudCommandFailed;
import dev.lifeboat.events.hcloud.HcloudCommandSucceeded;
import dev.lifeboat.events.hcloud.PowerOffServer;
import dev.lifeboat.events.node.ClaimRef;
import dev.lifeboat.events.node.EligibleNode;
import dev.lifeboat.events.node.GoneReason;
import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.node.NodeRef;
import dev.lifeboat.events.node.NodeSuspected;
import dev.lifeboat.events.node.PodRef;
import dev.lifeboat.events.node.SuspicionReason;
import dev.lifeboat.events.saga.IncidentPartial;
import dev.lifeboat.events.saga.RetryScheduled;
import dev.lifeboat.events.saga.Step;
import dev.lifeboat.events.saga.StepFailed;
import dev.lifeboat.events.saga.StepStarted;
import dev.lifeboat.events.saga.StepSucceeded;
import dev.lifeboat.events.saga.VolumeFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An incident as the services would send it, with fixed times from its start: node 4207 lost with
 * two volumes in fsn1; volume A moves to worker-3 after one failed attach attempt ({@code locked}),
 * volume B ends at RESCHEDULE with {@code NO_ELIGIBLE_NODE}.
 */
public final class ScriptedIncident {

  static final long VOLUME_A = 200_001;
  static final long VOLUME_B = 200_002;

  final String node;
  final String incidentId;
  final Instant start;
  public final List<LifeboatMessage> messages = new ArrayList<>();
  private final NodeRef ref;

  public ScriptedIncident(Instant start) {
    this.start = start.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    this.node = "worker-" + UUID.randomUUID().toString().substring(0, 6);
    this.ref = new NodeRef(node, "uid-" + node, 4207, "fsn1");
    this.incidentId = IncidentId.forNode(node, ref.uid());
    script();
  }

  private void script() {
    add(
        0,
        new NodeSuspected(
            id(), incidentId, at(0), ref, SuspicionReason.LEASE_OVERDUE, at(-12_000)));
    add(
        10_000,
        new NodeGone(
            id(),
            incidentId,
            at(10_000),
            ref,
            GoneReason.LEASE_EXPIRED,
            List.of(volume(VOLUME_A), volume(VOLUME_B)),
            Map.of("fsn1", List.of(new EligibleNode("worker-3", 4203, "fsn1"))),
            Map.of(),
            6));
    add(10_010, new StepStarted(id(), incidentId, at(10_010), Step.PRE_FLIGHT, null, 1, null));
    add(
        10_020,
        new StepSucceeded(
            id(), incidentId, at(10_020), Step.PRE_FLIGHT, null, 1, "2 of 2 volumes can move"));
    command(
        10_100, Step.FENCE, null, 1, new PowerOffServer(id(), incidentId, at(10_100), cid(), 4207));
    hcloudOk(12_100);
    add(
        12_200,
        new StepSucceeded(id(), incidentId, at(12_200), Step.FENCE, null, 1, "action finished"));
    for (long v : List.of(VOLUME_A, VOLUME_B)) {
      command(
          12_300,
          Step.DETACH,
          v,
          1,
          new DetachVolume(id(), incidentId, at(12_300), cid(), v, 4207));
      hcloudOk(15_300);
      add(15_300, new StepSucceeded(id(), incidentId, at(15_300), Step.DETACH, v, 1, "detached"));
    }
    command(
        15_500,
        Step.RELEASE,
        null,
        1,
        new TaintNodeOutOfService(id(), incidentId, at(15_500), cid(), node));
    clusterOk(15_600);
    add(15_600, new StepSucceeded(id(), incidentId, at(15_600), Step.RELEASE, null, 1, "tainted"));
    for (long v : List.of(VOLUME_A, VOLUME_B)) {
      command(
          15_700,
          Step.RELEASE,
          v,
          1,
          new DeleteVolumeAttachments(
              id(),
              incidentId,
              at(15_700),
              cid(),
              node,
              List.of("pv-" + v),
              List.of(pod(v)),
              null));
      clusterOk(16_400);
      add(16_500, new StepSucceeded(id(), incidentId, at(16_500), Step.RELEASE, v, 1, "released"));
    }
    AwaitReplacementPod awaitA =
        new AwaitReplacementPod(
            id(),
            incidentId,
            at(16_600),
            cid(),
            VOLUME_A,
            claim(VOLUME_A),
            "fsn1",
            "old",
            Duration.ofSeconds(120));
    command(16_600, Step.RESCHEDULE, VOLUME_A, 1, awaitA);
    PodRef newPod = new PodRef("shop", "db-a", "new-a", "StatefulSet", "db");
    add(
        18_000,
        new ReplacementPodScheduled(
            id(),
            incidentId,
            at(18_000),
            awaitA.commandId(),
            VOLUME_A,
            newPod,
            "worker-3",
            4203,
            "fsn1"));
    add(
        18_000,
        new StepSucceeded(
            id(), incidentId, at(18_000), Step.RESCHEDULE, VOLUME_A, 1, "bound to worker-3"));
    command(
        16_600,
        Step.RESCHEDULE,
        VOLUME_B,
        1,
        new AwaitReplacementPod(
            id(),
            incidentId,
            at(16_600),
            cid(),
            VOLUME_B,
            claim(VOLUME_B),
            "fsn1",
            "old",
            Duration.ofSeconds(120)));
    add(
        17_000,
        new ClusterCommandFailed(
            id(),
            incidentId,
            at(17_000),
            last.commandId(),
            "NO_ELIGIBLE_NODE",
            "every node in fsn1 holds 16 volumes",
            false));
    add(
        17_000,
        new StepFailed(
            id(),
            incidentId,
            at(17_000),
            Step.RESCHEDULE,
            VOLUME_B,
            1,
            "NO_ELIGIBLE_NODE",
            "every node in fsn1 holds 16 volumes",
            true));
    command(
        18_100,
        Step.ATTACH,
        VOLUME_A,
        1,
        new AttachVolume(id(), incidentId, at(18_100), cid(), VOLUME_A, 4203));
    add(
        18_500,
        new HcloudCommandFailed(
            id(),
            incidentId,
            at(18_500),
            last.commandId(),
            "locked",
            "server 4203 is locked",
            true,
            null));
    add(
        18_500,
        new StepFailed(
            id(),
            incidentId,
            at(18_500),
            Step.ATTACH,
            VOLUME_A,
            1,
            "locked",
            "server 4203 is locked",
            false));
    add(
        18_500,
        new RetryScheduled(
            id(), incidentId, at(18_500), Step.ATTACH, VOLUME_A, 2, at(19_500), "locked"));
    command(
        19_500,
        Step.ATTACH,
        VOLUME_A,
        2,
        new AttachVolume(id(), incidentId, at(19_500), cid(), VOLUME_A, 4203));
    hcloudOk(22_500);
    add(
        22_500,
        new StepSucceeded(id(), incidentId, at(22_500), Step.ATTACH, VOLUME_A, 2, "attached"));
    AwaitPodReady ready =
        new AwaitPodReady(
            id(),
            incidentId,
            at(22_600),
            cid(),
            VOLUME_A,
            newPod,
            "worker-3",
            Duration.ofSeconds(120),
            "pv-" + VOLUME_A,
            null);
    command(22_600, Step.VERIFY, VOLUME_A, 1, ready);
    add(
        25_000,
        new PodReady(
            id(), incidentId, at(25_000), ready.commandId(), VOLUME_A, newPod, "worker-3"));
    add(25_000, new StepSucceeded(id(), incidentId, at(25_000), Step.VERIFY, VOLUME_A, 1, "Ready"));
    add(
        25_100,
        new IncidentPartial(
            id(),
            incidentId,
            at(25_100),
            List.of(VOLUME_A),
            List.of(
                new VolumeFailure(
                    VOLUME_B,
                    Step.RESCHEDULE,
                    "NO_ELIGIBLE_NODE",
                    "every node in fsn1 holds 16 volumes"))));
  }

  private Command last;

  private void command(long millis, Step step, Long volume, int attempt, Command command) {
    add(
        millis,
        new StepStarted(id(), incidentId, at(millis), step, volume, attempt, command.commandId()));
    send(millis, command);
  }

  private void send(long millis, Command command) {
    last = command;
    add(millis, command);
  }

  private void hcloudOk(long millis) {
    add(
        millis,
        new HcloudCommandSucceeded(
            id(), incidentId, at(millis), last.commandId(), 1, at(millis - 2000), at(millis)));
  }

  private void clusterOk(long millis) {
    add(
        millis,
        new ClusterCommandSucceeded(id(), incidentId, at(millis), last.commandId(), false, "ok"));
  }

  private void add(long millis, LifeboatMessage message) {
    messages.add(message);
  }

  private Instant at(long millis) {
    return start.plusMillis(millis);
  }

  private static HeldVolume volume(long id) {
    return new HeldVolume(id, "pv-" + id, claim(id), "fsn1", List.of(pod(id)));
  }

  private static ClaimRef claim(long id) {
    return new ClaimRef("shop", "data-" + id);
  }

  private static PodRef pod(long id) {
    return new PodRef("shop", "db-" + id, "old", "StatefulSet", "db");
  }

  private static String id() {
    return MessageIds.random();
  }

  private static String cid() {
    return MessageIds.random();
  }
}
