package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.Command;
import dev.lifeboat.events.CommandResult;
import dev.lifeboat.events.FailureCodes;
import dev.lifeboat.events.IncidentId;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.cluster.AwaitPodReady;
import dev.lifeboat.events.cluster.AwaitReplacementPod;
import dev.lifeboat.events.cluster.ClusterCommand;
import dev.lifeboat.events.cluster.ClusterCommandFailed;
import dev.lifeboat.events.cluster.ClusterCommandSucceeded;
import dev.lifeboat.events.cluster.CordonNode;
import dev.lifeboat.events.cluster.DeleteVolumeAttachments;
import dev.lifeboat.events.cluster.PodReady;
import dev.lifeboat.events.cluster.RemoveOutOfServiceTaint;
import dev.lifeboat.events.cluster.ReplacementPodScheduled;
import dev.lifeboat.events.cluster.TaintNodeOutOfService;
import dev.lifeboat.events.control.AbortIncident;
import dev.lifeboat.events.control.CancelIncident;
import dev.lifeboat.events.control.ResumeIncident;
import dev.lifeboat.events.control.RetryVolume;
import dev.lifeboat.events.hcloud.AttachVolume;
import dev.lifeboat.events.hcloud.DeleteServer;
import dev.lifeboat.events.hcloud.DetachVolume;
import dev.lifeboat.events.hcloud.HcloudCommand;
import dev.lifeboat.events.hcloud.HcloudCommandAlreadyDone;
import dev.lifeboat.events.hcloud.HcloudCommandFailed;
import dev.lifeboat.events.hcloud.HcloudCommandSucceeded;
import dev.lifeboat.events.hcloud.PowerOffServer;
import dev.lifeboat.events.node.ClaimRef;
import dev.lifeboat.events.node.EligibleNode;
import dev.lifeboat.events.node.GoneReason;
import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.node.NodeRef;
import dev.lifeboat.events.node.NodeReturned;
import dev.lifeboat.events.node.PodRef;
import dev.lifeboat.events.permit.FlowSlotsRequested;
import dev.lifeboat.events.permit.PermitMessage;
import dev.lifeboat.events.saga.IncidentStatus;
import dev.lifeboat.events.saga.RequestRefused;
import dev.lifeboat.events.saga.Step;
import dev.lifeboat.orchestrator.messaging.SagaStateCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A model of the world around one saga, from a seed: Hetzner's servers (power state, one action at
 * a time), its volumes (on which server), the replacement pods (on which node), and the adapter and
 * watcher deciding each command against that world as the real ones do (observe, then act or answer
 * "already so" or refuse), with delays, lost and duplicated answers, commands executed twice, late
 * answers, API flakes, a person powering the fenced server on, a hung node that comes back, a
 * target node that crashes, an orchestrator that crashes before committing (its output lost, its
 * input read again), and people who resume, cancel, abort and retry. It runs the pure saga and
 * checks the rules after every call, on the messages and on the world; a broken rule fails with the
 * seed, so the case can be replayed.
 */
final class SagaWorld {

  private static final String[] LOCATIONS = {"fsn1", "nbg1", "hel1"};
  private static final Instant T0 = Instant.parse("2026-11-26T03:00:00Z");

  final long seed;
  private final Random random;
  private final IncidentSaga saga;
  private final NodeGone gone;
  private final Map<Long, String> serverLocation = new HashMap<>();
  private final PriorityQueue<Delivery> deliveries = new PriorityQueue<>();
  private final Map<Long, List<Sent>> mutatingByVolume = new HashMap<>();
  private final List<LifeboatMessage> sent = new ArrayList<>();
  private final Set<String> commandIds = new HashSet<>();
  private Instant now = T0;
  private IncidentState state;
  private int sequence;
  private boolean fenceProven;
  private Instant pausedFrom;
  private Instant pausedUntil;

  /** The incidents holding a fencing permit: in some worlds many others, for good. */
  private final PermitDesk permits = new PermitDesk();

  private boolean retried;
  private boolean personActed;
  private boolean returnedBeforeFence;
  private int crashes;

  /** When a person powers the fenced server on again (in some worlds). */
  private Instant poweredOnAt;

  /** The saga was told the server runs (a detach refused) and no fence has succeeded since. */
  private boolean sagaToldServerRuns;

  // ---- the world: Hetzner's servers and volumes, and where the replacement pods run
  // ---------------

  private enum Power {
    RUNNING,
    STARTING,
    OFF,
    DELETED
  }

  private final Map<Long, Power> power = new HashMap<>();

  /** A server's running action (Hetzner runs one at a time) lasts until then. */
  private final Map<Long, Instant> busyUntil = new HashMap<>();

  /** Each volume's server; a detached volume has none. */
  private final Map<Long, Long> attachedTo = new HashMap<>();

  /** The server of each node the world knows. */
  private final Map<String, Long> nodeServer = new HashMap<>();

  /** The lost node is cordoned; in some worlds a person had cordoned it before the loss. */
  private boolean cordoned;

  private boolean cordonedByPerson;

  /** The lost node carries the out-of-service taint. */
  private boolean tainted;

  /** The saga was told the node came back. */
  private boolean nodeReturned;

  /** Nodes declared lost while their server still runs (hung). */
  private final Set<String> lostNodes = new HashSet<>();

  /** Every command the saga sent, by id. */
  private final Map<String, Command> commands = new HashMap<>();

  /** A message due at a time; ties keep their order. */
  private record Delivery(Instant at, int order, LifeboatMessage message, Runnable change)
      implements Comparable<Delivery> {
    @Override
    public int compareTo(Delivery other) {
      int byTime = at.compareTo(other.at);
      return byTime != 0 ? byTime : Integer.compare(order, other.order);
    }
  }

  /** A mutating command the saga sent for a volume, and until when the saga awaited it. */
  private static final class Sent {
    final String commandId;
    final Instant deadline;
    boolean answered;

    Sent(String commandId, Instant deadline) {
      this.commandId = commandId;
      this.deadline = deadline;
    }
  }

  SagaWorld(long seed) {
    this.seed = seed;
    this.random = new Random(seed);
    this.gone = randomNodeGone();
    this.saga = new IncidentSaga(randomPolicy());
    if (random.nextInt(8) == 0) {
      pausedFrom = T0.plusSeconds(random.nextInt(30));
      pausedUntil = pausedFrom.plusSeconds(5 + random.nextInt(120));
    }
    if (random.nextInt(10) == 0) {
      permits.othersFencing(50);
    }
    // Other incidents' flows come and go: now and then enough to hold this one back a while, or
    // to leave it fewer slots than it wants.
    if (random.nextInt(4) == 0) {
      permits.othersHoldFlows(1 + random.nextInt(saga.policy().maxActiveFlows()));
      at(T0.plusSeconds(random.nextInt(300)), () -> permits.othersHoldFlows(0));
    }
    fenceProven =
        saga.policy().fencingFor(gone.nodeLabels()) == FencePolicy.NONE
            && FenceRules.serverShownOff(gone.reason());
    buildTheWorld();
  }

  /**
   * The lost server as its loss left it (off after a shutdown; hung and running, crashed off, or
   * deleted otherwise), every volume on it, the other nodes' servers running; then what will happen
   * to it regardless of the saga: a person powering the server on, a target node crashing.
   */
  private void buildTheWorld() {
    long lost = gone.node().serverId();
    Power start =
        switch (gone.reason()) {
          case SERVER_SHUTDOWN -> Power.OFF;
          case SERVER_OFF -> random.nextBoolean() ? Power.DELETED : Power.OFF;
          case NODE_DELETED -> random.nextBoolean() ? Power.DELETED : Power.OFF;
          default -> random.nextBoolean() ? Power.RUNNING : Power.OFF;
        };
    power.put(lost, start);
    if (fenceProven && start == Power.RUNNING) {
      power.put(lost, Power.OFF);
    }
    nodeServer.put(gone.node().name(), lost);
    gone.eligibleNodes().values().stream()
        .flatMap(List::stream)
        .forEach(
            node -> {
              power.put(node.serverId(), Power.RUNNING);
              nodeServer.put(node.name(), node.serverId());
            });
    gone.volumes().forEach(volume -> attachedTo.put(volume.volumeId(), lost));
    cordonedByPerson = random.nextInt(10) == 0;
    cordoned = cordonedByPerson;
    if (random.nextInt(8) == 0) {
      poweredOnAt = T0.plusSeconds(5 + random.nextInt(40));
      at(poweredOnAt, this::personPowersTheServerOn);
    }
    List<EligibleNode> targets =
        gone.eligibleNodes().values().stream().flatMap(List::stream).toList();
    if (!targets.isEmpty() && random.nextInt(8) == 0) {
      // A target node is lost too: it crashes (off), or hangs (its server runs on) and is fenced
      // by its own incident a while later, or never (that incident held by a guard).
      EligibleNode doomed = targets.get(random.nextInt(targets.size()));
      Instant lostAt = T0.plusSeconds(random.nextInt(90));
      if (random.nextBoolean()) {
        at(lostAt, () -> power.put(doomed.serverId(), Power.OFF));
      } else {
        at(lostAt, () -> lostNodes.add(doomed.name()));
        if (random.nextInt(10) < 7) {
          at(
              lostAt.plusSeconds(10 + random.nextInt(110)),
              () -> power.put(doomed.serverId(), Power.OFF));
        }
      }
    }
  }

  /** Runs until the saga has ended and every delivery is made; returns the final state. */
  IncidentState run() {
    deliver(gone, now);
    for (int step = 0; step < 20_000; step++) {
      Instant wakeUp = state == null ? null : state.nextWakeUp();
      Delivery next = deliveries.peek();
      Instant pauseEdge = pauseEdgeAfter(now);
      Instant target = earliest(earliest(wakeUp, next == null ? null : next.at), pauseEdge);
      if (target == null) {
        if (state != null && state.status().terminal() && !retried && personMayRetry()) {
          continue;
        }
        checkTheWorldAtTheEnd();
        return state;
      }
      if (target.isAfter(now)) {
        now = target;
      }
      if (next != null && !next.at.isAfter(now)) {
        deliveries.poll();
        if (next.change != null) {
          next.change.run();
        } else if (next.message instanceof FenceMarker marker) {
          boolean proven = fenceProven;
          boolean told = sagaToldServerRuns;
          fenceProven = true;
          sagaToldServerRuns = false;
          if (!receive(marker.result)) {
            fenceProven = proven;
            sagaToldServerRuns = told;
            deliveries.add(new Delivery(afterRestart(), ++sequence, marker, null));
          }
        } else if (!receive(next.message)) {
          deliver(next.message, afterRestart());
        }
      } else if (state != null) {
        check(saga.tick(state, now, conditions()), null);
      }
    }
    throw new AssertionError(fail("the saga did not settle within 20000 steps"));
  }

  /** The commands and events the saga sent, in order. */
  List<LifeboatMessage> sent() {
    return sent;
  }

  NodeGone gone() {
    return gone;
  }

  SagaPolicy policy() {
    return saga.policy();
  }

  String fail(String rule) {
    return rule
        + " (seed "
        + seed
        + "; replay with -Dlifeboat.saga.seed="
        + seed
        + ")\nsent:\n"
        + String.join(
            "\n", sent.stream().map(m -> "  " + m.getClass().getSimpleName() + " " + m).toList());
  }

  // ---- the world's reactions -------------------------------------------------------------------

  /**
   * Hands a message to the saga. False when the orchestrator crashed before its transaction
   * committed: the state stays as committed, nothing it would have sent is sent, and the message is
   * read again after the restart.
   */
  private boolean receive(LifeboatMessage message) {
    if (crashes < 2 && random.nextInt(150) == 0) {
      // The restarted orchestrator restores the state its changelog committed.
      crashes++;
      byte[] committed = state == null ? null : SagaStateCodec.write(state);
      saga.apply(state, message, now, conditions());
      state = committed == null ? null : SagaStateCodec.read(committed);
      return false;
    }
    String before = state == null ? null : new String(SagaStateCodec.write(state));
    boolean awaited =
        message instanceof CommandResult result
            && state != null
            && state.outstanding().anyMatch(a -> a.commandId().equals(result.commandId()));
    if (message instanceof CommandResult result) {
      mutatingByVolume.values().stream()
          .flatMap(List::stream)
          .filter(s -> s.commandId.equals(result.commandId()))
          .forEach(s -> s.answered = true);
    }
    if (message instanceof NodeReturned) {
      nodeReturned = true;
      returnedBeforeFence |= !fenceProven;
    }
    if (awaited
        && message instanceof HcloudCommandFailed f
        && FailureCodes.SERVER_RUNNING.equals(f.errorCode())
        && commands.get(f.commandId()) instanceof DetachVolume d
        && d.expectedServerId() == gone.node().serverId()) {
      sagaToldServerRuns = true;
    }
    Outcome outcome = saga.apply(state, message, now, conditions());
    if (message instanceof CommandResult && !awaited) {
      // Rule: a duplicate or late result changes nothing.
      if (!outcome.messages().isEmpty()
          || !new String(SagaStateCodec.write(outcome.state())).equals(before)) {
        throw new AssertionError(
            fail("a result that was not awaited changed the saga: " + message));
      }
    }
    check(outcome, message);
    return true;
  }

  /** When a crashed orchestrator reads again (a restart and a rebalance). */
  private Instant afterRestart() {
    return now.plusSeconds(5 + random.nextInt(15));
  }

  private void check(Outcome outcome, LifeboatMessage cause) {
    state = outcome.state();
    IncidentState stored = SagaStateCodec.read(SagaStateCodec.write(state));
    if (!Arrays.equals(SagaStateCodec.write(stored), SagaStateCodec.write(state))) {
      throw new AssertionError(fail("the stored state does not read back as written"));
    }
    for (LifeboatMessage message : outcome.messages()) {
      sent.add(message);
      if (message instanceof RequestRefused refused && refused.request().contains("cancel")) {
        // Told that only an abort stops an incident that has acted, the person aborts.
        deliver(
            new AbortIncident(MessageIds.random(), gone.incidentId(), now, "oncall", "then abort"),
            now.plusSeconds(5 + random.nextInt(60)));
      }
      if (message instanceof Command command) {
        checkCommand(command);
        answer(command);
      } else if (message instanceof PermitMessage sentPermit) {
        // The permits decide in the order requests arrive; the answer comes a moment later.
        PermitMessage answer = permits.take(sentPermit, now);
        if (answer != null) {
          deliver(answer, now.plusMillis(random.nextInt(2000)));
        }
      }
    }
    // Rule: an ended incident holds no fencing permit (it would count against the cap forever).
    if (state.status().terminal()
        && (state.permit() == Permit.REQUESTED || state.permit() == Permit.GRANTED)) {
      throw new AssertionError(fail("incident ended holding its fencing permit"));
    }
    checkFlowSlots();
    // Rule: every outstanding command has a deadline, not yet past.
    state
        .outstanding()
        .forEach(
            attempt -> {
              // (A message of the same instant may come before the tick that ends the attempt.)
              if (attempt.deadline() == null || attempt.deadline().isBefore(now)) {
                throw new AssertionError(
                    fail(
                        "command "
                            + attempt.commandId()
                            + " is outstanding without a deadline ahead: "
                            + attempt.deadline()
                            + " at "
                            + now
                            + ", orchestrator crashes so far "
                            + crashes));
              }
            });
    if (state.status() == IncidentStatus.CANCELLED
        && sent.stream().anyMatch(m -> mutating(m) && !fence(m))) {
      throw new AssertionError(fail("a cancelled incident sent a mutating command"));
    }
    actAsPeople(cause);
  }

  /**
   * Rules of the flow limit, against what the deciding partition counts: the incident never runs
   * more flows at once than it holds there, all incidents together hold no more than the limit
   * (unless a person's retry asked past it), and an ended incident holds none.
   */
  private void checkFlowSlots() {
    int held = permits.slots.getOrDefault(gone.incidentId(), 0);
    long active = state.volumes().stream().filter(flow -> flow.phase().active()).count();
    if (active > held && !state.status().terminal()) { // an ended incident runs nothing
      throw new AssertionError(
          fail(
              active
                  + " flows run while the incident holds "
                  + held
                  + ": "
                  + state.volumes().stream()
                      .filter(flow -> flow.phase().active())
                      .map(flow -> flow.volumeId() + " " + flow.phase())
                      .toList()));
    }
    boolean pastTheLimitOnAPersonsWord =
        sent.stream().anyMatch(m -> m instanceof FlowSlotsRequested r && r.override());
    if (permits.slotsHeld() > saga.policy().maxActiveFlows() && !pastTheLimitOnAPersonsWord) {
      throw new AssertionError(fail(permits.slotsHeld() + " flow slots are held, past the limit"));
    }
    if (state.status().terminal() && held > 0) {
      throw new AssertionError(fail("incident ended holding " + held + " flow slots"));
    }
  }

  private void checkCommand(Command command) {
    // Rule: nothing is sent for a node that came back before its fence was proven, not even the
    // fence again.
    if (returnedBeforeFence && mutating(command)) {
      throw new AssertionError(fail(command + " was sent after the node came back unfenced"));
    }
    // Rule: once told the fenced server runs again, no detach until a new fence succeeded (the
    // adapter refuses one from a running server; the saga must not keep asking).
    commands.put(command.commandId(), command);
    if (command instanceof DetachVolume d
        && d.expectedServerId() == gone.node().serverId()
        && sagaToldServerRuns) {
      throw new AssertionError(fail(command + " sent though the server runs again"));
    }
    // Rule: a command id names one request: never sent again for another attempt or round.
    if (!commandIds.add(command.commandId())) {
      throw new AssertionError(fail(command + " reuses the id of an earlier command"));
    }
    if (command instanceof PowerOffServer || command instanceof DeleteServer) {
      // Rule: no fence without a permit: the cap is counted exactly.
      if (state.permit() != Permit.GRANTED || !permits.holders.contains(gone.incidentId())) {
        throw new AssertionError(fail(command + " was sent without a fencing permit"));
      }
      return;
    }
    // Rule: nothing that touches the volumes or the node's pods before the fence succeeded.
    if (mutating(command) && !fenceProven && !(command instanceof ClusterCommand c && undoes(c))) {
      throw new AssertionError(fail(command + " was sent before the fence succeeded"));
    }
    if (command instanceof TaintNodeOutOfService) {
      // Rule: the node-wide taint never force-detaches a volume: none is on the server (in the
      // world, not only as the saga sees it).
      long lost = gone.node().serverId();
      boolean staying =
          power.get(lost) != Power.DELETED // a deleted server holds nothing
              && attachedTo.values().stream().anyMatch(server -> server == lost);
      if (staying) {
        throw new AssertionError(
            fail(
                command
                    + " would force-detach a volume on the server: "
                    + attachedTo.entrySet().stream()
                        .filter(e -> e.getValue() == lost)
                        .map(
                            e -> e.getKey() + " " + state.volume(e.getKey()).map(VolumeFlow::phase))
                        .toList()));
      }
    }
    if (command instanceof DeleteVolumeAttachments release
        && !release.forceDeleteFirst().isEmpty()
        && release.nodeName().equals(gone.node().name())
        && !cordoned
        && !tainted) {
      // Rule: while a volume the incident moves is still on the server, the node looks Ready to
      // the scheduler: a pod is released only while the node is cordoned (or tainted), else its
      // replacement could be bound back onto the lost node.
      noneOf(
          stillToDetachFrom(gone.volumes().stream(), gone.node().serverId()),
          v ->
              "a pod released while volume "
                  + v.volumeId()
                  + " is still to detach and the node is neither cordoned nor tainted");
    }
    if (command instanceof CordonNode cordon && !cordon.unschedulable()) {
      // Rule: the node is uncordoned only when it came back, and never when a person cordoned it.
      if (!nodeReturned || cordonedByPerson) {
        throw new AssertionError(
            fail(
                command
                    + (cordonedByPerson
                        ? " uncordons a node a person had cordoned"
                        : " uncordons a node that did not come back")));
      }
    }
    if (command instanceof AttachVolume attach) {
      String volumeLocation = volume(attach.volumeId()).location();
      // Rule: no attach to a server in another location than the volume, nor to the old server.
      if (!volumeLocation.equals(serverLocation.get(attach.serverId()))
          || attach.serverId() == gone.node().serverId()) {
        throw new AssertionError(fail(attach + " attaches across locations"));
      }
    }
    Long volumeId = volumeOf(command);
    if (volumeId != null && mutating(command)) {
      // Rule: at most one outstanding mutating command per volume.
      List<Sent> earlier = mutatingByVolume.computeIfAbsent(volumeId, id -> new ArrayList<>());
      for (Sent s : earlier) {
        if (!s.answered && now.isBefore(s.deadline)) {
          throw new AssertionError(
              fail(command + " sent while " + s.commandId + " is still outstanding"));
        }
      }
      Instant deadline =
          state
              .outstanding()
              .filter(a -> a.commandId().equals(command.commandId()))
              .map(Attempt::deadline)
              .findFirst()
              .orElseThrow(() -> new AssertionError(fail(command + " has no attempt")));
      earlier.add(new Sent(command.commandId(), deadline));
    }
  }

  private static boolean fence(LifeboatMessage message) {
    return message instanceof PowerOffServer || message instanceof DeleteServer;
  }

  /** Undoes what the incident did to the node after its end: the untaint, the uncordon. */
  private boolean undoes(ClusterCommand command) {
    return command instanceof RemoveOutOfServiceTaint
        || (command instanceof CordonNode cordon && !cordon.unschedulable());
  }

  // ---- the adapter and the watcher, executing commands against the world -----------------------

  /**
   * The command reaches its executor a moment later; now and then it is executed twice (the
   * executor crashed after acting, before committing its offset), the second time against the world
   * the first left.
   */
  private void answer(Command command) {
    Instant arrives = now.plusMillis(20 + random.nextInt(500));
    at(arrives, () -> execute(command));
    if (random.nextInt(20) == 0) {
      at(arrives.plusSeconds(1 + random.nextInt(20)), () -> execute(command));
    }
  }

  private void execute(Command command) {
    if (command.notAfter() != null && now.isAfter(command.notAfter())) {
      reply(command, failed(command, FailureCodes.DEADLINE_PASSED, false));
      return;
    }
    if (command instanceof HcloudCommand hcloud) {
      executeAtHetzner(hcloud);
    } else {
      executeInTheCluster(command);
    }
  }

  /** As the adapter decides: observe first, then act, answer "already so", or refuse. */
  private void executeAtHetzner(HcloudCommand command) {
    if (random.nextInt(100) < 4) {
      reply(command, failed(command, "server_error", true));
      return;
    }
    if (command instanceof PowerOffServer off) {
      Power p = power.get(off.serverId());
      if (p == Power.DELETED || p == Power.OFF) {
        reply(command, alreadyDone(command, p == Power.DELETED));
      } else {
        act(command, off.serverId(), () -> power.put(off.serverId(), Power.OFF));
      }
    } else if (command instanceof DeleteServer delete) {
      if (power.get(delete.serverId()) == Power.DELETED) {
        reply(command, alreadyDone(command, true));
      } else {
        act(command, delete.serverId(), () -> deleteServer(delete.serverId()));
      }
    } else if (command instanceof DetachVolume detach) {
      Long on = attachedTo.get(detach.volumeId());
      Power p = power.get(detach.expectedServerId());
      if (on == null) {
        reply(command, alreadyDone(command, false));
      } else if (on != detach.expectedServerId()) {
        reply(command, failed(command, "attached_elsewhere", false));
      } else if (p == Power.RUNNING || p == Power.STARTING) {
        reply(command, failed(command, FailureCodes.SERVER_RUNNING, false));
      } else {
        act(command, on, () -> detach(detach.volumeId(), detach.expectedServerId()));
      }
    } else if (command instanceof AttachVolume attach) {
      Long on = attachedTo.get(attach.volumeId());
      if (power.get(attach.serverId()) != Power.RUNNING) {
        reply(command, failed(command, FailureCodes.TARGET_NOT_RUNNING, false));
      } else if (on != null && on == attach.serverId()) {
        reply(command, alreadyDone(command, false));
      } else if (on != null) {
        reply(command, failed(command, "attached_elsewhere", false));
      } else {
        act(command, attach.serverId(), () -> attach(attach.volumeId(), attach.serverId()));
      }
    }
  }

  /** A Hetzner action: the server is locked while it runs; the answer comes when it ends. */
  private void act(Command command, long serverId, Runnable change) {
    Instant busy = busyUntil.get(serverId);
    // Locked up to and including the instant its action ends (the action's change may not have
    // run yet within that instant).
    if (busy != null && !busy.isBefore(now)) {
      reply(command, failed(command, "locked", true));
      return;
    }
    Instant started = now;
    Instant ends = now.plusMillis(500 + random.nextInt(4_000));
    busyUntil.put(serverId, ends);
    at(
        ends,
        () -> {
          change.run();
          reply(
              command,
              new HcloudCommandSucceeded(
                  MessageIds.random(),
                  command.incidentId(),
                  now,
                  command.commandId(),
                  1 + random.nextInt(1000),
                  started,
                  now));
        });
  }

  private void deleteServer(long serverId) {
    power.put(serverId, Power.DELETED);
    attachedTo.values().removeIf(server -> server == serverId);
  }

  private void detach(long volumeId, long serverId) {
    Power p = power.get(serverId);
    // Rule: no volume leaves a server that runs (it would pull the disk from a live workload).
    if (p == Power.RUNNING || p == Power.STARTING) {
      throw new AssertionError(fail("volume " + volumeId + " was detached from running " + p));
    }
    attachedTo.remove(volumeId);
  }

  private void attach(long volumeId, long serverId) {
    // Rule: a volume is on one server at a time.
    if (attachedTo.get(volumeId) != null) {
      throw new AssertionError(fail("volume " + volumeId + " attached to two servers"));
    }
    attachedTo.put(volumeId, serverId);
  }

  /** As the watcher answers: from the nodes and pods as they are. */
  private void executeInTheCluster(Command command) {
    int roll = random.nextInt(100);
    if (command instanceof AwaitReplacementPod await) {
      reply(command, replacement(await, roll));
      return;
    }
    if (command instanceof AwaitPodReady await) {
      Long server = nodeServer.get(await.nodeName());
      if (server == null
          || power.get(server) != Power.RUNNING
          || lostNodes.contains(await.nodeName())) {
        reply(command, failed(command, FailureCodes.TARGET_LOST, false));
      } else if (server.equals(attachedTo.get(await.volumeId())) && roll < 90) {
        reply(
            command,
            new PodReady(
                MessageIds.random(),
                command.incidentId(),
                now,
                command.commandId(),
                await.volumeId(),
                await.pod(),
                await.nodeName()));
      } else {
        reply(command, failed(command, FailureCodes.TIMEOUT, true));
      }
      return;
    }
    long lost = gone.node().serverId();
    boolean lostRuns = power.get(lost) == Power.RUNNING || power.get(lost) == Power.STARTING;
    if (command instanceof DeleteVolumeAttachments release && lostRuns) {
      // Rule: a pod is released only once its volume is off the old server, or that server is off.
      noneOf(
          gone.volumes().stream()
              .filter(v -> !v.pods().isEmpty() && release.forceDeleteFirst().containsAll(v.pods()))
              .filter(v -> Long.valueOf(lost).equals(attachedTo.get(v.volumeId()))),
          v -> "pods of volume " + v.volumeId() + " released on a running server");
    }
    if (command instanceof DeleteVolumeAttachments release) {
      // Rule: a pod is released only once every volume it uses that will leave the old server
      // has left it (its replacement would wait on the one still there).
      noneOf(
          stillToDetachFrom(
              gone.volumes().stream()
                  .filter(v -> v.pods().stream().anyMatch(release.forceDeleteFirst()::contains)),
              lost),
          v -> "a pod of volume " + v.volumeId() + " released while it is on the server");
    }
    if (command instanceof CordonNode cordon && roll < 85) {
      boolean already = cordoned == cordon.unschedulable();
      cordoned = cordon.unschedulable();
      reply(
          command,
          new ClusterCommandSucceeded(
              MessageIds.random(),
              command.incidentId(),
              now,
              command.commandId(),
              already,
              "done"));
      return;
    }
    if (command instanceof TaintNodeOutOfService) {
      tainted = true;
    }
    if (command instanceof RemoveOutOfServiceTaint) {
      tainted = false;
    }
    if (command instanceof TaintNodeOutOfService && lostRuns && attachedTo.containsValue(lost)) {
      // Rule: the taint never makes Kubernetes force-detach a volume from a running server.
      throw new AssertionError(fail("out-of-service taint while the server runs with volumes"));
    }
    if (roll < 85) {
      reply(
          command,
          new ClusterCommandSucceeded(
              MessageIds.random(), command.incidentId(), now, command.commandId(), false, "done"));
    } else if (roll < 97) {
      reply(command, failed(command, "CONFLICT", true));
    } else {
      reply(command, failed(command, "FORBIDDEN", false));
    }
  }

  /** The scheduler's choice: a running node of the volume's location, mostly. */
  private CommandResult replacement(AwaitReplacementPod await, int roll) {
    List<EligibleNode> nodes =
        gone.eligibleIn(await.location()).stream()
            .filter(n -> power.get(n.serverId()) == Power.RUNNING)
            .filter(n -> !lostNodes.contains(n.name()))
            .toList();
    if (roll < 80 && !nodes.isEmpty()) {
      return scheduled(await, nodes.get(random.nextInt(nodes.size())));
    }
    if (roll < 85) {
      // A watcher bug: a node in another location (the saga must not attach there).
      String other = LOCATIONS[(Arrays.asList(LOCATIONS).indexOf(await.location()) + 1) % 3];
      List<EligibleNode> elsewhere = gone.eligibleIn(other);
      EligibleNode wrong =
          elsewhere.isEmpty() ? new EligibleNode("wrong", 998, other) : elsewhere.get(0);
      serverLocation.putIfAbsent(wrong.serverId(), wrong.location());
      power.putIfAbsent(wrong.serverId(), Power.RUNNING);
      nodeServer.putIfAbsent(wrong.name(), wrong.serverId());
      return scheduled(await, wrong);
    }
    if (roll < 93 || nodes.isEmpty()) {
      return failed(await, FailureCodes.NO_ELIGIBLE_NODE, false);
    }
    return failed(await, FailureCodes.TIMEOUT, true);
  }

  /**
   * The answer travels back: now and then lost, late (after the saga's deadline) or twice; a fence
   * success marks the fence proven when the saga receives it.
   */
  private void reply(Command command, CommandResult result) {
    int roll = random.nextInt(100);
    if (roll < 4) {
      return;
    }
    Instant at = now.plusMillis(10 + random.nextInt(3_000));
    if (roll < 12) {
      at = now.plus(policy().step(Step.VERIFY).timeout()).plusSeconds(20 + random.nextInt(60));
    }
    boolean fence = isFenceSuccess(command, result);
    deliverResult(result, at, fence);
    if (random.nextInt(10) == 0) {
      deliverResult(result, at.plusMillis(random.nextInt(30_000)), fence);
    }
  }

  private void deliverResult(CommandResult result, Instant at, boolean fenceSuccess) {
    if (fenceSuccess) {
      deliveries.add(new Delivery(at, ++sequence, new FenceMarker(result, at), null));
    } else {
      deliver(result, at);
    }
  }

  private CommandResult failed(Command command, String code, boolean retryable) {
    String id = MessageIds.random();
    if (command instanceof HcloudCommand) {
      return new HcloudCommandFailed(
          id, command.incidentId(), now, command.commandId(), code, code, retryable, null);
    }
    return new ClusterCommandFailed(
        id, command.incidentId(), now, command.commandId(), code, code, retryable);
  }

  private CommandResult alreadyDone(Command command, boolean serverDeleted) {
    return new HcloudCommandAlreadyDone(
        MessageIds.random(),
        command.incidentId(),
        now,
        command.commandId(),
        "already so",
        serverDeleted);
  }

  /** A fence success: the world records the fence as proven when it delivers it. */
  private record FenceMarker(CommandResult result, Instant at) implements LifeboatMessage {
    @Override
    public String messageId() {
      return result.messageId();
    }

    @Override
    public String incidentId() {
      return result.incidentId();
    }

    @Override
    public Instant occurredAt() {
      return at;
    }
  }

  private boolean isFenceSuccess(Command command, CommandResult result) {
    return (command instanceof PowerOffServer || command instanceof DeleteServer)
        && (result instanceof HcloudCommandSucceeded || result instanceof HcloudCommandAlreadyDone);
  }

  private ReplacementPodScheduled scheduled(AwaitReplacementPod await, EligibleNode node) {
    PodRef pod =
        new PodRef(await.claim().namespace(), "replacement", MessageIds.random(), null, null);
    return new ReplacementPodScheduled(
        MessageIds.random(),
        await.incidentId(),
        now,
        await.commandId(),
        await.volumeId(),
        pod,
        node.name(),
        node.serverId(),
        node.location());
  }

  private void actAsPeople(LifeboatMessage cause) {
    if (state == null) {
      return;
    }
    if (cause instanceof NodeGone) {
      if (random.nextInt(6) == 0) {
        // A hung node recovers, if nothing has powered its server off meanwhile.
        at(now.plusSeconds(random.nextInt(60)), this::kubeletComesBackIfTheServerRuns);
      }
      if (random.nextInt(30) == 0) {
        deliver(
            new AbortIncident(MessageIds.random(), gone.incidentId(), now, "oncall", "by hand"),
            now.plusSeconds(random.nextInt(60)));
      }
    }
    if (state.status() != IncidentStatus.HELD) {
      personActed = false;
    } else if (!personActed) {
      personActed = true;
      boolean fenceLost = state.volumes().stream().anyMatch(f -> f.phase() == Phase.HELD);
      LifeboatMessage decision =
          random.nextInt(5) == 0
              ? fenceLost
                  ? new AbortIncident(MessageIds.random(), gone.incidentId(), now, "oncall", "no")
                  : new CancelIncident(MessageIds.random(), gone.incidentId(), now, "oncall", "no")
              : new ResumeIncident(MessageIds.random(), gone.incidentId(), now, "oncall", "ok");
      Instant when = now.plusSeconds(5 + random.nextInt(60));
      if (decision instanceof ResumeIncident && state.fencing() == FencePolicy.NONE) {
        // The person vouches for the fence: right before resuming, they power the server off.
        at(
            when,
            () -> {
              power.computeIfPresent(
                  gone.node().serverId(), (id, p) -> p == Power.DELETED ? p : Power.OFF);
              fenceProven = true;
              sagaToldServerRuns = false;
            });
      }
      deliver(decision, when);
    }
  }

  /** As the {@code hcloud} CLI would: a start action on the fenced server, once it is free. */
  private void personPowersTheServerOn() {
    long lost = gone.node().serverId();
    if (power.get(lost) != Power.OFF) {
      return;
    }
    Instant busy = busyUntil.get(lost);
    if (busy != null && busy.isAfter(now)) {
      at(busy.plusSeconds(1), this::personPowersTheServerOn);
      return;
    }
    power.put(lost, Power.STARTING);
    Instant started = now.plusSeconds(2);
    busyUntil.put(lost, started);
    at(
        started,
        () -> {
          power.put(lost, Power.RUNNING);
          if (random.nextInt(10) < 7) {
            at(now.plusSeconds(1 + random.nextInt(8)), this::kubeletComesBackIfTheServerRuns);
          }
        });
  }

  private void kubeletComesBackIfTheServerRuns() {
    if (power.get(gone.node().serverId()) == Power.RUNNING) {
      deliver(new NodeReturned(MessageIds.random(), gone.incidentId(), now, gone.node()), now);
    }
  }

  /**
   * The world after the saga ended: every volume it calls moved is on the server of its pod's node,
   * and no volume is on a server the saga never attached it to.
   */
  private void checkTheWorldAtTheEnd() {
    for (VolumeFlow flow : state.volumes()) {
      Long on = attachedTo.get(flow.volumeId());
      if (flow.phase() == Phase.MOVED && (on == null || on != flow.targetServer())) {
        throw new AssertionError(
            fail("volume " + flow.volumeId() + " called moved but is on server " + on));
      }
      boolean attachedThere =
          on == null
              || on == gone.node().serverId()
              || sent.stream()
                  .anyMatch(
                      m ->
                          m instanceof AttachVolume a
                              && a.volumeId() == flow.volumeId()
                              && a.serverId() == on);
      if (!attachedThere) {
        throw new AssertionError(fail("volume " + flow.volumeId() + " is on server " + on));
      }
    }
  }

  private boolean personMayRetry() {
    retried = true;
    if (state.status() != IncidentStatus.PARTIAL || random.nextInt(3) != 0) {
      return false;
    }
    VolumeFlow failed =
        state.volumes().stream().filter(f -> f.phase() == Phase.FAILED).findFirst().orElse(null);
    if (failed == null) {
      return false;
    }
    // A person retries once every abandoned command's deadline has passed.
    deliver(
        new RetryVolume(
            MessageIds.random(), gone.incidentId(), now, "oncall", failed.volumeId(), "again"),
        now.plusSeconds(600));
    return true;
  }

  private void deliver(LifeboatMessage message, Instant at) {
    deliveries.add(new Delivery(at, ++sequence, message, null));
  }

  /** The world changes at that time (an action ends, a person acts, a server crashes). */
  private void at(Instant at, Runnable change) {
    deliveries.add(new Delivery(at, ++sequence, null, change));
  }

  // ---- the saga's view of the world ----------------------------------------------------------

  private Conditions conditions() {
    boolean paused = pausedFrom != null && !now.isBefore(pausedFrom) && now.isBefore(pausedUntil);
    return new Conditions(paused);
  }

  private Instant pauseEdgeAfter(Instant time) {
    if (pausedFrom != null && pausedFrom.isAfter(time)) {
      return pausedFrom;
    }
    return null;
  }

  private static Instant earliest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.isBefore(b) ? a : b;
  }

  private boolean mutating(LifeboatMessage message) {
    return message instanceof HcloudCommand
        || (message instanceof ClusterCommand
            && !(message instanceof AwaitReplacementPod)
            // A wait for a pod that touches the attachment first writes to the cluster.
            && !(message instanceof AwaitPodReady await && await.requeueFirst() == null));
  }

  private Long volumeOf(Command command) {
    if (command instanceof DetachVolume d) {
      return d.volumeId();
    }
    if (command instanceof AttachVolume a) {
      return a.volumeId();
    }
    if (command instanceof DeleteVolumeAttachments d) {
      return gone.volumes().stream()
          .filter(v -> d.persistentVolumes().contains(v.persistentVolume()))
          .map(HeldVolume::volumeId)
          .findFirst()
          .orElse(null);
    }
    if (command instanceof AwaitPodReady await) {
      return await.volumeId();
    }
    return null;
  }

  /** The volumes attached to that server in the world that the saga has still to detach. */
  private Stream<HeldVolume> stillToDetachFrom(Stream<HeldVolume> volumes, long server) {
    return volumes
        .filter(v -> Long.valueOf(server).equals(attachedTo.get(v.volumeId())))
        .filter(v -> state.volume(v.volumeId()).map(f -> stillToDetach(f.phase())).orElse(false));
  }

  /** A rule broken by the first of these volumes, if there is one. */
  private void noneOf(Stream<HeldVolume> breaking, Function<HeldVolume, String> why) {
    breaking
        .findFirst()
        .ifPresent(
            v -> {
              throw new AssertionError(fail(why.apply(v)));
            });
  }

  private static boolean stillToDetach(Phase phase) {
    return phase == Phase.AWAITING_FENCE || phase == Phase.QUEUED || phase == Phase.DETACH;
  }

  private HeldVolume volume(long volumeId) {
    return gone.volumes().stream().filter(v -> v.volumeId() == volumeId).findFirst().orElseThrow();
  }

  // ---- the random incident -------------------------------------------------------------------

  private NodeGone randomNodeGone() {
    String location = LOCATIONS[random.nextInt(LOCATIONS.length)];
    long lostServer = 4000 + random.nextInt(100);
    serverLocation.put(lostServer, location);
    NodeRef node = new NodeRef("worker-" + seed, "uid-" + seed, lostServer, location);
    Map<String, List<EligibleNode>> eligible = new LinkedHashMap<>();
    long nextServer = 5000;
    for (String loc : LOCATIONS) {
      List<EligibleNode> nodes = new ArrayList<>();
      int count = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(3);
      for (int i = 0; i < count; i++) {
        long server = nextServer++;
        serverLocation.put(server, loc);
        nodes.add(new EligibleNode(loc + "-node-" + i, server, loc));
      }
      eligible.put(loc, nodes);
    }
    List<HeldVolume> volumes = new ArrayList<>();
    int count = random.nextInt(9);
    for (int i = 0; i < count; i++) {
      String volumeLocation =
          random.nextInt(5) == 0 ? LOCATIONS[random.nextInt(LOCATIONS.length)] : location;
      // Now and then a pod uses two volumes (the one before and this one).
      List<PodRef> pods =
          random.nextInt(6) == 0
              ? List.of()
              : i > 0 && random.nextInt(5) == 0 && !volumes.get(i - 1).pods().isEmpty()
                  ? volumes.get(i - 1).pods()
                  : List.of(new PodRef("shop", "db-" + i, "pod-uid-" + i, "StatefulSet", "db"));
      volumes.add(
          new HeldVolume(
              100_000 + i,
              "pv-" + i,
              new ClaimRef("shop", "data-db-" + i),
              volumeLocation,
              pods,
              random.nextInt(10) == 0 ? "lifeboat.dev/failover: disabled" : null));
    }
    GoneReason reason = GoneReason.values()[random.nextInt(GoneReason.values().length)];
    Map<String, String> labels =
        random.nextBoolean() ? Map.of("pool", "autoscaled") : Map.of("pool", "static");
    return new NodeGone(
        MessageIds.random(),
        IncidentId.forNode(node.name(), node.uid()),
        now,
        node,
        reason,
        volumes,
        eligible,
        labels,
        3 + random.nextInt(10));
  }

  private SagaPolicy randomPolicy() {
    Map<Step, StepPolicy> steps = new EnumMap<>(Step.class);
    for (Step step : Step.values()) {
      if (step != Step.PRE_FLIGHT) {
        steps.put(
            step,
            new StepPolicy(
                Duration.ofSeconds(20 + random.nextInt(100)),
                1 + random.nextInt(5),
                Duration.ofMillis(500),
                Duration.ofSeconds(30),
                random.nextDouble()));
      }
    }
    FencePolicy fencing = FencePolicy.values()[random.nextInt(FencePolicy.values().length)];
    return new SagaPolicy(
        fencing,
        fencing == FencePolicy.DELETE || random.nextBoolean()
            ? Map.of("pool", "autoscaled")
            : Map.of(),
        steps,
        1 + random.nextInt(4),
        1 + random.nextInt(8),
        1.0 / 3,
        Duration.ofSeconds(5),
        random.nextInt(20) == 0);
  }
}
