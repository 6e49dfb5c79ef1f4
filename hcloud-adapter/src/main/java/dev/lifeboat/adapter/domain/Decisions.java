package dev.lifeboat.adapter.domain;

import dev.lifeboat.events.FailureCodes;
import dev.lifeboat.events.node.ServerDisposal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Observe-then-act for each command: from the state read from Hetzner (null when the resource is
 * gone), what to do. Pure functions; the safety rules of Lifeboat live here.
 */
public final class Decisions {

  /** Code of a refusal: the volume is on a server other than the one the command names. */
  public static final String ATTACHED_ELSEWHERE = "attached_elsewhere";

  /** Code of a refusal: the volume no longer exists. */
  public static final String VOLUME_NOT_FOUND = "volume_not_found";

  /**
   * Code of a refusal: the API answered not_found for the server, but the token reads none of the
   * cluster's servers either, so the answer proves nothing (wrong project token, wrong API URL).
   */
  public static final String DELETION_NOT_PROVEN = "deletion_not_proven";

  /** Code of a refusal: the command's deadline passed; the saga no longer waits for it. */
  public static final String DEADLINE_PASSED = "deadline_passed";

  /** Code of a refusal: the command's incident ended after the command was sent. */
  public static final String INCIDENT_ENDED = "incident_ended";

  private Decisions() {}

  /**
   * A command whose incident ended after it was sent (aborted, cancelled, or done) is not carried
   * out: the saga no longer wants it.
   *
   * @param endedAt when the incident ended; null while it runs
   * @return the refusal, or null while the incident runs
   */
  public static Decision.Refuse incidentEnded(String incidentId, Instant endedAt) {
    if (endedAt == null) {
      return null;
    }
    return new Decision.Refuse(
        INCIDENT_ENDED,
        "incident "
            + incidentId
            + " ended at "
            + endedAt
            + ", after this command was sent: it is not carried out");
  }

  /**
   * Whether a command may still be started or go on: not after its deadline, when the saga has
   * given up on it (and may have sent another attempt, or been aborted).
   *
   * @param notAfter the command's deadline; null for none
   * @return the refusal, or null while there is time
   */
  public static Decision.Refuse pastDeadline(Instant notAfter, Instant now) {
    if (notAfter == null || !now.isAfter(notAfter)) {
      return null;
    }
    return new Decision.Refuse(
        DEADLINE_PASSED,
        "the command's deadline "
            + notAfter
            + " has passed: the orchestrator no longer waits for it, so it is not carried out");
  }

  /**
   * The server was not found, but nothing shows that this token reads the cluster's project: a
   * final refusal, since acting as if it were deleted would release volumes a live server writes.
   *
   * @param hadWitnesses whether the command named other servers of the cluster to read
   */
  public static Decision deletionNotProven(long serverId, boolean hadWitnesses) {
    return new Decision.Refuse(
        DELETION_NOT_PROVEN,
        "the Hetzner API answered not_found for server "
            + serverId
            + ", but "
            + (hadWitnesses
                ? "it does not find the cluster's other servers either"
                : "its server list is empty")
            + ": the token belongs to another project or lifeboat.hcloud.url is not the API,"
            + " so the server is not taken as deleted and nothing is released");
  }

  /**
   * Fence by power: nothing to do when the server is gone or off.
   *
   * @param status the server's status, or null when the server no longer exists
   */
  public static Decision powerOff(long serverId, String status) {
    if (status == null) {
      return new Decision.AlreadyDone("server " + serverId + " no longer exists", true);
    }
    if (status.equals("off")) {
      return new Decision.AlreadyDone("server " + serverId + " status off");
    }
    return new Decision.Act(
        "POST /servers/" + serverId + "/actions/poweroff",
        "server " + serverId + " status " + status);
  }

  /**
   * Fence by deletion: nothing to do when the server is gone.
   *
   * @param status the server's status, or null when the server no longer exists
   */
  public static Decision deleteServer(long serverId, String status) {
    if (status == null) {
      return new Decision.AlreadyDone("server " + serverId + " no longer exists", true);
    }
    return new Decision.Act(
        "DELETE /servers/" + serverId, "server " + serverId + " status " + status);
  }

  /**
   * The end of a planned removal: the server goes (deleted, or powered off) only once Hetzner shows
   * no volume attached to it, so that no detach is cut short and no volume goes with a deleted
   * server; refused, retryable, while one is (a detach may still be running).
   *
   * @param status the server's status, or null when the server no longer exists
   * @param attached the volumes Hetzner lists on the server
   */
  public static Decision retire(
      long serverId, ServerDisposal disposal, String status, List<Long> attached) {
    if (status == null) {
      return new Decision.AlreadyDone("server " + serverId + " no longer exists", true);
    }
    if (attached != null && !attached.isEmpty()) {
      return new Decision.Refuse(
          FailureCodes.VOLUMES_ATTACHED,
          "server "
              + serverId
              + " still has volume(s) "
              + attached
              + " attached: it is not "
              + (disposal == ServerDisposal.DELETE ? "deleted" : "powered off")
              + " until Hetzner shows none",
          true);
    }
    if (disposal == ServerDisposal.DELETE) {
      return new Decision.Act(
          "DELETE /servers/" + serverId,
          "server " + serverId + " status " + status + ", no volume attached");
    }
    if ("off".equals(status)) {
      return new Decision.AlreadyDone("server " + serverId + " status off, no volume attached");
    }
    return new Decision.Act(
        "POST /servers/" + serverId + "/actions/poweroff",
        "server " + serverId + " status " + status + ", no volume attached");
  }

  /**
   * Whether a detach may go ahead on the server as it is now: only while the fence holds, the
   * server off (or gone) and no start action running on it. A person may have powered it on in the
   * middle of the incident; a detach then pulls a disk from a live workload.
   *
   * @param serverStatus the server's status; null when it no longer exists
   * @param starting whether a start action runs on it
   * @return the refusal, or null when the fence holds
   */
  public static Decision.Refuse unlessFenced(long serverId, String serverStatus, boolean starting) {
    if (serverStatus == null || ("off".equals(serverStatus) && !starting)) {
      return null;
    }
    return new Decision.Refuse(
        FailureCodes.SERVER_RUNNING,
        "server "
            + serverId
            + " is "
            + (starting ? "starting" : serverStatus)
            + ": its fence no longer holds, so no volume is detached from it");
  }

  /**
   * An attach only to a server that runs; final otherwise (the replacement pod's node is lost, or
   * its server was stopped: a new replacement is needed, not another try).
   *
   * @param serverStatus the server's status; null when the server does not exist
   * @return the refusal, or null when the server runs
   */
  public static Decision.Refuse unlessRunning(long serverId, String serverStatus) {
    if ("running".equals(serverStatus)) {
      return null;
    }
    return new Decision.Refuse(
        FailureCodes.TARGET_NOT_RUNNING,
        "server "
            + serverId
            + (serverStatus == null ? " no longer exists" : " is " + serverStatus)
            + ": no volume is attached to a server that does not run");
  }

  /**
   * Detach from the fenced server only; a volume on any other server is never touched.
   *
   * @param exists whether the volume still exists
   * @param attachedTo the server the volume is attached to, or null
   */
  public static Decision detach(
      long volumeId, long expectedServerId, boolean exists, Long attachedTo) {
    if (!exists) {
      return new Decision.Refuse(VOLUME_NOT_FOUND, "volume " + volumeId + " no longer exists");
    }
    if (attachedTo == null) {
      return new Decision.AlreadyDone("volume " + volumeId + " is attached to no server");
    }
    if (attachedTo != expectedServerId) {
      return new Decision.Refuse(
          ATTACHED_ELSEWHERE,
          "volume "
              + volumeId
              + " is attached to server "
              + attachedTo
              + ", not to the fenced server "
              + expectedServerId
              + "; Lifeboat never detaches a volume from a server it did not fence");
    }
    return new Decision.Act(
        "POST /volumes/" + volumeId + "/actions/detach",
        "volume " + volumeId + " is attached to server " + attachedTo);
  }

  /**
   * Attach only a free volume; one on another server is a final refusal, never a detach.
   *
   * @param exists whether the volume still exists
   * @param attachedTo the server the volume is attached to, or null
   */
  public static Decision attach(
      long volumeId, long targetServerId, boolean exists, Long attachedTo) {
    if (!exists) {
      return new Decision.Refuse(VOLUME_NOT_FOUND, "volume " + volumeId + " no longer exists");
    }
    if (Objects.equals(attachedTo, targetServerId)) {
      return new Decision.AlreadyDone(
          "volume " + volumeId + " is already attached to server " + targetServerId);
    }
    if (attachedTo != null) {
      return new Decision.Refuse(
          ATTACHED_ELSEWHERE,
          "volume "
              + volumeId
              + " is attached to server "
              + attachedTo
              + ", not free for server "
              + targetServerId
              + "; Lifeboat never detaches it on its own");
    }
    return new Decision.Act(
        "POST /volumes/" + volumeId + "/actions/attach {\"server\":" + targetServerId + "}",
        "volume " + volumeId + " is attached to no server");
  }
}
