package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.IncidentId;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.doctor.ClusterSnapshot;
import dev.lifeboat.events.doctor.DoctorMessage;
import dev.lifeboat.events.doctor.DoctorReport;
import dev.lifeboat.events.doctor.Finding;
import dev.lifeboat.events.doctor.HetznerSnapshot;
import dev.lifeboat.events.doctor.Repair;
import dev.lifeboat.events.doctor.RepairAnswered;
import dev.lifeboat.events.doctor.RepairAnswered.Verdict;
import dev.lifeboat.events.doctor.RepairAsked;
import dev.lifeboat.events.node.ClaimRef;
import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.NodeRef;
import dev.lifeboat.events.node.RepairRequested;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A repair asked for, checked again on the snapshots of the fresh run that follows the request
 * (docs/doctor.md): the finding as the last report named it must still hold, with the same repair
 * ({@link Doctor#recheck}); then the repair's saga is opened ({@link RepairRequested}) and the
 * request answered {@code STARTED}; otherwise it is answered with what changed and nothing is done.
 * Pure.
 */
final class RepairCheck {

  /**
   * The repairs that a setting may let run unasked: not the move, which is an incident's work on a
   * lost node's data and runs only on a person's word.
   */
  static final List<Repair.Action> UNASKED =
      List.of(Repair.Action.DETACH_VOLUME, Repair.Action.ATTACH_VOLUME);

  private RepairCheck() {}

  /**
   * What answers the request once its run compared both sides: the saga's opening then the answer,
   * or only the answer.
   *
   * @param reported the report before the run, whose finding the person asked about; null before
   *     any report
   */
  static List<LifeboatMessage> check(
      Doctor doctor,
      RepairAsked asked,
      DoctorReport reported,
      ClusterSnapshot cluster,
      HetznerSnapshot hetzner,
      Doctor.Busy busy,
      Instant now) {
    Optional<Finding> finding =
        reported == null
            ? Optional.empty()
            : reported.findings().stream()
                .filter(f -> f.id().equals(asked.findingId()))
                .findFirst();
    if (finding.isEmpty()) {
      return List.of(
          answer(
              asked,
              now,
              Verdict.UNKNOWN_FINDING,
              reported == null
                  ? "no report yet has findings"
                  : "the last report (run "
                      + reported.runId()
                      + " at "
                      + reported.occurredAt()
                      + ") has no finding "
                      + asked.findingId(),
              null));
    }
    Doctor.Recheck recheck = doctor.recheck(finding.get(), cluster, hetzner, busy);
    if (recheck instanceof Doctor.Refused refused) {
      return List.of(answer(asked, now, Verdict.REFUSED, refused.whatChanged(), null));
    }
    // Proceed means the fresh run offers this very repair, so it is one a saga runs (the doctor
    // no longer offers REQUEUE_ATTACHMENT, which only old reports name).
    Repair repair = ((Doctor.Proceed) recheck).repair();
    if (repair.action() == Repair.Action.MOVE_VOLUME
        && serverOf(cluster, repair.nodeName()).isEmpty()) {
      return List.of(
          answer(
              asked,
              now,
              Verdict.REFUSED,
              "node " + repair.nodeName() + " has no Hetzner server to move the volume to",
              null));
    }
    return start(
        asked.runId(), asked.repairId(), finding.get(), asked.requestedBy(), cluster, hetzner, now);
  }

  /**
   * The repair of a finding that holds on the run's snapshots, started: its saga's opening, then
   * the answer that says so.
   */
  static List<LifeboatMessage> start(
      String runId,
      String repairId,
      Finding finding,
      String requestedBy,
      ClusterSnapshot cluster,
      HetznerSnapshot hetzner,
      Instant now) {
    List<LifeboatMessage> out = new ArrayList<>();
    out.add(opening(repairId, finding, requestedBy, cluster, hetzner, now));
    out.add(answer(runId, repairId, finding.id(), now, Verdict.STARTED, null, finding.repair()));
    return out;
  }

  /** The answer when the run could not check the finding again. */
  static RepairAnswered notChecked(RepairAsked asked, Instant now, String why) {
    return answer(
        asked, now, Verdict.NOT_CHECKED, "the finding could not be checked again: " + why, null);
  }

  private static RepairAnswered answer(
      RepairAsked asked, Instant now, Verdict verdict, String reason, Repair repair) {
    return answer(asked.runId(), asked.repairId(), asked.findingId(), now, verdict, reason, repair);
  }

  private static RepairAnswered answer(
      String runId,
      String repairId,
      String findingId,
      Instant now,
      Verdict verdict,
      String reason,
      Repair repair) {
    return new RepairAnswered(
        MessageIds.derived("repair-answered", repairId),
        DoctorMessage.KEY,
        now,
        runId,
        repairId,
        findingId,
        verdict,
        reason,
        repair,
        verdict == Verdict.STARTED ? IncidentId.forRepair(repairId) : null);
  }

  /**
   * The repair's saga: the server it works on (a detach's named for the server, having no Node; an
   * attach's for the node whose VolumeAttachment says where the volume is), and the volume.
   */
  private static RepairRequested opening(
      String repairId,
      Finding finding,
      String requestedBy,
      ClusterSnapshot cluster,
      HetznerSnapshot hetzner,
      Instant now) {
    Repair repair = finding.repair();
    HetznerSnapshot.Volume atHetzner =
        hetzner.volumes().stream().filter(v -> v.id() == repair.volumeId()).findFirst().get();
    ClusterSnapshot.Volume pv =
        cluster.volumes().stream().filter(v -> v.volumeId() == repair.volumeId()).findFirst().get();
    // A detach leaves a server that no Node stands for; an attach goes to a node's server; a move
    // leaves a lost node's server (named as its Node, if it has one) for another node's.
    String name =
        switch (repair.action()) {
          case ATTACH_VOLUME -> repair.nodeName();
          case MOVE_VOLUME ->
              cluster.nodes().stream()
                  .filter(n -> Long.valueOf(repair.serverId()).equals(n.serverId()))
                  .map(ClusterSnapshot.Node::name)
                  .findFirst()
                  .orElse(RepairRequested.serverName(repair.serverId()));
          default -> RepairRequested.serverName(repair.serverId());
        };
    NodeRef node = new NodeRef(name, name, repair.serverId(), atHetzner.location());
    Long target =
        repair.action() != Repair.Action.MOVE_VOLUME
            ? null
            : serverOf(cluster, repair.nodeName()).orElse(null);
    HeldVolume volume =
        new HeldVolume(repair.volumeId(), pv.name(), claimOf(pv), atHetzner.location(), List.of());
    return new RepairRequested(
        MessageIds.derived("repair-requested", repairId),
        IncidentId.forRepair(repairId),
        now,
        node,
        finding.id(),
        repair,
        requestedBy,
        volume,
        target);
  }

  /** The Hetzner server of the node of this name, if the cluster has the node and it names one. */
  private static Optional<Long> serverOf(ClusterSnapshot cluster, String nodeName) {
    return cluster.nodes().stream()
        .filter(n -> n.name().equals(nodeName) && n.serverId() != null)
        .map(ClusterSnapshot.Node::serverId)
        .findFirst();
  }

  /** The PV's claim ({@code namespace/name}); a PV bound to none is named by itself. */
  private static ClaimRef claimOf(ClusterSnapshot.Volume pv) {
    if (pv.claim() == null || !pv.claim().contains("/")) {
      return new ClaimRef("-", pv.name());
    }
    int slash = pv.claim().indexOf('/');
    return new ClaimRef(pv.claim().substring(0, slash), pv.claim().substring(slash + 1));
  }
}
