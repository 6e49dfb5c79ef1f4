package dev.lifeboat.watcher.messaging;

import dev.lifeboat.events.FailureCodes;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.cluster.AwaitPodReady;
import dev.lifeboat.events.cluster.AwaitReplacementPod;
import dev.lifeboat.events.cluster.ClusterCommand;
import dev.lifeboat.events.cluster.ClusterCommandFailed;
import dev.lifeboat.events.cluster.ClusterResult;
import dev.lifeboat.events.cluster.DeclareNodeGone;
import dev.lifeboat.events.cluster.EvictPods;
import dev.lifeboat.events.codec.ReadResult;
import dev.lifeboat.events.kafka.KafkaHeaders;
import dev.lifeboat.service.Arrivals;
import dev.lifeboat.service.DeadLetters;
import dev.lifeboat.service.KafkaSend;
import dev.lifeboat.watcher.kubernetes.ClusterActions;
import dev.lifeboat.watcher.kubernetes.CommandEvents;
import dev.lifeboat.watcher.kubernetes.Leadership;
import dev.lifeboat.watcher.kubernetes.NodeWatch;
import dev.lifeboat.watcher.kubernetes.Waiters;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Consumes {@code cluster-commands} while this instance leads, and only then: the consumer joins
 * the group when leadership starts and leaves it when leadership ends, so the leader holds every
 * partition and a new leader resumes from the committed offsets. Changing commands run at once;
 * waiting commands are handed to {@link Waiters}. The commands of one poll are carried out by
 * incident (the record key): each incident's in their order, up to {@link #PARALLEL} incidents side
 * by side, so that a storm of incidents is not served one API call and one commit at a time.
 * Offsets are committed once per poll, below the first command that failed: a command not committed
 * runs again, which is harmless (every command is idempotent).
 */
@ApplicationScoped
public class ClusterCommandConsumer implements Leadership.Listener {

  private static final Logger LOG = Logger.getLogger(ClusterCommandConsumer.class);

  /** How long the consumer waits after a failure before it reads again. */
  static final Duration RETRY = Duration.ofSeconds(1);

  /** How many incidents' commands are carried out at once. */
  static final int PARALLEL = 8;

  private final ClusterActions actions;
  private final CommandEvents commandEvents;
  private final NodeWatch detection;
  private final Waiters waiters;
  private final Reports reports;
  private final DeadLetters deadLetters;
  private final Arrivals arrivals;
  private final Leadership leadership;
  private final Map<String, Object> kafka;
  private final String topic;
  private final Clock clock;
  private final ExecutorService workers =
      Executors.newFixedThreadPool(
          PARALLEL,
          r -> {
            Thread worker = new Thread(r, "cluster-command-worker");
            worker.setDaemon(true);
            return worker;
          });
  private volatile KafkaConsumer<String, byte[]> consumer;
  private volatile Thread thread;

  ClusterCommandConsumer(
      ClusterActions actions,
      CommandEvents commandEvents,
      NodeWatch detection,
      Waiters waiters,
      Reports reports,
      DeadLetters deadLetters,
      Arrivals arrivals,
      Leadership leadership,
      @Identifier("default-kafka-broker") Map<String, Object> kafka,
      @ConfigProperty(name = "lifeboat.topic-prefix") String prefix,
      Clock clock) {
    this.actions = actions;
    this.commandEvents = commandEvents;
    this.detection = detection;
    this.waiters = waiters;
    this.reports = reports;
    this.deadLetters = deadLetters;
    this.arrivals = arrivals;
    this.leadership = leadership;
    this.kafka = kafka;
    this.topic = Topic.CLUSTER_COMMANDS.nameWith(prefix);
    this.clock = clock;
  }

  void start(@Observes @Priority(Interceptor.Priority.APPLICATION + 550) StartupEvent startup) {
    leadership.listen(this);
  }

  @Override
  public synchronized void started() {
    if (thread != null) {
      return;
    }
    Map<String, Object> config = KafkaSend.consumerConfig(kafka);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "lifeboat-node-watcher");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    KafkaConsumer<String, byte[]> mine = consumer;
    thread = new Thread(() -> consume(mine), "cluster-commands");
    thread.start();
  }

  @Override
  public synchronized void stopped() {
    if (thread == null) {
      return;
    }
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    thread = null;
    waiters.clear();
  }

  private void consume(KafkaConsumer<String, byte[]> consumer) {
    try (consumer) {
      consumer.subscribe(List.of(topic));
      while (!Thread.currentThread().isInterrupted()) {
        try {
          consumeOnce(consumer);
        } catch (WakeupException stopping) {
          throw stopping;
        } catch (RuntimeException e) {
          // Whatever failed (a send, a commit, the API), the leader keeps carrying out commands:
          // what was not committed is read again, and every command is idempotent.
          LOG.errorf(e, "consuming cluster commands failed; going on in %s", RETRY);
          pause();
        }
      }
    } catch (WakeupException stopping) {
      LOG.info("stopped consuming cluster commands");
    }
  }

  @PreDestroy
  void close() {
    workers.shutdownNow();
  }

  /**
   * Handles one poll's records, by incident, and commits what was handled: in each partition up to
   * the first record that failed, which is read again (and so is every record after it there).
   */
  private void consumeOnce(KafkaConsumer<String, byte[]> consumer) {
    ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
    if (records.isEmpty()) {
      return;
    }
    Map<String, List<ConsumerRecord<String, byte[]>>> byIncident = new LinkedHashMap<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      byIncident.computeIfAbsent(String.valueOf(record.key()), k -> new ArrayList<>()).add(record);
    }
    Map<TopicPartition, Long> firstFailed = new ConcurrentHashMap<>();
    List<RuntimeException> failures = new CopyOnWriteArrayList<>();
    List<Future<?>> running = new ArrayList<>();
    for (List<ConsumerRecord<String, byte[]>> commands : byIncident.values()) {
      running.add(workers.submit(() -> handleInOrder(commands, firstFailed, failures)));
    }
    for (Future<?> each : running) {
      try {
        each.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WakeupException();
      } catch (ExecutionException e) {
        failures.add(new IllegalStateException(e.getCause()));
      }
    }
    Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
    for (TopicPartition partition : records.partitions()) {
      List<ConsumerRecord<String, byte[]>> read = records.records(partition);
      Long failed = firstFailed.get(partition);
      if (failed != null) {
        consumer.seek(partition, failed);
      }
      long next = failed != null ? failed : read.get(read.size() - 1).offset() + 1;
      handled.put(partition, new OffsetAndMetadata(next));
    }
    consumer.commitSync(handled);
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
  }

  /** One incident's commands in their order, up to the first that fails. */
  private void handleInOrder(
      List<ConsumerRecord<String, byte[]>> commands,
      Map<TopicPartition, Long> firstFailed,
      List<RuntimeException> failures) {
    for (ConsumerRecord<String, byte[]> record : commands) {
      try {
        handle(record);
      } catch (RuntimeException e) {
        firstFailed.merge(
            new TopicPartition(record.topic(), record.partition()), record.offset(), Math::min);
        failures.add(e);
        return;
      }
    }
  }

  private static void pause() {
    try {
      // A fixed pause: what failed (the broker, the API server) needs a moment, and a hot loop
      // would only fill the log.
      Thread.sleep(RETRY.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(ConsumerRecord<String, byte[]> record) {
    ReadResult read =
        arrivals.read(record.topic(), KafkaHeaders.asText(record.headers()), record.value());
    if (read instanceof ReadResult.NotRead notRead) {
      deadLetters.send(
          record.topic(),
          record.key(),
          record.value(),
          record.headers(),
          notRead.unreadable().describe());
      return;
    }
    LifeboatMessage message = ((ReadResult.Read) read).message();
    ClusterCommand command = (ClusterCommand) message;
    LOG.infof(
        "%s %s of incident %s",
        command.getClass().getSimpleName(), command.commandId(), command.incidentId());
    if (command.notAfter() != null && clock.instant().isAfter(command.notAfter())) {
      // Read late (a new leader, a backlog): the saga no longer waits for it and may have sent
      // another attempt, or ended the incident. Acting now could undo what came after.
      LOG.warnf(
          "%s %s not carried out: its deadline %s has passed",
          command.getClass().getSimpleName(), command.commandId(), command.notAfter());
      reports.publish(
          ClusterActions.failed(
              command,
              clock.instant(),
              FailureCodes.DEADLINE_PASSED,
              "the command's deadline "
                  + command.notAfter()
                  + " had passed when node-watcher read it: it is not carried out",
              false));
      return;
    }
    if (command instanceof AwaitReplacementPod await) {
      waiters.await(await);
    } else if (command instanceof AwaitPodReady await) {
      // The attachment touched first, in the same command: one round trip for VERIFY.
      actions.requeueFirst(await).ifPresentOrElse(reports::publish, () -> waiters.await(await));
    } else if (command instanceof EvictPods evict) {
      waiters.await(evict);
    } else if (command instanceof DeclareNodeGone declare) {
      reports.publish(detection.declareGone(declare));
    } else {
      ClusterResult result = outcome(command);
      reports.publish(result);
      commandEvents.told(command, result);
    }
  }

  /** What the command came to; an unexpected error is a result too, so the saga hears of it. */
  private ClusterResult outcome(ClusterCommand command) {
    try {
      return actions.run(command);
    } catch (RuntimeException e) {
      LOG.errorf(
          e, "%s %s failed unexpectedly", command.getClass().getSimpleName(), command.commandId());
      return new ClusterCommandFailed(
          MessageIds.derived("cluster-result", command.commandId()),
          command.incidentId(),
          clock.instant(),
          command.commandId(),
          "INTERNAL_ERROR",
          e.getClass().getSimpleName() + ": " + e.getMessage(),
          true);
    }
  }
}
