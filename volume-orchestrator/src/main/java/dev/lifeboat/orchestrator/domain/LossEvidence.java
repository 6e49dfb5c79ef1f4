package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.cluster.DeclareNodeGone;
import dev.lifeboat.events.hcloud.ObserveServer;
import dev.lifeboat.events.hcloud.ServerObserved;
import dev.lifeboat.events.node.NodeSuspected;
import dev.lifeboat.events.node.SuspicionReason;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Detection from both sides (docs/design.md): node-watcher sees the Lease overdue, the Hetzner API
 * sees the server. A node suspected because its Lease is overdue (or held by the storm guard) has
 * its server read once; when the API shows the server off with no action on it, or deleted, the
 * node is lost now and node-watcher is asked to declare it gone without waiting for the grace. A
 * server that runs proves nothing (a hung node, a partition): the grace decides, as before. The
 * fence reads the server again before anything moves, so this only makes the loss known sooner.
 */
public final class LossEvidence {

  /** How long the read and the declaration are worth waiting for: the grace decides after that. */
  public static final Duration WAIT = Duration.ofSeconds(15);

  /**
   * A suspected node whose server is read.
   *
   * @param reason why the node is suspected; each reason reads the server once
   */
  public record Suspicion(String nodeName, long serverId, SuspicionReason reason) {}

  private LossEvidence() {}

  /**
   * The suspicion worth a read of the node's server; empty for a node without a known server, and
   * for one that is only not Ready while its kubelet renews its Lease (its server runs).
   */
  public static Optional<Suspicion> suspicion(NodeSuspected suspected) {
    if (suspected.node().serverId() <= 0 || suspected.reason() == SuspicionReason.NOT_READY) {
      return Optional.empty();
    }
    return Optional.of(
        new Suspicion(suspected.node().name(), suspected.node().serverId(), suspected.reason()));
  }

  /** The read of the server; a suspicion delivered again asks the same read (same command id). */
  public static ObserveServer read(String incidentId, Suspicion suspicion, Instant now) {
    String commandId = readId(incidentId, suspicion);
    return new ObserveServer(
        MessageIds.derived("message", commandId),
        incidentId,
        now,
        commandId,
        suspicion.serverId(),
        now.plus(WAIT));
  }

  /**
   * What the read proves: the node gone now when its server is off with nothing running on it, or
   * deleted; nothing when it runs, or when the answer is not to this suspicion's read.
   */
  public static Optional<DeclareNodeGone> conclude(
      String incidentId, Suspicion suspicion, ServerObserved observed, Instant now) {
    if (!observed.commandId().equals(readId(incidentId, suspicion))
        || observed.serverId() != suspicion.serverId()
        || !provesDown(observed)) {
      return Optional.empty();
    }
    String commandId = MessageIds.derived("declare-node-gone", incidentId);
    return Optional.of(
        new DeclareNodeGone(
            MessageIds.derived("message", commandId),
            incidentId,
            now,
            commandId,
            suspicion.nodeName(),
            suspicion.serverId(),
            "the Hetzner API shows server "
                + suspicion.serverId()
                + (ServerObserved.DELETED.equals(observed.status())
                    ? " deleted"
                    : " status " + observed.status())
                + " while node "
                + suspicion.nodeName()
                + "'s Lease is overdue",
            now.plus(WAIT)));
  }

  /**
   * The server cannot be running: off with no action on it (a start may be on its way), or deleted.
   */
  static boolean provesDown(ServerObserved observed) {
    return ServerObserved.DELETED.equals(observed.status())
        || ("off".equals(observed.status()) && !observed.locked());
  }

  private static String readId(String incidentId, Suspicion suspicion) {
    return MessageIds.derived("observe-server", incidentId, suspicion.reason().name());
  }
}
