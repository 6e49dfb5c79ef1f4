package dev.lifeboat.orchestrator.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.events.FailureCodes;
import dev.lifeboat.events.IncidentId;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.cluster.CordonNode;
import dev.lifeboat.events.cluster.DeclareNodeGone;
import dev.lifeboat.events.codec.MessageCodec;
import dev.lifeboat.events.control.AbortIncident;
import dev.lifeboat.events.control.PauseCommands;
import dev.lifeboat.events.control.ResumeCommands;
import dev.lifeboat.events.control.ResumeIncident;
import dev.lifeboat.events.hcloud.DetachVolume;
import dev.lifeboat.events.hcloud.HcloudCommandSucceeded;
import dev.lifeboat.events.hcloud.ObserveServer;
import dev.lifeboat.events.hcloud.PowerOffServer;
import dev.lifeboat.events.hcloud.ServerObserved;
import dev.lifeboat.events.kafka.KafkaHeaders;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.node.NodeReturned;
import dev.lifeboat.events.node.NodeSuspected;
import dev.lifeboat.events.node.RemovalRequested;
import dev.lifeboat.events.node.ServerDisposal;
import dev.lifeboat.events.node.SuspicionReason;
import dev.lifeboat.events.permit.BudgetReported;
import dev.lifeboat.events.permit.PermitMessage;
import dev.lifeboat.events.saga.IncidentHeld;
import dev.lifeboat.events.saga.IncidentStatus;
import dev.lifeboat.events.saga.RequestRefused;
import dev.lifeboat.events.saga.RetryScheduled;
import dev.lifeboat.events.saga.Step;
import dev.lifeboat.orchestrator.Inventories;
import dev.lifeboat.orchestrator.domain.BudgetShare;
import dev.lifeboat.orchestrator.domain.Conditions;
import dev.lifeboat.orchestrator.domain.IncidentSaga;
import dev.lifeboat.orchestrator.domain.IncidentState;
import dev.lifeboat.orchestrator.domain.Outcome;
import dev.lifeboat.orchestrator.domain.SagaPolicy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The topology with {@link TopologyTestDriver}: mock wall-clock time drives the punctuator, so
 * deadlines and retries are checked without waiting.
 */
class SagaTopologyTest {

  private static final Instant T0 = Instant.parse("2026-11-26T03:00:00Z");
  private static final String PREFIX = Topic.DEFAULT_PREFIX;

  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> nodeEvents;
  private TestInputTopic<String, byte[]> control;
  private TestInputTopic<String, byte[]> hcloudResults;
  private TestOutputTopic<String, byte[]> hcloudCommands;
  private TestOutputTopic<String, byte[]> sagaEvents;
  private TestOutputTopic<String, byte[]> deadLetters;

  @BeforeEach
  void start() {
    start(SagaPolicy.defaults());
  }

  private void restartWith(SagaPolicy policy) {
    driver.close();
    start(policy);
  }

  private void start(SagaPolicy policy) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "saga-topology-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, "target/ttd-" + UUID.randomUUID());
    driver =
        new TopologyTestDriver(
            SagaTopology.build(
                new IncidentSaga(policy),
                new BudgetShare(4, Duration.ofSeconds(45)),
                Duration.ofSeconds(1),
                Duration.ofDays(7),
                new SimpleMeterRegistry(),
                PREFIX),
            props,
            T0);
    nodeEvents = input(Topic.NODE_EVENTS);
    control = input(Topic.CONTROL);
    hcloudResults = input(Topic.HCLOUD_RESULTS);
    hcloudCommands = output(Topic.HCLOUD_COMMANDS);
    sagaEvents = output(Topic.SAGA_EVENTS);
    deadLetters = output(Topic.DEAD_LETTERS);
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void aFenceWithoutResultIsRetriedWhenTheWallClockPassesItsDeadline() {
    NodeGone gone = Inventories.oneVolume("worker-7", 6, T0);
    pipe(nodeEvents, gone);
    PowerOffServer first = read(hcloudCommands.readRecord(), PowerOffServer.class);
    assertThat(wakeUps()).hasSize(1);

    driver.advanceWallClockTime(SagaPolicy.defaults().step(Step.FENCE).timeout());

    RetryScheduled retry = sagaEventsOf(RetryScheduled.class).stream().findFirst().orElseThrow();
    assertThat(retry.reason()).startsWith("TIMEOUT");
    assertThat(hcloudCommands.isEmpty()).isTrue();
    driver.advanceWallClockTime(Duration.ofSeconds(2));
    PowerOffServer second = read(hcloudCommands.readRecord(), PowerOffServer.class);
    assertThat(second.commandId()).isNotEqualTo(first.commandId());
    assertThat(second.serverId()).isEqualTo(first.serverId());
  }

  @Test
  void aSuspectedNodeWhoseServerIsOffIsDeclaredGoneOnlyWhileNothingElseWasDecided() {
    TestOutputTopic<String, byte[]> clusterCommands = output(Topic.CLUSTER_COMMANDS);
    NodeGone gone = Inventories.oneVolume("worker-7", 6, T0);
    NodeSuspected suspected =
        new NodeSuspected(
            "s1", gone.incidentId(), T0, gone.node(), SuspicionReason.LEASE_OVERDUE, T0);

    pipe(nodeEvents, suspected);
    ObserveServer read = read(hcloudCommands.readRecord(), ObserveServer.class);
    pipe(hcloudResults, observed(read, "running", false));
    List<DeclareNodeGone> afterRunning = readAll(clusterCommands, DeclareNodeGone.class);
    pipe(hcloudResults, observed(read, "off", false));
    List<DeclareNodeGone> afterOff = readAll(clusterCommands, DeclareNodeGone.class);

    assertThat(read.serverId()).isEqualTo(gone.node().serverId());
    assertThat(afterRunning).as("a running server proves nothing: the grace decides").isEmpty();
    assertThat(afterOff)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.nodeName()).isEqualTo("worker-7");
              assertThat(d.incidentId()).isEqualTo(gone.incidentId());
              assertThat(d.evidence()).contains("status off");
            });
    assertThat(sagaEvents.isEmpty()).as("no incident before the node is declared").isTrue();

    // Declared: the incident opens and fences; a late answer to the read changes nothing.
    pipe(nodeEvents, gone);
    assertThat(readAll(hcloudCommands, PowerOffServer.class)).hasSize(1);
    pipe(hcloudResults, observed(read, "off", false));
    assertThat(readAll(clusterCommands, DeclareNodeGone.class)).isEmpty();
    assertThat(suspects()).isEmpty();
  }

  @Test
  void aNodeThatCameBackIsNotDeclaredOnALateReadAndANotReadyNodeIsNotRead() {
    TestOutputTopic<String, byte[]> clusterCommands = output(Topic.CLUSTER_COMMANDS);
    NodeGone gone = Inventories.oneVolume("worker-8", 6, T0);
    pipe(
        nodeEvents,
        new NodeSuspected(
            "s2", gone.incidentId(), T0, gone.node(), SuspicionReason.LEASE_OVERDUE, T0));
    ObserveServer read = read(hcloudCommands.readRecord(), ObserveServer.class);

    pipe(nodeEvents, new NodeReturned("r2", gone.incidentId(), T0, gone.node()));
    pipe(hcloudResults, observed(read, "off", false));
    NodeGone other = Inventories.oneVolume("worker-9", 6, T0);
    pipe(
        nodeEvents,
        new NodeSuspected(
            "s3", other.incidentId(), T0, other.node(), SuspicionReason.NOT_READY, T0));

    assertThat(readAll(clusterCommands, DeclareNodeGone.class)).isEmpty();
    assertThat(hcloudCommands.isEmpty()).as("a node not Ready renews its Lease: no read").isTrue();
  }

  private static ServerObserved observed(ObserveServer read, String status, boolean locked) {
    return new ServerObserved(
        MessageIds.random(),
        read.incidentId(),
        T0,
        read.commandId(),
        read.serverId(),
        status,
        locked);
  }

  private List<String> suspects() {
    KeyValueStore<String, String> store = driver.getKeyValueStore(SagaStores.SUSPECTS);
    List<String> keys = new ArrayList<>();
    try (var all = store.all()) {
      all.forEachRemaining(entry -> keys.add(entry.key));
    }
    return keys;
  }

  @Test
  void aLossThatWasADryRunIsHandledLiveOnceAfterTheSwitchToLive() {
    // Reported while Lifeboat ran in dry run: recorded, nothing sent, the incident ended.
    SagaPolicy live = SagaPolicy.defaults();
    SagaPolicy dryRun = live.inDryRun();
    NodeGone gone = Inventories.oneVolume("worker-12", 6, T0);
    Outcome dry = new IncidentSaga(dryRun).apply(null, gone, T0, Conditions.CALM);
    assertThat(dry.state().status()).isEqualTo(IncidentStatus.CANCELLED);
    KeyValueStore<String, IncidentState> sagas = driver.getKeyValueStore(SagaStores.SAGAS);
    sagas.put(gone.incidentId(), dry.state());

    // This (live) orchestrator starts; the node is still lost, and the watcher reports a loss once.
    driver.advanceWallClockTime(Duration.ofSeconds(1));

    PowerOffServer fence = read(hcloudCommands.readRecord(), PowerOffServer.class);
    assertThat(fence.incidentId()).isEqualTo(gone.incidentId());
    List<String> liveEvents =
        sagaEvents.readRecordsToList().stream().map(r -> decode(r).messageId()).toList();
    assertThat(liveEvents)
        .as("numbered on from the dry run's events: the audit keeps both")
        .isNotEmpty()
        .doesNotContainAnyElementsOf(
            dry.messages().stream().map(LifeboatMessage::messageId).toList());
    assertThat(sagas.get(gone.incidentId()).dryRun()).isFalse();

    driver.advanceWallClockTime(Duration.ofSeconds(5));
    assertThat(hcloudCommands.isEmpty()).as("handled live once").isTrue();
  }

  @Test
  void anUnreadableRecordGoesToDeadLettersAndTheNextOneIsHandled() {
    NodeGone gone = Inventories.oneVolume("worker-8", 6, T0);
    RecordHeaders headers = new RecordHeaders();
    KafkaHeaders.put(headers, MessageCodec.headers(gone, "/test"));
    nodeEvents.pipeInput(
        new TestRecord<>(
            gone.incidentId(), "{not json".getBytes(StandardCharsets.UTF_8), headers, T0));
    pipe(nodeEvents, gone);

    TestRecord<String, byte[]> dead = deadLetters.readRecord();
    assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value()))
        .startsWith("MALFORMED_JSON");
    assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
    assertThat(read(hcloudCommands.readRecord(), PowerOffServer.class).incidentId())
        .isEqualTo(gone.incidentId());
  }

  @Test
  void whilePausedNoMutatingCommandIsSentAndAfterResumeItIs() {
    pipe(control, new PauseCommands(MessageIds.random(), "maintenance", T0, "oncall", "window"));
    NodeGone gone = Inventories.oneVolume("worker-9", 6, T0);
    pipe(nodeEvents, gone);
    driver.advanceWallClockTime(Duration.ofSeconds(30));
    assertThat(hcloudCommands.isEmpty()).isTrue();

    pipe(control, new ResumeCommands(MessageIds.random(), "maintenance", T0, "oncall", "done"));
    driver.advanceWallClockTime(Duration.ofSeconds(6));

    assertThat(read(hcloudCommands.readRecord(), PowerOffServer.class).incidentId())
        .isEqualTo(gone.incidentId());
  }

  @Test
  void aBurstOfLossesPastTheCapFencesOnlyTheCapAndAnEndedIncidentMakesRoom() {
    // Six known nodes and a share of a third: two incidents may fence at once.
    List<NodeGone> burst = new ArrayList<>();
    for (int n = 1; n <= 5; n++) {
      burst.add(Inventories.oneVolume("worker-burst-" + n, 6, T0));
    }
    burst.forEach(gone -> pipe(nodeEvents, gone));

    List<PowerOffServer> fences = readAll(hcloudCommands, PowerOffServer.class);
    assertThat(fences).hasSize(2);
    KeyValueStore<String, IncidentState> sagas = driver.getKeyValueStore(SagaStores.SAGAS);
    assertThat(burst.stream().map(g -> sagas.get(g.incidentId()).status()))
        .containsExactly(
            IncidentStatus.RUNNING,
            IncidentStatus.RUNNING,
            IncidentStatus.HELD,
            IncidentStatus.HELD,
            IncidentStatus.HELD);
    assertThat(sagaEventsOf(IncidentHeld.class))
        .hasSize(3)
        .allSatisfy(held -> assertThat(held.code()).isEqualTo(FailureCodes.FENCING_CAP));
    assertThat(permitHolders())
        .containsExactlyInAnyOrder(burst.get(0).incidentId(), burst.get(1).incidentId());

    // The first incident ends (a person aborts it): its permit goes back, and a person resuming
    // a held one past the cap is counted too.
    pipe(
        control,
        new AbortIncident(MessageIds.random(), burst.get(0).incidentId(), T0, "oncall", "by hand"));
    assertThat(permitHolders()).containsExactly(burst.get(1).incidentId());
    pipe(
        control,
        new ResumeIncident(MessageIds.random(), burst.get(2).incidentId(), T0, "oncall", "go"));
    assertThat(readAll(hcloudCommands, PowerOffServer.class))
        .singleElement()
        .satisfies(fence -> assertThat(fence.incidentId()).isEqualTo(burst.get(2).incidentId()));
    assertThat(permitHolders())
        .containsExactlyInAnyOrder(burst.get(1).incidentId(), burst.get(2).incidentId());
  }

  @Test
  void aBurstOfFencedIncidentsRunsAtMostTheFlowLimitAndAnEndedIncidentMakesRoom() {
    // At most 6 flows in progress; each incident runs up to 4 at once.
    SagaPolicy defaults = SagaPolicy.defaults();
    restartWith(
        new SagaPolicy(
            defaults.fencing(),
            defaults.deletePoolLabels(),
            defaults.steps(),
            4,
            6,
            defaults.maxFencingShare(),
            defaults.pauseRecheck(),
            false));
    List<NodeGone> burst = new ArrayList<>();
    for (int n = 1; n <= 3; n++) {
      burst.add(Inventories.withVolumes("worker-flows-" + n, 4, 30, T0));
    }
    burst.forEach(gone -> pipe(nodeEvents, gone));
    List<PowerOffServer> fences = readAll(hcloudCommands, PowerOffServer.class);
    assertThat(fences).hasSize(3);
    // Every fence succeeds at once.
    fences.forEach(
        fence ->
            pipe(
                hcloudResults,
                new HcloudCommandSucceeded(
                    MessageIds.random(), fence.incidentId(), T0, fence.commandId(), 1, T0, T0)));

    Map<String, Long> detaching = detachesByIncident();
    assertThat(detaching)
        .as("the first takes 4, the second the 2 left, the third waits")
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(burst.get(0).incidentId(), 4L, burst.get(1).incidentId(), 2L));
    assertThat(flowSlots())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(burst.get(0).incidentId(), 4, burst.get(1).incidentId(), 2));
    driver.advanceWallClockTime(defaults.pauseRecheck());
    assertThat(detachesByIncident()).as("asked again: still no room").isEmpty();

    // The first incident ends (a person aborts it): its 4 slots go back. At the recheck the second
    // (granted 2 of the 4 it wants) tops up and the third, asking again, gets what is left: never
    // more than the limit in all.
    pipe(
        control,
        new AbortIncident(MessageIds.random(), burst.get(0).incidentId(), T0, "oncall", "by hand"));
    assertThat(flowSlots()).containsExactlyEntriesOf(Map.of(burst.get(1).incidentId(), 2));
    driver.advanceWallClockTime(defaults.pauseRecheck());
    assertThat(detachesByIncident())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(burst.get(1).incidentId(), 2L, burst.get(2).incidentId(), 2L));
    assertThat(flowSlots())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(burst.get(1).incidentId(), 4, burst.get(2).incidentId(), 2));
  }

  @Test
  void whileTheAdapterReportsTheBudgetShortNoMoreFlowsRunThanItCanPayFor() {
    // Nothing left in the bucket, calls waiting, the adapter got 0.5 requests a second: over the
    // 45 s horizon that pays for 22 requests, 5 flows at 4 each (the configured limit is 32).
    pipe(
        input(Topic.FENCING_PERMITS),
        new BudgetReported(
            MessageIds.random(), PermitMessage.AUTHORITY_KEY, T0, 0, 3600, 1.0, 0.5, 12, true));
    List<NodeGone> burst = new ArrayList<>();
    for (int n = 1; n <= 2; n++) {
      burst.add(Inventories.withVolumes("worker-budget-" + n, 4, 40, T0));
    }
    burst.forEach(gone -> pipe(nodeEvents, gone));
    readAll(hcloudCommands, PowerOffServer.class)
        .forEach(
            fence ->
                pipe(
                    hcloudResults,
                    new HcloudCommandSucceeded(
                        MessageIds.random(),
                        fence.incidentId(),
                        T0,
                        fence.commandId(),
                        1,
                        T0,
                        T0)));

    assertThat(detachesByIncident())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(burst.get(0).incidentId(), 4L, burst.get(1).incidentId(), 1L));
    assertThat(flowSlots().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(5);
    assertThat(driver.getKeyValueStore(SagaStores.SETTINGS).get(SagaStores.BUDGET))
        .asString()
        .contains("0.5");

    // The budget recovers: the adapter says so once; at the recheck the second tops up to 4.
    pipe(
        input(Topic.FENCING_PERMITS),
        new BudgetReported(
            MessageIds.random(), PermitMessage.AUTHORITY_KEY, T0, 2400, 3600, 1.0, 0.5, 0, false));
    driver.advanceWallClockTime(SagaPolicy.defaults().pauseRecheck());
    assertThat(detachesByIncident())
        .containsExactlyEntriesOf(Map.of(burst.get(1).incidentId(), 3L));
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /** How many volumes each incident was sent detaching (those read from the topic since). */
  private Map<String, Long> detachesByIncident() {
    return readAll(hcloudCommands, DetachVolume.class).stream()
        .collect(Collectors.groupingBy(DetachVolume::incidentId, Collectors.counting()));
  }

  private Map<String, Integer> flowSlots() {
    KeyValueStore<String, Integer> store = driver.getKeyValueStore(SagaStores.FLOW_SLOTS);
    Map<String, Integer> held = new HashMap<>();
    try (var all = store.all()) {
      all.forEachRemaining(entry -> held.put(entry.key, entry.value));
    }
    return held;
  }

  private List<String> permitHolders() {
    KeyValueStore<String, String> store = driver.getKeyValueStore(SagaStores.PERMITS);
    List<String> keys = new ArrayList<>();
    try (var all = store.all()) {
      all.forEachRemaining(entry -> keys.add(entry.key));
    }
    return keys;
  }

  @Test
  void aNodeLostDuringItsRemovalIsHandedOverToItsLossIncident() {
    TestOutputTopic<String, byte[]> clusterCommands = output(Topic.CLUSTER_COMMANDS);
    TestOutputTopic<String, byte[]> controlOut = output(Topic.CONTROL);
    NodeGone gone = Inventories.withVolumes("worker-7", 2, 6, T0);
    String removal = IncidentId.forRemoval(gone.node().name(), gone.node().uid());
    pipe(
        nodeEvents,
        new RemovalRequested(
            "r1",
            removal,
            T0,
            gone.node(),
            ServerDisposal.DELETE,
            "alice",
            gone.volumes(),
            gone.eligibleNodes(),
            Map.of(),
            6));
    assertThat(readAll(clusterCommands, CordonNode.class)).hasSize(1);

    pipe(nodeEvents, gone);

    AbortIncident handover = readAll(controlOut, AbortIncident.class).get(0);
    assertThat(handover.incidentId()).isEqualTo(removal);
    assertThat(handover.reason()).contains(gone.incidentId());
    KeyValueStore<String, IncidentState> sagas = driver.getKeyValueStore(SagaStores.SAGAS);
    assertThat(sagas.get(removal).status()).isEqualTo(IncidentStatus.CANCELLED);
    assertThat(sagas.get(removal).volumes())
        .allSatisfy(flow -> assertThat(flow.failure().reason()).isEqualTo("HANDED_OVER"));
    assertThat(sagas.get(gone.incidentId()).status()).isEqualTo(IncidentStatus.RUNNING);
    assertThat(readAll(hcloudCommands, PowerOffServer.class))
        .as("the loss fences the server")
        .singleElement()
        .satisfies(fence -> assertThat(fence.incidentId()).isEqualTo(gone.incidentId()));
    assertThat(sagaEventsOf(RequestRefused.class)).isEmpty();

    // A loss of a node with no removal: the abort goes nowhere, without a word.
    NodeGone other = Inventories.oneVolume("worker-8", 6, T0);
    pipe(nodeEvents, other);
    assertThat(readAll(controlOut, AbortIncident.class)).hasSize(1);
    assertThat(sagaEventsOf(RequestRefused.class)).isEmpty();
  }

  private static <T> List<T> readAll(TestOutputTopic<String, byte[]> topic, Class<T> type) {
    List<T> found = new ArrayList<>();
    while (!topic.isEmpty()) {
      TestRecord<String, byte[]> record = topic.readRecord();
      LifeboatMessage message = decode(record);
      if (type.isInstance(message)) {
        found.add(type.cast(message));
      }
    }
    return found;
  }

  private List<String> wakeUps() {
    KeyValueStore<String, String> store = driver.getKeyValueStore(SagaStores.WAKE_UPS);
    List<String> keys = new java.util.ArrayList<>();
    try (var all = store.all()) {
      all.forEachRemaining(entry -> keys.add(entry.key));
    }
    return keys;
  }

  private <T> List<T> sagaEventsOf(Class<T> type) {
    return sagaEvents.readRecordsToList().stream()
        .map(record -> decode(record))
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }

  private static LifeboatMessage decode(TestRecord<String, byte[]> record) {
    return MessageCodec.read(KafkaHeaders.asText(record.headers()), record.value()).orThrow();
  }

  private static <T> T read(TestRecord<String, byte[]> record, Class<T> type) {
    return type.cast(decode(record));
  }

  private void pipe(TestInputTopic<String, byte[]> topic, LifeboatMessage message) {
    RecordHeaders headers = new RecordHeaders();
    KafkaHeaders.put(headers, MessageCodec.headers(message, "/test"));
    topic.pipeInput(
        new TestRecord<>(message.incidentId(), MessageCodec.payload(message), headers, T0));
  }

  private TestInputTopic<String, byte[]> input(Topic topic) {
    return driver.createInputTopic(
        topic.nameWith(PREFIX), new StringSerializer(), new ByteArraySerializer());
  }

  private TestOutputTopic<String, byte[]> output(Topic topic) {
    return driver.createOutputTopic(
        topic.nameWith(PREFIX), new StringDeserializer(), new ByteArrayDeserializer());
  }
}
