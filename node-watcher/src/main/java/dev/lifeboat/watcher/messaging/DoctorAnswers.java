package dev.lifeboat.watcher.messaging;

import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.doctor.ClusterSnapshotTaken;
import dev.lifeboat.events.doctor.DoctorMessage;
import dev.lifeboat.events.doctor.DoctorRunRequested;
import dev.lifeboat.events.kafka.ContractRecords;
import dev.lifeboat.service.KafkaSend;
import dev.lifeboat.watcher.domain.NodeSelector;
import dev.lifeboat.watcher.kubernetes.ClusterCache;
import dev.lifeboat.watcher.kubernetes.Leadership;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Answers doctor runs with the cluster side (docs/doctor.md): every instance reads the {@code
 * doctor} topic from where it ended at start, without a consumer group, and the leader answers each
 * run asked for with a snapshot of its informers' caches (no API request). While a watch is down
 * the caches may be stale, and the answer says so instead. A request older than {@link #TOO_OLD} is
 * not answered: the orchestrator has reported that run failed already. Records that cannot be read
 * are skipped here; the audit service sends them to the dead letters.
 */
@ApplicationScoped
public class DoctorAnswers {

  private static final Logger LOG = Logger.getLogger(DoctorAnswers.class);

  /** A request older than this is no longer answered. */
  static final Duration TOO_OLD = Duration.ofMinutes(2);

  private static final Duration RETRY = Duration.ofSeconds(1);

  private final ClusterCache cache;
  private final NodeSelector excluded;
  private final Leadership leadership;
  private final Reports reports;
  private final Map<String, Object> kafka;
  private final String topic;
  private final Clock clock;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile boolean stopping;

  DoctorAnswers(
      ClusterCache cache,
      NodeSelector excluded,
      Leadership leadership,
      Reports reports,
      @Identifier("default-kafka-broker") Map<String, Object> kafka,
      @ConfigProperty(name = "lifeboat.topic-prefix") String prefix,
      Clock clock) {
    this.cache = cache;
    this.excluded = excluded;
    this.leadership = leadership;
    this.reports = reports;
    this.kafka = kafka;
    this.topic = Topic.DOCTOR.nameWith(prefix);
    this.clock = clock;
  }

  void start(@Observes StartupEvent startup) {
    Thread thread = new Thread(this::run, "doctor-answers");
    thread.setDaemon(true);
    thread.start();
  }

  void stop(@Observes ShutdownEvent shutdown) {
    stopping = true;
    KafkaConsumer<String, byte[]> running = consumer;
    if (running != null) {
      running.wakeup();
    }
  }

  private void run() {
    while (!stopping) {
      try {
        readFromTheEnd();
      } catch (WakeupException woken) {
        return;
      } catch (RuntimeException e) {
        // The broker away, the topic not there yet: read again from where it ends then. A run
        // asked for meanwhile is reported failed by the orchestrator, and the next one answered.
        LOG.warnf("reading doctor requests failed (%s); again in %s", e.getMessage(), RETRY);
        pause();
      }
    }
  }

  private void readFromTheEnd() {
    Map<String, Object> config = KafkaSend.consumerConfig(kafka);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "lifeboat-watcher-doctor-" + UUID.randomUUID());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    try (KafkaConsumer<String, byte[]> reader =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer = reader;
      if (stopping) {
        return;
      }
      List<TopicPartition> partitions = new ArrayList<>();
      reader
          .partitionsFor(topic, Duration.ofSeconds(30))
          .forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
      if (partitions.isEmpty()) {
        throw new IllegalStateException(topic + " has no partitions yet");
      }
      reader.assign(partitions);
      reader.seekToEnd(partitions);
      partitions.forEach(reader::position);
      while (!stopping) {
        for (ConsumerRecord<String, byte[]> record : reader.poll(Duration.ofMillis(500))) {
          ContractRecords.read(record, DoctorRunRequested.class, LOG::debug)
              .ifPresent(this::answer);
        }
      }
    }
  }

  /** Answers a run asked for, if this instance leads and the request is recent. */
  void answer(DoctorRunRequested request) {
    Instant now = clock.instant();
    if (!leadership.leading()) {
      return;
    }
    if (Duration.between(request.occurredAt(), now).compareTo(TOO_OLD) > 0) {
      LOG.infof(
          "doctor run %s not answered: asked for at %s", request.runId(), request.occurredAt());
      return;
    }
    String messageId = MessageIds.derived("cluster-snapshot", request.runId());
    ClusterSnapshotTaken answer =
        cache.watchesDown()
            ? new ClusterSnapshotTaken(
                messageId,
                DoctorMessage.KEY,
                now,
                request.runId(),
                null,
                "a watch of the API server is down: the cluster as node-watcher holds it may be"
                    + " stale")
            : new ClusterSnapshotTaken(
                messageId,
                DoctorMessage.KEY,
                now,
                request.runId(),
                cache.inventory().snapshot(now, excluded),
                null);
    reports.publish(answer);
  }

  /** A fixed pause before reading again: nothing waits on this thread, and the broker is away. */
  private static void pause() {
    try {
      Thread.sleep(RETRY.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
