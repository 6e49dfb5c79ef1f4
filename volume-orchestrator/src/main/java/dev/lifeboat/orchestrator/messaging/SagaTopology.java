package dev.lifeboat.orchestrator.messaging;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.kafka.LifeboatMessageSerializer;
import dev.lifeboat.orchestrator.config.SagaConfig;
import dev.lifeboat.orchestrator.domain.BudgetShare;
import dev.lifeboat.orchestrator.domain.IncidentSaga;
import dev.lifeboat.service.Arrivals;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The orchestrator's Kafka Streams topology (Processor API): the three input topics, the control
 * topic and the permits (co-partitioned, keyed by incident id; requests and returns of permits and
 * flow slots by the permits' own key) into {@link SagaProcessor}, with its persistent stores, out
 * to the command, saga-event and permit topics and the dead-letter topic.
 */
@ApplicationScoped
public class SagaTopology {

  static final String SOURCE = "inputs";
  static final String PROCESSOR = "sagas";
  static final String CLUSTER_COMMANDS_SINK = "cluster-commands";
  static final String HCLOUD_COMMANDS_SINK = "hcloud-commands";
  static final String SAGA_EVENTS_SINK = "saga-events";
  static final String FENCING_PERMITS_SINK = "fencing-permits";
  static final String CONTROL_SINK = "control";
  static final String DEAD_LETTERS_SINK = "dead-letters";

  private final IncidentSaga saga;
  private final BudgetShare budgetShare;
  private final SagaConfig config;
  private final MeterRegistry registry;
  private final String prefix;

  SagaTopology(
      IncidentSaga saga,
      BudgetShare budgetShare,
      SagaConfig config,
      MeterRegistry registry,
      @ConfigProperty(name = "lifeboat.topic-prefix") String prefix,
      @ConfigProperty(
              name = "kafka-streams." + BoundedRocksDbMemory.MEMORY,
              defaultValue = BoundedRocksDbMemory.DEFAULT)
          String rocksDbMemory) {
    // Read here, at start: a bound RocksDB could not read would stop the streams later instead.
    BoundedRocksDbMemory.bytes(rocksDbMemory);
    this.saga = saga;
    this.budgetShare = budgetShare;
    this.config = config;
    this.registry = registry;
    this.prefix = prefix;
  }

  @Produces
  public Topology topology() {
    return build(saga, budgetShare, config.tickInterval(), config.retention(), registry, prefix);
  }

  /** The topology, also for {@code TopologyTestDriver}. */
  public static Topology build(
      IncidentSaga saga,
      BudgetShare budgetShare,
      Duration tickInterval,
      Duration retention,
      MeterRegistry registry,
      String prefix) {
    Arrivals arrivals = new Arrivals(registry, prefix);
    Serializer<Object> messages = messageSerializer();
    @SuppressWarnings("unchecked") // dead letters are the raw bytes they arrived as
    Serializer<Object> raw = (Serializer<Object>) (Serializer<?>) new ByteArraySerializer();
    Topology topology = new Topology();
    topology.addSource(
        SOURCE,
        new StringDeserializer(),
        new ByteArrayDeserializer(),
        Topic.NODE_EVENTS.nameWith(prefix),
        Topic.CLUSTER_RESULTS.nameWith(prefix),
        Topic.HCLOUD_RESULTS.nameWith(prefix),
        Topic.CONTROL.nameWith(prefix),
        Topic.FENCING_PERMITS.nameWith(prefix));
    topology.addProcessor(
        PROCESSOR,
        () -> new SagaProcessor(saga, budgetShare, arrivals, tickInterval, retention),
        SOURCE);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(SagaStores.SAGAS),
            Serdes.String(),
            SagaStateCodec.serde()),
        PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(SagaStores.WAKE_UPS), Serdes.String(), Serdes.String()),
        PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(SagaStores.SETTINGS), Serdes.String(), Serdes.String()),
        PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(SagaStores.PERMITS), Serdes.String(), Serdes.String()),
        PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(SagaStores.SUSPECTS), Serdes.String(), Serdes.String()),
        PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(SagaStores.FLOW_SLOTS),
            Serdes.String(),
            Serdes.Integer()),
        PROCESSOR);
    topology.addSink(
        CLUSTER_COMMANDS_SINK,
        Topic.CLUSTER_COMMANDS.nameWith(prefix),
        new StringSerializer(),
        messages,
        PROCESSOR);
    topology.addSink(
        HCLOUD_COMMANDS_SINK,
        Topic.HCLOUD_COMMANDS.nameWith(prefix),
        new StringSerializer(),
        messages,
        PROCESSOR);
    topology.addSink(
        SAGA_EVENTS_SINK,
        Topic.SAGA_EVENTS.nameWith(prefix),
        new StringSerializer(),
        messages,
        PROCESSOR);
    topology.addSink(
        FENCING_PERMITS_SINK,
        Topic.FENCING_PERMITS.nameWith(prefix),
        new StringSerializer(),
        messages,
        PROCESSOR);
    topology.addSink(
        CONTROL_SINK, Topic.CONTROL.nameWith(prefix), new StringSerializer(), messages, PROCESSOR);
    topology.addSink(
        DEAD_LETTERS_SINK,
        Topic.DEAD_LETTERS.nameWith(prefix),
        new StringSerializer(),
        raw,
        PROCESSOR);
    return topology;
  }

  private static Serializer<Object> messageSerializer() {
    LifeboatMessageSerializer serializer = new LifeboatMessageSerializer();
    serializer.configure(
        Map.of(LifeboatMessageSerializer.SOURCE_CONFIG, "/lifeboat/volume-orchestrator"), false);
    return new Serializer<>() {
      @Override
      public byte[] serialize(String topic, Object data) {
        return serializer.serialize(topic, (LifeboatMessage) data);
      }

      @Override
      public byte[] serialize(
          String topic, org.apache.kafka.common.header.Headers headers, Object data) {
        return serializer.serialize(topic, headers, (LifeboatMessage) data);
      }
    };
  }
}
