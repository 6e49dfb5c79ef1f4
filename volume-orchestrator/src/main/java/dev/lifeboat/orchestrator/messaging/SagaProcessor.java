package dev.lifeboat.orchestrator.messaging;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.cluster.ClusterCommand;
import dev.lifeboat.events.codec.ReadResult;
import dev.lifeboat.events.control.AbortIncident;
import dev.lifeboat.events.control.ControlRequest;
import dev.lifeboat.events.control.PauseCommands;
import dev.lifeboat.events.control.ResumeCommands;
import dev.lifeboat.events.hcloud.HcloudCommand;
import dev.lifeboat.events.hcloud.ServerObserved;
import dev.lifeboat.events.kafka.KafkaHeaders;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.node.NodeReturned;
import dev.lifeboat.events.node.NodeSuspected;
import dev.lifeboat.events.permit.BudgetReported;
import dev.lifeboat.events.permit.FencePermitGranted;
import dev.lifeboat.events.permit.FencePermitReleased;
import dev.lifeboat.events.permit.FencePermitRequested;
import dev.lifeboat.events.permit.FlowSlotsGranted;
import dev.lifeboat.events.permit.FlowSlotsRequested;
import dev.lifeboat.events.permit.FlowSlotsReturned;
import dev.lifeboat.events.permit.PermitMessage;
import dev.lifeboat.orchestrator.domain.BudgetShare;
import dev.lifeboat.orchestrator.domain.Conditions;
import dev.lifeboat.orchestrator.domain.FencingPermits;
import dev.lifeboat.orchestrator.domain.FlowSlots;
import dev.lifeboat.orchestrator.domain.IncidentSaga;
import dev.lifeboat.orchestrator.domain.IncidentState;
import dev.lifeboat.orchestrator.domain.LossEvidence;
import dev.lifeboat.orchestrator.domain.Outcome;
import dev.lifeboat.orchestrator.domain.RemovalHandover;
import dev.lifeboat.service.Arrivals;
import dev.lifeboat.service.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.BiFunction;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

/**
 * Hosts the sagas of the incidents on one partition: reads each record, applies the pure saga to
 * the incident's stored state, stores the new state and its next wake-up, and forwards the commands
 * and saga events. Under {@code exactly_once_v2} all of that, with the consumed offset, commits in
 * one Kafka transaction. A wall-clock punctuator lets time pass for the incidents whose wake-up is
 * due.
 */
final class SagaProcessor implements Processor<String, byte[], String, Object> {

  private static final Logger LOG = Logger.getLogger(SagaProcessor.class);

  /** How often ended incidents past their retention are removed from the store. */
  private static final Duration RETENTION_SWEEP = Duration.ofMinutes(1);

  private final IncidentSaga saga;
  private final BudgetShare budgetShare;
  private final Arrivals arrivals;
  private final Duration tickInterval;
  private final Duration retention;

  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, IncidentState> sagas;
  private KeyValueStore<String, String> wakeUps;
  private KeyValueStore<String, String> settings;
  private KeyValueStore<String, String> permits;
  private KeyValueStore<String, Integer> flowSlots;
  private KeyValueStore<String, String> suspects;
  private Cancellable goLiveOnce;

  SagaProcessor(
      IncidentSaga saga,
      BudgetShare budgetShare,
      Arrivals arrivals,
      Duration tickInterval,
      Duration retention) {
    this.saga = saga;
    this.budgetShare = budgetShare;
    this.arrivals = arrivals;
    this.tickInterval = tickInterval;
    this.retention = retention;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    sagas = context.getStateStore(SagaStores.SAGAS);
    wakeUps = context.getStateStore(SagaStores.WAKE_UPS);
    settings = context.getStateStore(SagaStores.SETTINGS);
    permits = context.getStateStore(SagaStores.PERMITS);
    flowSlots = context.getStateStore(SagaStores.FLOW_SLOTS);
    suspects = context.getStateStore(SagaStores.SUSPECTS);
    context.schedule(tickInterval, PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    goLiveOnce =
        context.schedule(tickInterval, PunctuationType.WALL_CLOCK_TIME, this::handleDryRunsLive);
    context.schedule(
        RETENTION_SWEEP,
        PunctuationType.WALL_CLOCK_TIME,
        millis -> forgetEndedBefore(Instant.ofEpochMilli(millis).minus(retention)));
  }

  @Override
  public void process(Record<String, byte[]> record) {
    String topic = context.recordMetadata().map(m -> m.topic()).orElse("?");
    ReadResult read = arrivals.read(topic, KafkaHeaders.asText(record.headers()), record.value());
    if (read instanceof ReadResult.NotRead notRead) {
      deadLetter(record, topic, notRead.unreadable().describe());
      return;
    }
    LifeboatMessage message = ((ReadResult.Read) read).message();
    Instant now = now();
    if (message instanceof PauseCommands) {
      settings.put(SagaStores.PAUSED, now.toString());
      LOG.infof("mutating commands paused by %s", ((PauseCommands) message).requestedBy());
    } else if (message instanceof ResumeCommands) {
      settings.delete(SagaStores.PAUSED);
      LOG.infof("mutating commands resumed by %s", ((ResumeCommands) message).requestedBy());
    } else if (message instanceof FencePermitRequested request) {
      decidePermit(request, now);
    } else if (message instanceof FencePermitReleased released) {
      permits.delete(released.incidentId());
    } else if (message instanceof BudgetReported budget) {
      settings.put(SagaStores.BUDGET, SagaStores.budget(budget));
    } else if (message instanceof FlowSlotsRequested request) {
      decideSlots(request, now);
    } else if (message instanceof FlowSlotsReturned returned) {
      keep(
          returned.incidentId(),
          FlowSlots.heldAfter(flowSlots.get(returned.incidentId()), returned));
    } else if (message instanceof NodeSuspected suspected && unopened(suspected)) {
      readServer(suspected, now);
    } else if (message instanceof ServerObserved observed && unopened(observed)) {
      conclude(observed, now);
    } else {
      if (message instanceof NodeGone || message instanceof NodeReturned) {
        suspects.delete(message.incidentId()); // declared or back: nothing more to read
      }
      boolean opens = message instanceof NodeGone && sagas.get(message.incidentId()) == null;
      run(message.incidentId(), (state, conditions) -> saga.apply(state, message, now, conditions));
      if (opens) {
        // The loss wins over a removal of the same node, wherever that removal's saga lives.
        AbortIncident handover = RemovalHandover.of((NodeGone) message, now);
        forward(handover.incidentId(), List.of(handover));
      }
    }
  }

  /** Whether the message's loss has no incident yet: the node is only suspected. */
  private boolean unopened(LifeboatMessage message) {
    return sagas.get(message.incidentId()) == null;
  }

  /** A node suspected of a loss: its server is read once (detection from both sides). */
  private void readServer(NodeSuspected suspected, Instant now) {
    Optional<LossEvidence.Suspicion> suspicion = LossEvidence.suspicion(suspected);
    if (suspicion.isEmpty()) {
      return;
    }
    suspects.put(suspected.incidentId(), SagaStores.suspicion(suspicion.get()));
    LOG.infof(
        "node %s suspected (%s): reading server %d",
        suspected.node().name(), suspected.reason(), suspected.node().serverId());
    forward(
        suspected.incidentId(),
        List.of(LossEvidence.read(suspected.incidentId(), suspicion.get(), now)));
  }

  /** What the read of a suspected node's server showed: the node declared gone now, or nothing. */
  private void conclude(ServerObserved observed, Instant now) {
    LossEvidence.Suspicion suspicion = SagaStores.suspicionOf(suspects.get(observed.incidentId()));
    if (suspicion == null) {
      return; // the node was declared gone or came back meanwhile
    }
    Optional<? extends LifeboatMessage> declare =
        LossEvidence.conclude(observed.incidentId(), suspicion, observed, now);
    LOG.infof(
        "server %d of suspected node %s is %s%s",
        observed.serverId(),
        suspicion.nodeName(),
        observed.status(),
        declare.isPresent() ? ": node-watcher is asked to declare it gone now" : "");
    declare.ifPresent(command -> forward(observed.incidentId(), List.of(command)));
  }

  /** This task owns the fencing permits' partition: one request at a time, exactly once. */
  private void decidePermit(FencePermitRequested request, Instant now) {
    Set<String> holders = new HashSet<>();
    try (KeyValueIterator<String, String> all = permits.all()) {
      all.forEachRemaining(entry -> holders.add(entry.key));
    }
    PermitMessage answer = FencingPermits.decide(holders, request, now);
    if (answer instanceof FencePermitGranted) {
      permits.putIfAbsent(request.incidentId(), now.toString());
    }
    LOG.infof(
        "fencing permit for %s (node %s): %s, %d held before",
        request.incidentId(),
        request.nodeName(),
        answer instanceof FencePermitGranted ? "granted" : "refused",
        holders.size());
    answer(answer);
  }

  /** This task owns the flow slots' partition too: what each incident holds, exactly once. */
  private void decideSlots(FlowSlotsRequested request, Instant now) {
    Map<String, Integer> held = new HashMap<>();
    try (KeyValueIterator<String, Integer> all = flowSlots.all()) {
      all.forEachRemaining(entry -> held.put(entry.key, entry.value));
    }
    OptionalInt budget =
        budgetShare.flowLimit(SagaStores.budgetOf(settings.get(SagaStores.BUDGET)), now);
    PermitMessage answer = FlowSlots.decide(held, request, now, budget);
    keep(request.incidentId(), FlowSlots.heldAfter(answer));
    String limit =
        budget.isPresent() && budget.getAsInt() < request.limit()
            ? budget.getAsInt() + " (what the Hetzner budget carries now)"
            : Integer.toString(request.limit());
    if (answer instanceof FlowSlotsGranted granted) {
      LOG.infof(
          "flow slots for %s: %d granted of %d wanted, %d held by others, limit %s",
          request.incidentId(), granted.granted(), request.wanted(), granted.othersHeld(), limit);
    } else {
      LOG.infof(
          "flow slots for %s refused: others hold the limit of %s", request.incidentId(), limit);
    }
    answer(answer);
  }

  private void keep(String incidentId, Optional<Integer> held) {
    if (held.isPresent()) {
      flowSlots.put(incidentId, held.get());
    } else {
      flowSlots.delete(incidentId);
    }
  }

  /** A permit's answer, back to the incident's own partition. */
  private void answer(PermitMessage answer) {
    context.forward(
        new Record<String, Object>(
            answer.incidentId(), answer, context.currentSystemTimeMs(), new RecordHeaders()),
        SagaTopology.FENCING_PERMITS_SINK);
  }

  private void punctuate(long wallClockMillis) {
    Instant now = Instant.ofEpochMilli(wallClockMillis);
    List<KeyValue<String, String>> due = new ArrayList<>();
    try (KeyValueIterator<String, String> it =
        wakeUps.range(SagaStores.wakeUpKey(Instant.EPOCH, ""), SagaStores.wakeUpsDueUntil(now))) {
      it.forEachRemaining(due::add);
    }
    for (KeyValue<String, String> entry : due) {
      run(
          SagaStores.incidentOf(entry.key),
          (state, conditions) -> saga.tick(state, now, conditions));
    }
  }

  /**
   * Once after a start: the losses that were only dry runs and whose nodes are still lost are
   * handled live, when Lifeboat runs live now (it was switched since). The watcher reports a loss
   * once, so nothing else would bring them back.
   */
  private void handleDryRunsLive(long wallClockMillis) {
    goLiveOnce.cancel();
    Instant now = Instant.ofEpochMilli(wallClockMillis);
    List<String> live = new ArrayList<>();
    try (KeyValueIterator<String, IncidentState> all = sagas.all()) {
      all.forEachRemaining(
          entry -> {
            if (saga.handlesLive(entry.value)) {
              live.add(entry.key);
            }
          });
    }
    for (String incidentId : live) {
      LOG.infof(
          "incident %s was a dry run and its node is still lost: handled live now", incidentId);
      run(incidentId, (state, conditions) -> saga.goLive(state, now, conditions));
    }
  }

  /** Applies one step of an incident's saga and commits its effects to the stores and topics. */
  private void run(String incidentId, BiFunction<IncidentState, Conditions, Outcome> step) {
    IncidentState before = sagas.get(incidentId);
    Instant wakeUpBefore = before == null ? null : before.nextWakeUp();
    Conditions conditions = new Conditions(settings.get(SagaStores.PAUSED) != null);
    Outcome outcome = step.apply(before, conditions);
    IncidentState after = outcome.state();
    if (wakeUpBefore != null) {
      wakeUps.delete(SagaStores.wakeUpKey(wakeUpBefore, incidentId));
    }
    if (after != null) {
      sagas.put(incidentId, after);
      Instant wakeUp = after.nextWakeUp();
      if (wakeUp != null) {
        wakeUps.put(SagaStores.wakeUpKey(wakeUp, incidentId), incidentId);
      }
    }
    forward(incidentId, outcome.messages());
  }

  /** Sends the messages of an incident, each to its topic. */
  private void forward(String incidentId, List<? extends LifeboatMessage> messages) {
    long timestamp = context.currentSystemTimeMs();
    for (LifeboatMessage message : messages) {
      // Requests, releases and returns of permits all go to the one partition that decides them.
      String key =
          message instanceof PermitMessage permit && permit.toAuthority()
              ? PermitMessage.AUTHORITY_KEY
              : incidentId;
      context.forward(
          new Record<String, Object>(key, message, timestamp, new RecordHeaders()),
          sinkOf(message));
    }
  }

  private static String sinkOf(LifeboatMessage message) {
    if (message instanceof ClusterCommand) {
      return SagaTopology.CLUSTER_COMMANDS_SINK;
    }
    if (message instanceof HcloudCommand) {
      return SagaTopology.HCLOUD_COMMANDS_SINK;
    }
    if (message instanceof PermitMessage) {
      return SagaTopology.FENCING_PERMITS_SINK;
    }
    if (message instanceof ControlRequest) {
      return SagaTopology.CONTROL_SINK;
    }
    return SagaTopology.SAGA_EVENTS_SINK;
  }

  private void forgetEndedBefore(Instant cutoff) {
    List<String> old = new ArrayList<>();
    try (KeyValueIterator<String, IncidentState> all = sagas.all()) {
      all.forEachRemaining(
          entry -> {
            IncidentState state = entry.value;
            if (state.status().terminal()
                && state.endedAt() != null
                && state.endedAt().isBefore(cutoff)
                && state.nextWakeUp() == null) {
              old.add(entry.key);
            }
          });
    }
    old.forEach(sagas::delete);
  }

  private void deadLetter(Record<String, byte[]> record, String topic, String reason) {
    LOG.warnf("dead letter from %s: %s", topic, reason);
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    headers.remove(DeadLetters.REASON);
    headers.remove(DeadLetters.TOPIC);
    headers.add(DeadLetters.REASON, reason.getBytes(StandardCharsets.UTF_8));
    headers.add(DeadLetters.TOPIC, topic.getBytes(StandardCharsets.UTF_8));
    context.forward(
        new Record<String, Object>(record.key(), record.value(), record.timestamp(), headers),
        SagaTopology.DEAD_LETTERS_SINK);
  }

  private Instant now() {
    return Instant.ofEpochMilli(context.currentSystemTimeMs());
  }
}
