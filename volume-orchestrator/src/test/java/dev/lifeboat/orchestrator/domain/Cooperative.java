package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.Command;
import dev.lifeboat.events.CommandResult;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.cluster.AwaitPodReady;
import dev.lifeboat.events.cluster.AwaitReplacementPod;
import dev.lifeboat.events.cluster.ClusterCommand;
import dev.lifeboat.events.cluster.ClusterCommandSucceeded;
import dev.lifeboat.events.cluster.PodReady;
import dev.lifeboat.events.cluster.ReplacementPodScheduled;
import dev.lifeboat.events.hcloud.HcloudCommandSucceeded;
import dev.lifeboat.events.node.EligibleNode;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.node.PodRef;
import dev.lifeboat.events.permit.PermitMessage;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Services that do what the saga asks, at once and successfully: the watcher binds every
 * replacement pod to the first eligible node of its location and reports it Ready. The fencing
 * permits are the real ones ({@link PermitDesk}); they always answer, as they are part of the
 * orchestrator.
 */
final class Cooperative {

  final IncidentSaga saga;
  final NodeGone gone;
  final Instant now;
  final Conditions conditions;
  final List<LifeboatMessage> sent = new ArrayList<>();

  /** The incidents holding a fencing permit. */
  final PermitDesk permits = new PermitDesk();

  IncidentState state;

  Cooperative(IncidentSaga saga, NodeGone gone, Instant now) {
    this(saga, gone, now, Conditions.CALM);
  }

  Cooperative(IncidentSaga saga, NodeGone gone, Instant now, Conditions conditions) {
    this.saga = saga;
    this.gone = gone;
    this.now = now;
    this.conditions = conditions;
  }

  /** With this many other incidents holding a fencing permit. */
  Cooperative othersFencing(int count) {
    permits.othersFencing(count);
    return this;
  }

  /** Gives the saga this message and answers every command it sends, until none is left. */
  Cooperative receive(LifeboatMessage first, boolean answer) {
    Deque<LifeboatMessage> inbox = new ArrayDeque<>(List.of(first));
    while (!inbox.isEmpty()) {
      Outcome outcome = saga.apply(state, inbox.poll(), now, conditions);
      state = outcome.state();
      for (LifeboatMessage message : outcome.messages()) {
        sent.add(message);
        if (answer && message instanceof Command command) {
          inbox.add(result(command));
        } else if (message instanceof PermitMessage sentPermit) {
          PermitMessage decision = permits.take(sentPermit, now);
          if (decision != null) {
            inbox.add(decision);
          }
        }
      }
    }
    return this;
  }

  /** Runs the incident of the NodeGone to its end. */
  Cooperative run() {
    return receive(gone, true);
  }

  private CommandResult result(Command command) {
    String id = MessageIds.random();
    String incident = command.incidentId();
    String cid = command.commandId();
    if (command instanceof AwaitReplacementPod await) {
      EligibleNode node = gone.eligibleIn(await.location()).get(0);
      return new ReplacementPodScheduled(
          id,
          incident,
          now,
          cid,
          await.volumeId(),
          new PodRef(await.claim().namespace(), "replacement", "uid-r", "StatefulSet", "db"),
          node.name(),
          node.serverId(),
          node.location());
    }
    if (command instanceof AwaitPodReady await) {
      return new PodReady(id, incident, now, cid, await.volumeId(), await.pod(), await.nodeName());
    }
    if (command instanceof ClusterCommand) {
      return new ClusterCommandSucceeded(id, incident, now, cid, false, "done");
    }
    return new HcloudCommandSucceeded(id, incident, now, cid, 1, now, now);
  }
}
