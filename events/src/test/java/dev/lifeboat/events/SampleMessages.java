package dev.lifeboat.events;

import dev.lifeboat.events.cluster.AwaitPodReady;
import dev.lifeboat.events.cluster.AwaitReplacementPod;
import dev.lifeboat.events.cluster.ClusterCommandFailed;
import dev.lifeboat.events.cluster.ClusterCommandSucceeded;
import dev.lifeboat.events.cluster.CordonNode;
import dev.lifeboat.events.cluster.DeclareNodeGone;
import dev.lifeboat.events.cluster.DeleteNode;
import dev.lifeboat.events.cluster.DeleteVolumeAttachments;
import dev.lifeboat.events.cluster.EvictPods;
import dev.lifeboat.events.cluster.ForceDeletePods;
import dev.lifeboat.events.cluster.PodReady;
import dev.lifeboat.events.cluster.RemoveOutOfServiceTaint;
import dev.lifeboat.events.cluster.ReplacementPodScheduled;
import dev.lifeboat.events.cluster.RequeueVolumeAttachment;
import dev.lifeboat.events.cluster.TaintNodeOutOfService;
import dev.lifeboat.events.control.AbortIncident;
import dev.lifeboat.events.control.CancelIncident;
import dev.lifeboat.events.control.PauseCommands;
import dev.lifeboat.events.control.ResumeCommands;
import dev.lifeboat.events.control.ResumeIncident;
import dev.lifeboat.events.control.RetryVolume;
import dev.lifeboat.events.doctor.ClusterSnapshot;
import dev.lifeboat.events.doctor.ClusterSnapshotTaken;
import dev.lifeboat.events.doctor.DoctorMessage;
import dev.lifeboat.events.doctor.DoctorReport;
import dev.lifeboat.events.doctor.DoctorRunRequested;
import dev.lifeboat.events.doctor.Finding;
import dev.lifeboat.events.doctor.FindingKind;
import dev.lifeboat.events.doctor.Headroom;
import dev.lifeboat.events.doctor.HetznerSnapshot;
import dev.lifeboat.events.doctor.HetznerSnapshotTaken;
import dev.lifeboat.events.doctor.Repair;
import dev.lifeboat.events.doctor.RepairAnswered;
import dev.lifeboat.events.doctor.RepairAsked;
import dev.lifeboat.events.hcloud.AttachVolume;
import dev.lifeboat.events.hcloud.DeleteServer;
import dev.lifeboat.events.hcloud.DetachVolume;
import dev.lifeboat.events.hcloud.HcloudCommandAlreadyDone;
import dev.lifeboat.events.hcloud.HcloudCommandDryRun;
import dev.lifeboat.events.hcloud.HcloudCommandFailed;
import dev.lifeboat.events.hcloud.HcloudCommandSucceeded;
import dev.lifeboat.events.hcloud.ObserveServer;
import dev.lifeboat.events.hcloud.PowerOffServer;
import dev.lifeboat.events.hcloud.RetireServer;
import dev.lifeboat.events.hcloud.ServerObserved;
import dev.lifeboat.events.inventory.NodeInventory;
import dev.lifeboat.events.node.ClaimRef;
import dev.lifeboat.events.node.EligibleNode;
import dev.lifeboat.events.node.GoneReason;
import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.node.NodeRef;
import dev.lifeboat.events.node.NodeReturned;
import dev.lifeboat.events.node.NodeSuspected;
import dev.lifeboat.events.node.PodRef;
import dev.lifeboat.events.node.RemovalRequested;
import dev.lifeboat.events.node.RepairRequested;
import dev.lifeboat.events.node.ServerDisposal;
import dev.lifeboat.events.node.StormGuardTripped;
import dev.lifeboat.events.node.SuspicionReason;
import dev.lifeboat.events.permit.BudgetReported;
import dev.lifeboat.events.permit.FencePermitGranted;
import dev.lifeboat.events.permit.FencePermitRefused;
import dev.lifeboat.events.permit.FencePermitReleased;
import dev.lifeboat.events.permit.FencePermitRequested;
import dev.lifeboat.events.permit.FlowSlotsGranted;
import dev.lifeboat.events.permit.FlowSlotsRefused;
import dev.lifeboat.events.permit.FlowSlotsRequested;
import dev.lifeboat.events.permit.FlowSlotsReturned;
import dev.lifeboat.events.permit.PermitMessage;
import dev.lifeboat.events.saga.IncidentCancelled;
import dev.lifeboat.events.saga.IncidentCompleted;
import dev.lifeboat.events.saga.IncidentHeld;
import dev.lifeboat.events.saga.IncidentPartial;
import dev.lifeboat.events.saga.RequestRefused;
import dev.lifeboat.events.saga.RetryScheduled;
import dev.lifeboat.events.saga.Step;
import dev.lifeboat.events.saga.StepFailed;
import dev.lifeboat.events.saga.StepStarted;
import dev.lifeboat.events.saga.StepSucceeded;
import dev.lifeboat.events.saga.VolumeFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One filled-in example of every message type, the same on every call: what the golden files must
 * read back as, and ready-made messages for other modules' tests.
 */
public final class SampleMessages {

  public static final Instant AT = Instant.parse("2026-11-26T03:00:00.250Z");
  public static final NodeRef NODE =
      new NodeRef("k3s-pool-a-worker-2", "0b6d3c1e-5c7e-4a51-9f0e-2f1c7d1a9e11", 4211, "fsn1");
  public static final String INCIDENT = IncidentId.forNode(NODE.name(), NODE.uid());
  public static final String REMOVAL = IncidentId.forRemoval(NODE.name(), NODE.uid());
  public static final PodRef POD =
      new PodRef(
          "shop", "postgres-0", "7c9e8f7a-1d2b-4c3d-8e4f-5a6b7c8d9e0f", "StatefulSet", "postgres");
  public static final PodRef REPLACEMENT =
      new PodRef(
          "shop", "postgres-0", "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", "StatefulSet", "postgres");
  public static final ClaimRef CLAIM = new ClaimRef("shop", "data-postgres-0");
  public static final long VOLUME = 100123;

  private SampleMessages() {}

  /** One sample of every type of the contract. */
  public static List<LifeboatMessage> all() {
    return List.of(
        new NodeSuspected(
            id(1), INCIDENT, AT, NODE, SuspicionReason.LEASE_OVERDUE, AT.minusSeconds(12)),
        new NodeGone(
            id(2),
            INCIDENT,
            AT,
            NODE,
            GoneReason.LEASE_EXPIRED,
            List.of(new HeldVolume(VOLUME, "pvc-3f1d2c4b", CLAIM, "fsn1", List.of(POD))),
            Map.of(
                "fsn1",
                List.of(new EligibleNode("k3s-pool-a-worker-3", 4212, "fsn1")),
                "nbg1",
                List.of()),
            Map.of(),
            0),
        new NodeReturned(id(3), INCIDENT, AT, NODE),
        new StormGuardTripped(
            id(4), INCIDENT, AT, NODE, 3, 6, 0.34, "3 of 6 nodes lost within 60s"),
        new TaintNodeOutOfService(id(5), INCIDENT, AT, cmd(5), NODE.name()),
        new ForceDeletePods(id(6), INCIDENT, AT, cmd(6), NODE.name(), List.of(POD)),
        new DeleteVolumeAttachments(
            id(7), INCIDENT, AT, cmd(7), NODE.name(), List.of("pvc-3f1d2c4b")),
        new AwaitReplacementPod(
            id(8), INCIDENT, AT, cmd(8), VOLUME, CLAIM, "fsn1", POD.uid(), Duration.ofMinutes(3)),
        new AwaitPodReady(
            id(9),
            INCIDENT,
            AT,
            cmd(9),
            VOLUME,
            REPLACEMENT,
            "k3s-pool-a-worker-3",
            Duration.ofMinutes(5)),
        new RequeueVolumeAttachment(
            id(10), INCIDENT, AT, cmd(10), VOLUME, "pvc-3f1d2c4b", "k3s-pool-a-worker-3"),
        new ClusterCommandSucceeded(id(11), INCIDENT, AT, cmd(5), false, "taint added"),
        new ReplacementPodScheduled(
            id(12), INCIDENT, AT, cmd(8), VOLUME, REPLACEMENT, "k3s-pool-a-worker-3", 4212, "fsn1"),
        new PodReady(id(13), INCIDENT, AT, cmd(9), VOLUME, REPLACEMENT, "k3s-pool-a-worker-3"),
        new ClusterCommandFailed(
            id(14), INCIDENT, AT, cmd(8), "TIMEOUT", "no replacement pod bound within PT3M", true),
        new PowerOffServer(id(15), INCIDENT, AT, cmd(15), NODE.serverId()),
        new DeleteServer(id(16), INCIDENT, AT, cmd(16), NODE.serverId()),
        new DetachVolume(id(17), INCIDENT, AT, cmd(17), VOLUME, NODE.serverId()),
        new AttachVolume(id(18), INCIDENT, AT, cmd(18), VOLUME, 4212),
        new HcloudCommandSucceeded(id(19), INCIDENT, AT, cmd(15), 7001, AT.minusSeconds(2), AT),
        new HcloudCommandAlreadyDone(
            id(20), INCIDENT, AT, cmd(17), "volume 100123 is attached to no server"),
        new HcloudCommandFailed(
            id(21), INCIDENT, AT, cmd(18), "locked", "server 4212 is locked", true, null),
        new HcloudCommandDryRun(
            id(31),
            INCIDENT,
            AT,
            cmd(18),
            "POST /volumes/100123/actions/attach {\"server\":4212}",
            "volume 100123 is attached to no server"),
        new StepStarted(id(22), INCIDENT, AT, Step.DETACH, VOLUME, 1, cmd(17)),
        new StepSucceeded(id(23), INCIDENT, AT, Step.FENCE, null, 1, "server 4211 is off"),
        new StepFailed(
            id(24), INCIDENT, AT, Step.ATTACH, VOLUME, 2, "locked", "server 4212 is locked", false),
        new RetryScheduled(
            id(25), INCIDENT, AT, Step.ATTACH, VOLUME, 3, AT.plusSeconds(4), "locked"),
        new IncidentCompleted(id(26), INCIDENT, AT, List.of(VOLUME)),
        new IncidentPartial(
            id(27),
            INCIDENT,
            AT,
            List.of(VOLUME),
            List.of(
                new VolumeFailure(
                    100124, Step.PRE_FLIGHT, "NO_ELIGIBLE_NODE", "no healthy node in hel1"))),
        new IncidentCancelled(id(28), INCIDENT, AT, "node returned before fencing"),
        new ResumeIncident(id(29), INCIDENT, AT, "oncall@example.org", "checked by hand"),
        new CancelIncident(id(30), INCIDENT, AT, "oncall@example.org", "planned maintenance"),
        new AbortIncident(id(31), INCIDENT, AT, "oncall@example.org", "moving by hand"),
        new RetryVolume(id(32), INCIDENT, AT, "oncall@example.org", VOLUME, "capacity added"),
        new PauseCommands(
            id(33), PauseCommands.MAINTENANCE, AT, "oncall@example.org", "Hetzner maintenance"),
        new ResumeCommands(
            id(34), PauseCommands.MAINTENANCE, AT, "oncall@example.org", "maintenance over"),
        new RemoveOutOfServiceTaint(id(35), INCIDENT, AT, cmd(35), NODE.name()),
        new CordonNode(id(46), INCIDENT, AT, cmd(46), NODE.name(), true, AT.plusSeconds(30)),
        new IncidentHeld(
            id(36),
            INCIDENT,
            AT,
            FailureCodes.FENCING_CAP,
            "2 incidents are fencing, the cap is 2"),
        new RequestRefused(
            id(37),
            INCIDENT,
            AT,
            id(30),
            "lifeboat.control.cancel-incident.v1",
            "a mutating command was sent: abort stops the incident instead"),
        new FencePermitRequested(id(38), INCIDENT, AT, NODE.name(), 2, false),
        new FencePermitGranted(id(39), INCIDENT, AT, List.of("k3s-pool-a-worker-5-1f0c2a9e77d1")),
        new FencePermitRefused(
            id(40),
            INCIDENT,
            AT,
            List.of("k3s-pool-a-worker-5-1f0c2a9e77d1", "k3s-pool-a-worker-7-0b3e5d8c1a42"),
            2),
        new FencePermitReleased(id(41), INCIDENT, AT),
        new FlowSlotsRequested(id(42), INCIDENT, AT, 8, 32, false),
        new FlowSlotsGranted(id(43), INCIDENT, AT, 6, 26),
        new FlowSlotsRefused(id(44), INCIDENT, AT, 32, 32),
        new FlowSlotsReturned(id(45), INCIDENT, AT, 3),
        new BudgetReported(id(50), PermitMessage.AUTHORITY_KEY, AT, 12, 3600, 1.0, 0.5, 3, true),
        new RemovalRequested(
            id(51),
            REMOVAL,
            AT,
            NODE,
            ServerDisposal.DELETE,
            "annotation",
            List.of(new HeldVolume(VOLUME, "pvc-3f1d2c4b", CLAIM, "fsn1", List.of(POD))),
            Map.of("fsn1", List.of(new EligibleNode("k3s-pool-a-worker-3", 4212, "fsn1"))),
            Map.of("role", "worker"),
            6),
        new NodeInventory(
            id(55),
            NODE.name(),
            AT,
            NODE,
            false,
            true,
            true,
            null,
            "delete",
            null,
            List.of(new HeldVolume(VOLUME, "pvc-3f1d2c4b", CLAIM, "fsn1", List.of(POD))),
            Map.of("fsn1", List.of(new EligibleNode("k3s-pool-a-worker-3", 4212, "fsn1"))),
            Map.of("role", "worker"),
            6),
        new EvictPods(
            id(52),
            REMOVAL,
            AT,
            cmd(52),
            NODE.name(),
            List.of(POD),
            false,
            Duration.ofMinutes(2),
            AT.plusSeconds(130)),
        new DeleteNode(id(53), REMOVAL, AT, cmd(53), NODE.name(), NODE.uid(), AT.plusSeconds(30)),
        new RetireServer(
            id(54),
            REMOVAL,
            AT,
            cmd(54),
            NODE.serverId(),
            ServerDisposal.DELETE,
            AT.plusSeconds(90)),
        new ObserveServer(id(47), INCIDENT, AT, cmd(47), NODE.serverId(), AT.plusSeconds(10)),
        new ServerObserved(id(48), INCIDENT, AT, cmd(47), NODE.serverId(), "off", false),
        new DeclareNodeGone(
            id(49),
            INCIDENT,
            AT,
            cmd(49),
            NODE.name(),
            NODE.serverId(),
            "server " + NODE.serverId() + " status off",
            AT.plusSeconds(10)),
        new DoctorRunRequested(id(60), DoctorMessage.KEY, AT, DOCTOR_RUN, "schedule"),
        new ClusterSnapshotTaken(
            id(61), DoctorMessage.KEY, AT, DOCTOR_RUN, clusterSnapshot(), null),
        new HetznerSnapshotTaken(
            id(62), DoctorMessage.KEY, AT, DOCTOR_RUN, hetznerSnapshot(), null),
        new DoctorReport(
            id(63),
            DoctorMessage.KEY,
            AT,
            DOCTOR_RUN,
            "schedule",
            List.of(
                new Finding(
                    "VOLUME_ON_SERVER_WITHOUT_NODE/volume/" + VOLUME,
                    FindingKind.VOLUME_ON_SERVER_WITHOUT_NODE,
                    List.of("volume/" + VOLUME, "pv/pvc-3f1d2c4b", "server/" + NODE.serverId()),
                    AT.minusSeconds(600),
                    "no Node stands for server " + NODE.serverId(),
                    "volume " + VOLUME + " is attached to server " + NODE.serverId() + " (off)",
                    new Repair(Repair.Action.DETACH_VOLUME, VOLUME, NODE.serverId(), null, null),
                    null,
                    null)),
            List.of(),
            new Headroom(3600, 3512, "k3s-pool-a-worker-3", 4, 27),
            null),
        new RepairAsked(
            id(64), DoctorMessage.KEY, AT, DOCTOR_RUN, REPAIR, REPAIRED_FINDING, "alice"),
        new RepairAnswered(
            id(65),
            DoctorMessage.KEY,
            AT,
            DOCTOR_RUN,
            REPAIR,
            REPAIRED_FINDING,
            RepairAnswered.Verdict.STARTED,
            null,
            REPAIR_DETACH,
            IncidentId.forRepair(REPAIR)),
        new RepairRequested(
            id(66),
            IncidentId.forRepair(REPAIR),
            AT,
            new NodeRef(
                RepairRequested.serverName(NODE.serverId()),
                RepairRequested.serverName(NODE.serverId()),
                NODE.serverId(),
                "fsn1"),
            REPAIRED_FINDING,
            REPAIR_DETACH,
            "alice",
            new HeldVolume(VOLUME, "pvc-3f1d2c4b", CLAIM, "fsn1", List.of()),
            null));
  }

  /** The repair of the doctor samples. */
  public static final String REPAIR = "0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6";

  private static final String REPAIRED_FINDING = "volume-on-server-without-node/volume/" + VOLUME;

  private static final Repair REPAIR_DETACH =
      new Repair(Repair.Action.DETACH_VOLUME, VOLUME, NODE.serverId(), null, null);

  /** The run id of the doctor samples. */
  public static final String DOCTOR_RUN = "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f";

  /** A small cluster side: a node, its volume's PV and attachment, and the pod using it. */
  public static ClusterSnapshot clusterSnapshot() {
    return new ClusterSnapshot(
        AT,
        List.of(
            new ClusterSnapshot.Node("k3s-pool-a-worker-3", 4212L, "fsn1", true, null, null, 1)),
        List.of(
            new ClusterSnapshot.Volume(
                "pvc-3f1d2c4b", VOLUME, "fsn1", "Retain", "shop/data-postgres-0", "shop/postgres")),
        List.of(
            new ClusterSnapshot.Attachment(
                "csi-0a1b2c", "pvc-3f1d2c4b", "k3s-pool-a-worker-3", true, AT.minusSeconds(3600))),
        List.of(
            new ClusterSnapshot.Pod(
                "shop",
                "postgres-0",
                "k3s-pool-a-worker-3",
                AT.minusSeconds(3600),
                true,
                null,
                List.of("pvc-3f1d2c4b"))));
  }

  /** The Hetzner side of the same world. */
  public static HetznerSnapshot hetznerSnapshot() {
    return new HetznerSnapshot(
        AT,
        List.of(new HetznerSnapshot.Server(4212, "k3s-pool-a-worker-3", "running", "fsn1")),
        List.of(new HetznerSnapshot.Volume(VOLUME, "pvc-3f1d2c4b", "fsn1", 4212L, true)),
        new HetznerSnapshot.Budget(3600, 3512, AT));
  }

  private static String id(int n) {
    return MessageIds.derived("sample-message", Integer.toString(n));
  }

  private static String cmd(int n) {
    return MessageIds.derived("sample-command", Integer.toString(n));
  }
}
