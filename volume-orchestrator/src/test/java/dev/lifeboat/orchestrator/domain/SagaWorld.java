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
import dev.lifeboat.events.cluster.PodReady;
import dev.lifeboat.events.cluster.ReplacementPodScheduled;
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
import dev.lifeboat.events.permit.PermitMessage;
import dev.lifeboat.events.saga.IncidentStatus;
import dev.lifeboat.events.saga.Step;
import dev.lifeboat.orchestrator.messaging.SagaStateCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * A random world around one saga, from a seed: a lost node with random volumes and capacity, a
 * random policy, and services that answer commands late, twice, wrongly or never, with a node that
 * may come back and people who resume, cancel, abort and retry. It runs the pure saga and checks
 * its rules after every call; a broken rule fails with the seed, so the case can be replayed.
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
  private final java.util.Set<String> commandIds = new java.util.HashSet<>();
  private Instant now = T0;
  private IncidentState state;
  private int sequence;
  private boolean fenceProven;
  private Instant pausedFrom;
  private Instant pausedUntil;

  /** The incidents holding a fencing permit: in some worlds many others, for good. */
  private final PermitDesk permits = new PermitDesk();

  private int busyFlows;
  private int busyFor;
  private boolean retried;
  private boolean personActed;
  private boolean returnedBeforeFence;

  /**
   * When a person powers the fenced server on again (in some worlds), and whether it is off again.
   */
  private Instant poweredOnAt;

  private boolean offAgain;

  /** The saga was told the server runs (a detach refused) and no fence has succeeded since. */
  private boolean sagaToldServerRuns;

  /** A message due at a time; ties keep their order. */
  private record Delivery(Instant at, int order, LifeboatMessage message)
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
    if (random.nextInt(8) == 0) {
      poweredOnAt = T0.plusSeconds(5 + random.nextInt(40));
    }
    busyFlows = random.nextInt(4) == 0 ? 100 : 0;
    busyFor = random.nextInt(300);
    fenceProven =
        saga.policy().fencingFor(gone.nodeLabels()) == FencePolicy.NONE
            && gone.reason() == GoneReason.SERVER_SHUTDOWN;
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
        return state;
      }
      if (target.isAfter(now)) {
        now = target;
      }
      if (next != null && !next.at.isAfter(now)) {
        deliveries.poll();
        if (next.message instanceof FenceMarker marker) {
          fenceProven = true;
          if (poweredOnAt != null && !now.isBefore(poweredOnAt)) {
            offAgain = true;
          }
          sagaToldServerRuns = false;
          receive(marker.result);
        } else {
          receive(next.message);
        }
      } else {
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

  private void receive(LifeboatMessage message) {
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
    if (message instanceof NodeReturned && !fenceProven) {
      returnedBeforeFence = true;
    }
    if (message instanceof HcloudCommandFailed f
        && FailureCodes.SERVER_RUNNING.equals(f.errorCode())) {
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
  }

  private void check(Outcome outcome, LifeboatMessage cause) {
    state = outcome.state();
    IncidentState stored = SagaStateCodec.read(SagaStateCodec.write(state));
    if (!Arrays.equals(SagaStateCodec.write(stored), SagaStateCodec.write(state))) {
      throw new AssertionError(fail("the stored state does not read back as written"));
    }
    for (LifeboatMessage message : outcome.messages()) {
      sent.add(message);
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
    // Rule: every outstanding command has a deadline, in the future.
    state
        .outstanding()
        .forEach(
            attempt -> {
              if (attempt.deadline() == null || !attempt.deadline().isAfter(now)) {
                throw new AssertionError(
                    fail("command " + attempt.commandId() + " is outstanding without a deadline"));
              }
            });
    if (state.status() == IncidentStatus.CANCELLED
        && sent.stream().anyMatch(m -> mutating(m) && !fence(m))) {
      throw new AssertionError(fail("a cancelled incident sent a mutating command"));
    }
    actAsPeople(cause);
  }

  private void checkCommand(Command command) {
    // Rule: nothing is sent for a node that came back before its fence was proven, not even the
    // fence again.
    if (returnedBeforeFence && mutating(command)) {
      throw new AssertionError(fail(command + " was sent after the node came back unfenced"));
    }
    // Rule: once told the fenced server runs again, no detach until a new fence succeeded (the
    // adapter refuses one from a running server; the saga must not keep asking).
    if (command instanceof DetachVolume && sagaToldServerRuns) {
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
    if (mutating(command) && !fenceProven && !(command instanceof ClusterCommand c && untaint(c))) {
      throw new AssertionError(fail(command + " was sent before the fence succeeded"));
    }
    if (command instanceof dev.lifeboat.events.cluster.TaintNodeOutOfService) {
      // Rule: the node-wide taint never force-detaches a volume that stays on the server.
      boolean staying =
          !state.serverDeleted
              && state.volumes().stream()
                  .anyMatch(
                      f ->
                          f.phase() == Phase.SKIPPED
                              || (f.phase() == Phase.FAILED
                                  && f.failure().step().compareTo(Step.DETACH) <= 0));
      if (staying) {
        throw new AssertionError(fail(command + " would force-detach a volume that stays"));
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

  private boolean untaint(ClusterCommand command) {
    return command.getClass().getSimpleName().equals("RemoveOutOfServiceTaint");
  }

  private void answer(Command command) {
    int roll = random.nextInt(100);
    if (roll < 4) {
      return; // lost
    }
    Instant at = now.plusMillis(100 + random.nextInt(8_000));
    if (roll < 12) {
      at = now.plus(policy().step(Step.VERIFY).timeout()).plusSeconds(20 + random.nextInt(60));
    }
    CommandResult result = result(command);
    if (isFenceSuccess(command, result)) {
      deliveries.add(new Delivery(at, ++sequence, new FenceMarker(result, at)));
    } else {
      deliver(result, at);
    }
    if (random.nextInt(10) == 0) {
      deliver(result, at.plusMillis(random.nextInt(30_000)));
    }
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

  private CommandResult result(Command command) {
    String id = MessageIds.random();
    String incident = command.incidentId();
    String cid = command.commandId();
    int roll = random.nextInt(100);
    if (command instanceof DetachVolume
        && poweredOnAt != null
        && !now.isBefore(poweredOnAt)
        && !offAgain) {
      // A person powered the server on: the adapter's check before a detach refuses it.
      return new HcloudCommandFailed(
          id, incident, now, cid, FailureCodes.SERVER_RUNNING, "server runs again", false, null);
    }
    if (command instanceof HcloudCommand) {
      if (roll < 55) {
        return new HcloudCommandSucceeded(
            id, incident, now, cid, 1 + random.nextInt(1000), now, now);
      }
      if (roll < 75) {
        return new HcloudCommandAlreadyDone(
            id, incident, now, cid, "already so", random.nextInt(5) == 0);
      }
      if (roll < 94) {
        return new HcloudCommandFailed(id, incident, now, cid, "locked", "locked", true, null);
      }
      return new HcloudCommandFailed(
          id, incident, now, cid, "invalid_input", "refused", false, null);
    }
    if (command instanceof AwaitReplacementPod await) {
      if (roll < 80) {
        List<EligibleNode> nodes = gone.eligibleIn(await.location());
        EligibleNode node =
            nodes.isEmpty()
                ? new EligibleNode("far-away", 999, "ash")
                : nodes.get(random.nextInt(nodes.size()));
        return scheduled(await, node);
      }
      if (roll < 85) {
        String other = LOCATIONS[(Arrays.asList(LOCATIONS).indexOf(await.location()) + 1) % 3];
        List<EligibleNode> nodes = gone.eligibleIn(other);
        EligibleNode wrong = nodes.isEmpty() ? new EligibleNode("wrong", 998, other) : nodes.get(0);
        serverLocation.putIfAbsent(wrong.serverId(), wrong.location());
        return scheduled(await, wrong);
      }
      if (roll < 92) {
        return new ClusterCommandFailed(
            id, incident, now, cid, FailureCodes.NO_ELIGIBLE_NODE, "all full", false);
      }
      return new ClusterCommandFailed(id, incident, now, cid, "TIMEOUT", "not yet", true);
    }
    if (command instanceof AwaitPodReady await) {
      if (roll < 85) {
        return new PodReady(
            id, incident, now, cid, await.volumeId(), await.pod(), await.nodeName());
      }
      return new ClusterCommandFailed(id, incident, now, cid, "TIMEOUT", "not Ready", true);
    }
    if (roll < 85) {
      return new ClusterCommandSucceeded(id, incident, now, cid, false, "done");
    }
    if (roll < 97) {
      return new ClusterCommandFailed(id, incident, now, cid, "CONFLICT", "conflict", true);
    }
    return new ClusterCommandFailed(id, incident, now, cid, "FORBIDDEN", "forbidden", false);
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
        deliver(
            new NodeReturned(MessageIds.random(), gone.incidentId(), now, gone.node()),
            now.plusSeconds(random.nextInt(60)));
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
      if (decision instanceof ResumeIncident && state.fencing() == FencePolicy.NONE) {
        // The person vouches for the fence: they made sure the server is off.
        fenceProven = true;
        if (poweredOnAt != null) {
          offAgain = true;
        }
        sagaToldServerRuns = false;
      }
      deliver(decision, now.plusSeconds(5 + random.nextInt(60)));
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
    deliveries.add(new Delivery(at, ++sequence, message));
  }

  // ---- the saga's view of the world ----------------------------------------------------------

  private Conditions conditions() {
    boolean paused = pausedFrom != null && !now.isBefore(pausedFrom) && now.isBefore(pausedUntil);
    // Other incidents' flows come and go: now and then enough to hold this one back a while.
    int flows = now.isBefore(T0.plusSeconds(busyFor)) ? busyFlows : 0;
    return new Conditions(paused, flows);
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
            && !(message instanceof AwaitPodReady));
  }

  private Long volumeOf(Command command) {
    if (command instanceof DetachVolume d) {
      return d.volumeId();
    }
    if (command instanceof AttachVolume a) {
      return a.volumeId();
    }
    if (command instanceof dev.lifeboat.events.cluster.DeleteVolumeAttachments d) {
      return gone.volumes().stream()
          .filter(v -> d.persistentVolumes().contains(v.persistentVolume()))
          .map(HeldVolume::volumeId)
          .findFirst()
          .orElse(null);
    }
    if (command instanceof dev.lifeboat.events.cluster.ForceDeletePods f) {
      return gone.volumes().stream()
          .filter(v -> v.pods().equals(f.pods()))
          .map(HeldVolume::volumeId)
          .findFirst()
          .orElse(null);
    }
    if (command instanceof dev.lifeboat.events.cluster.RequeueVolumeAttachment r) {
      return r.volumeId();
    }
    return null;
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
      List<PodRef> pods =
          random.nextInt(6) == 0
              ? List.of()
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
