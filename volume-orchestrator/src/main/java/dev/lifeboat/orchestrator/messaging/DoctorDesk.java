package dev.lifeboat.orchestrator.messaging;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.doctor.DoctorMessage;
import dev.lifeboat.events.kafka.ContractRecords;
import dev.lifeboat.events.kafka.LifeboatMessageSerializer;
import dev.lifeboat.orchestrator.api.IncidentResource;
import dev.lifeboat.orchestrator.api.IncidentView;
import dev.lifeboat.orchestrator.config.DoctorConfig;
import dev.lifeboat.orchestrator.config.DomainProducers;
import dev.lifeboat.orchestrator.domain.Doctor;
import dev.lifeboat.orchestrator.domain.DoctorRuns;
import dev.lifeboat.service.KafkaSend;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs the doctor (docs/doctor.md) on the instance that owns the partition of the {@code doctor}
 * topic where every doctor message stands (the key {@link DoctorMessage#KEY}): in the consumer
 * group {@code lifeboat-volume-orchestrator-doctor}, so exactly one instance owns it, and another
 * takes over when it goes. At assignment it reads back the partition's last {@link #LOOKBACK}
 * records to know when the last run was asked for and what the last report found; from then on it
 * asks for runs on schedule and reports each once both sides have answered ({@link DoctorRuns}).
 * Records that cannot be read are skipped here; the audit service sends them to the dead letters.
 * Anything that fails (the broker away, a send refused) starts it over from the topic.
 */
@ApplicationScoped
public class DoctorDesk {

  private static final Logger LOG = Logger.getLogger(DoctorDesk.class);

  /** How many records back from the end the owner reads at assignment. */
  static final int LOOKBACK = 500;

  private static final Duration POLL = Duration.ofSeconds(1);
  private static final Duration RETRY = Duration.ofSeconds(2);

  private final Doctor doctor;
  private final DoctorConfig config;
  private final IncidentResource incidents;
  private final Map<String, Object> kafka;
  private final String topic;
  private final String nodeEvents;
  private final Clock clock;
  private final KafkaProducer<String, LifeboatMessage> producer;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile boolean stopping;

  /** The owned partition's state; null while this instance does not own it. */
  private DoctorRuns runs;

  /** Where reading back ends: runs are acted on only from there. */
  private long caughtUpAt;

  private TopicPartition doctorPartition;

  DoctorDesk(
      Doctor doctor,
      DoctorConfig config,
      IncidentResource incidents,
      @Identifier("default-kafka-broker") Map<String, Object> kafka,
      @ConfigProperty(name = "lifeboat.topic-prefix") String prefix,
      Clock clock) {
    this.doctor = doctor;
    this.config = config;
    this.incidents = incidents;
    this.kafka = kafka;
    this.topic = Topic.DOCTOR.nameWith(prefix);
    this.nodeEvents = Topic.NODE_EVENTS.nameWith(prefix);
    this.clock = clock;
    Map<String, Object> producerConfig = KafkaSend.producerConfig(kafka);
    producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "lifeboat-volume-orchestrator-doctor");
    producerConfig.put(LifeboatMessageSerializer.SOURCE_CONFIG, "/lifeboat/volume-orchestrator");
    LifeboatMessageSerializer values = new LifeboatMessageSerializer();
    values.configure(producerConfig, false);
    this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), values);
  }

  void start(@Observes StartupEvent startup) {
    Thread thread = new Thread(this::run, "doctor-desk");
    thread.setDaemon(true);
    thread.start();
  }

  void stop(@Observes ShutdownEvent shutdown) {
    stopping = true;
    KafkaConsumer<String, byte[]> running = consumer;
    if (running != null) {
      running.wakeup();
    }
    producer.close(Duration.ofSeconds(5));
  }

  private void run() {
    while (!stopping) {
      try {
        consume();
      } catch (WakeupException woken) {
        return;
      } catch (RuntimeException e) {
        LOG.warnf("the doctor stopped (%s); starting over from the topic in %s", e, RETRY);
        try {
          Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void consume() {
    Map<String, Object> settings = KafkaSend.consumerConfig(kafka);
    settings.put(ConsumerConfig.GROUP_ID_CONFIG, "lifeboat-volume-orchestrator-doctor");
    settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    try (KafkaConsumer<String, byte[]> reader =
        new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer = reader;
      runs = null;
      if (stopping) {
        return;
      }
      int partitions = reader.partitionsFor(topic, Duration.ofSeconds(30)).size();
      if (partitions == 0) {
        throw new IllegalStateException(topic + " has no partitions yet");
      }
      doctorPartition = new TopicPartition(topic, partitionOfKey(partitions));
      reader.subscribe(List.of(topic), new Ownership(reader));
      while (!stopping) {
        for (ConsumerRecord<String, byte[]> record : reader.poll(POLL)) {
          if (runs != null && record.partition() == doctorPartition.partition()) {
            ContractRecords.read(record, DoctorMessage.class, LOG::debug).ifPresent(runs::read);
          }
        }
        if (runs != null && reader.position(doctorPartition) >= caughtUpAt) {
          for (LifeboatMessage due : runs.due(clock.instant(), this::busy)) {
            send(due);
          }
        }
      }
    } finally {
      runs = null;
    }
  }

  /** The partition the producers' default partitioner puts {@link DoctorMessage#KEY} on. */
  static int partitionOfKey(int partitions) {
    return Utils.toPositive(Utils.murmur2(DoctorMessage.KEY.getBytes(StandardCharsets.UTF_8)))
        % partitions;
  }

  /**
   * A doctor message on the doctor topic; a repair's opening on the node events, keyed by its saga,
   * before the answer that says it started.
   */
  private void send(LifeboatMessage message) {
    if (message instanceof DoctorMessage doctorMessage) {
      KafkaSend.await(
          producer.send(new ProducerRecord<>(topic, DoctorMessage.KEY, message)), topic);
      LOG.infof(
          "doctor: sent %s of run %s", message.getClass().getSimpleName(), doctorMessage.runId());
    } else {
      KafkaSend.await(
          producer.send(new ProducerRecord<>(nodeEvents, message.incidentId(), message)),
          nodeEvents);
      LOG.infof(
          "doctor: sent %s, opening %s", message.getClass().getSimpleName(), message.incidentId());
    }
  }

  /** What running incidents hold; nothing known when another instance does not answer. */
  private Doctor.Busy busy() {
    Set<String> nodes = new HashSet<>();
    Set<Long> volumes = new HashSet<>();
    try {
      for (IncidentView view : incidents.list(null, null, "all")) {
        if (view.status().equals("RUNNING") || view.status().equals("HELD")) {
          nodes.add(view.node());
          view.volumes().forEach(volume -> volumes.add(volume.volumeId()));
        }
      }
    } catch (RuntimeException e) {
      LOG.warnf("doctor: the running incidents could not all be listed (%s)", e.getMessage());
    }
    return new Doctor.Busy(nodes, volumes);
  }

  /** Reads the partition back when this instance is given it, forgets it when it loses it. */
  private final class Ownership implements ConsumerRebalanceListener {
    private final KafkaConsumer<String, byte[]> reader;

    Ownership(KafkaConsumer<String, byte[]> reader) {
      this.reader = reader;
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
      if (!assigned.contains(doctorPartition)) {
        return;
      }
      long end = reader.endOffsets(List.of(doctorPartition)).get(doctorPartition);
      long begin = reader.beginningOffsets(List.of(doctorPartition)).get(doctorPartition);
      reader.seek(doctorPartition, Math.max(begin, end - LOOKBACK));
      caughtUpAt = end;
      runs =
          new DoctorRuns(
              doctor,
              config.interval(),
              config.answerWithin(),
              DomainProducers.autoRepairOf(config));
      LOG.infof("doctor: this instance runs the doctor (reading back from offset %d)", end);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      if (revoked.contains(doctorPartition)) {
        runs = null;
        LOG.info("doctor: another instance runs the doctor now");
      }
    }
  }
}
