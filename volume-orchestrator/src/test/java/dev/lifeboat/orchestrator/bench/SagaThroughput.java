package dev.lifeboat.orchestrator.bench;

import dev.lifeboat.events.Command;
import dev.lifeboat.events.CommandResult;
import dev.lifeboat.events.IncidentId;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.cluster.AwaitPodReady;
import dev.lifeboat.events.cluster.AwaitReplacementPod;
import dev.lifeboat.events.cluster.ClusterCommandSucceeded;
import dev.lifeboat.events.cluster.PodReady;
import dev.lifeboat.events.cluster.ReplacementPodScheduled;
import dev.lifeboat.events.hcloud.HcloudCommand;
import dev.lifeboat.events.hcloud.HcloudCommandSucceeded;
import dev.lifeboat.events.node.ClaimRef;
import dev.lifeboat.events.node.EligibleNode;
import dev.lifeboat.events.node.GoneReason;
import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.node.NodeRef;
import dev.lifeboat.events.node.PodRef;
import dev.lifeboat.events.permit.FencePermitRequested;
import dev.lifeboat.events.saga.IncidentStatus;
import dev.lifeboat.orchestrator.domain.Conditions;
import dev.lifeboat.orchestrator.domain.FencingPermits;
import dev.lifeboat.orchestrator.domain.IncidentSaga;
import dev.lifeboat.orchestrator.domain.IncidentState;
import dev.lifeboat.orchestrator.domain.Outcome;
import dev.lifeboat.orchestrator.domain.SagaPolicy;
import dev.lifeboat.orchestrator.messaging.SagaStateCodec;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Throughput of the pure saga core: incidents of 8 volumes driven to COMPLETED by prepared results,
 * counting the messages the saga handles per second, alone and with the stored state written and
 * read back around every message (what the Kafka Streams host adds, without the broker). Prints the
 * median of several runs after a warm-up.
 *
 * <pre>
 * ./mvnw -q -pl volume-orchestrator test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.lifeboat.orchestrator.bench.SagaThroughput
 * </pre>
 */
public final class SagaThroughput {

  private static final int INCIDENTS = 2_000;
  private static final int RUNS = 7;
  private static final Instant T0 = Instant.parse("2026-11-26T03:00:00Z");

  private SagaThroughput() {}

  public static void main(String[] args) {
    IncidentSaga saga = new IncidentSaga(SagaPolicy.defaults());
    run(saga, 500, false);
    run(saga, 500, true);
    for (boolean stored : new boolean[] {false, true}) {
      double[] rates = new double[RUNS];
      for (int i = 0; i < RUNS; i++) {
        rates[i] = run(saga, INCIDENTS, stored);
      }
      Arrays.sort(rates);
      System.out.printf(
          "saga core%s: median %.0f messages/s over %d runs of %d incidents x 8 volumes"
              + " (min %.0f, max %.0f)%n",
          stored ? " + state store codec" : "",
          rates[RUNS / 2],
          RUNS,
          INCIDENTS,
          rates[0],
          rates[RUNS - 1]);
    }
  }

  /** Messages per second handled while driving {@code incidents} incidents to their end. */
  private static double run(IncidentSaga saga, int incidents, boolean stored) {
    long handled = 0;
    long nanos = 0;
    for (int n = 0; n < incidents; n++) {
      NodeGone gone = gone(n);
      Deque<LifeboatMessage> inbox = new ArrayDeque<>(List.of(gone));
      IncidentState state = null;
      while (!inbox.isEmpty()) {
        LifeboatMessage message = inbox.poll();
        long start = System.nanoTime();
        if (stored && state != null) {
          state = SagaStateCodec.read(SagaStateCodec.write(state));
        }
        Outcome outcome = saga.apply(state, message, T0, Conditions.CALM);
        state = outcome.state();
        if (stored) {
          SagaStateCodec.write(state);
        }
        nanos += System.nanoTime() - start;
        handled++;
        for (LifeboatMessage out : outcome.messages()) {
          if (out instanceof Command command) {
            inbox.add(answer(gone, command));
          } else if (out instanceof FencePermitRequested request) {
            inbox.add(FencingPermits.decide(Set.of(), request, T0));
          }
        }
      }
      if (state.status() != IncidentStatus.COMPLETED) {
        throw new IllegalStateException("incident " + n + " ended " + state.status());
      }
    }
    return handled / (nanos / 1e9);
  }

  private static CommandResult answer(NodeGone gone, Command command) {
    String id = command.commandId() + "-r";
    if (command instanceof HcloudCommand) {
      return new HcloudCommandSucceeded(id, gone.incidentId(), T0, command.commandId(), 1, T0, T0);
    }
    if (command instanceof AwaitReplacementPod await) {
      return new ReplacementPodScheduled(
          id,
          gone.incidentId(),
          T0,
          command.commandId(),
          await.volumeId(),
          new PodRef("shop", "db", "new-uid", "StatefulSet", "db"),
          "worker-3",
          4203,
          "fsn1");
    }
    if (command instanceof AwaitPodReady await) {
      return new PodReady(
          id,
          gone.incidentId(),
          T0,
          command.commandId(),
          await.volumeId(),
          await.pod(),
          "worker-3");
    }
    return new ClusterCommandSucceeded(id, gone.incidentId(), T0, command.commandId(), false, "ok");
  }

  private static NodeGone gone(int n) {
    NodeRef node = new NodeRef("worker-" + n, "uid-" + n, 4202, "fsn1");
    List<HeldVolume> volumes = new ArrayList<>();
    for (int v = 0; v < 8; v++) {
      volumes.add(
          new HeldVolume(
              100_000 + v,
              "pv-" + v,
              new ClaimRef("shop", "data-" + v),
              "fsn1",
              List.of(new PodRef("shop", "db-" + v, "uid-" + v, "StatefulSet", "db"))));
    }
    return new NodeGone(
        "gone-" + n,
        IncidentId.forNode(node.name(), node.uid()),
        T0,
        node,
        GoneReason.LEASE_EXPIRED,
        volumes,
        Map.of("fsn1", List.of(new EligibleNode("worker-3", 4203, "fsn1"))),
        Map.of(),
        6);
  }
}
