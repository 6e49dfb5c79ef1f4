package dev.lifeboat.audit.messaging;

import dev.lifeboat.audit.config.AuditConfig;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.doctor.DoctorMessage;
import dev.lifeboat.events.doctor.DoctorRunRequested;
import dev.lifeboat.events.doctor.RepairAsked;
import dev.lifeboat.events.kafka.LifeboatMessageSerializer;
import dev.lifeboat.service.KafkaSend;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Asks for a doctor run on a person's request ({@code GET /api/doctor?refresh=true}). Requests that
 * come within {@code lifeboat.audit.doctor-join} (30 s) of the last one asked here join that run
 * instead of asking another: a run costs Hetzner requests, and a page reloaded in a loop must not
 * spend the project's budget. Made at start, so that a bad {@code doctor-join} stops the service
 * naming the key.
 */
@Startup
@ApplicationScoped
public class DoctorRequests {

  /** Requests within this of the last one join its run ({@code lifeboat.audit.doctor-join}). */
  private final Duration join;

  private final KafkaProducer<String, LifeboatMessage> producer;
  private final String topic;
  private final Clock clock;
  private DoctorRunRequested last;

  DoctorRequests(
      @Identifier("default-kafka-broker") Map<String, Object> kafka,
      @ConfigProperty(name = "lifeboat.topic-prefix") String prefix,
      AuditConfig audit,
      Clock clock) {
    if (audit.doctorJoin().isNegative()) {
      throw new IllegalArgumentException(
          "invalid configuration: lifeboat.audit.doctor-join must be 0s (join none) or positive,"
              + " was '"
              + audit.doctorJoin()
              + "'");
    }
    this.join = audit.doctorJoin();
    Map<String, Object> config = KafkaSend.producerConfig(kafka);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "lifeboat-audit-service-doctor");
    config.put(LifeboatMessageSerializer.SOURCE_CONFIG, "/lifeboat/audit-service/api");
    LifeboatMessageSerializer values = new LifeboatMessageSerializer();
    values.configure(config, false);
    this.producer = new KafkaProducer<>(config, new StringSerializer(), values);
    this.topic = Topic.DOCTOR.nameWith(prefix);
    this.clock = clock;
  }

  /** The run that answers a request now: the last one asked here if recent, else a new one. */
  public synchronized DoctorRunRequested ask(String requestedBy) {
    Instant now = clock.instant();
    if (last != null && last.occurredAt().plus(join).isAfter(now)) {
      return last;
    }
    DoctorRunRequested request =
        new DoctorRunRequested(
            MessageIds.random(), DoctorMessage.KEY, now, MessageIds.random(), requestedBy);
    KafkaSend.await(producer.send(new ProducerRecord<>(topic, DoctorMessage.KEY, request)), topic);
    last = request;
    return request;
  }

  /**
   * A repair asked for: a fresh run (never a recent one joined: the finding is checked again on
   * what both sides show after the request), then the request naming it, in that order on the
   * doctor's one partition.
   */
  public RepairAsked askRepair(String findingId, String requestedBy) {
    Instant now = clock.instant();
    DoctorRunRequested run =
        new DoctorRunRequested(
            MessageIds.random(),
            DoctorMessage.KEY,
            now,
            MessageIds.random(),
            "repair by " + requestedBy);
    RepairAsked asked =
        new RepairAsked(
            MessageIds.random(),
            DoctorMessage.KEY,
            now,
            run.runId(),
            MessageIds.random(),
            findingId,
            requestedBy);
    var first = producer.send(new ProducerRecord<>(topic, DoctorMessage.KEY, run));
    var second = producer.send(new ProducerRecord<>(topic, DoctorMessage.KEY, asked));
    KafkaSend.await(first, topic);
    KafkaSend.await(second, topic);
    return asked;
  }

  @PreDestroy
  void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
