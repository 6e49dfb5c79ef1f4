package dev.lifeboat.orchestrator.api;

import dev.lifeboat.events.saga.IncidentStatus;
import dev.lifeboat.orchestrator.domain.IncidentState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The sagas as Prometheus sees them, for the alerts and the dashboard in k8s/components/monitoring:
 * whether this instance's Kafka Streams runs, how many of its incidents are open (running, or held
 * for a person), and how long the oldest of them has been open. Each instance reports the incidents
 * of its own partitions; the alerts add them up.
 */
@Startup
@ApplicationScoped
public class SagaGauges {

  /** 1 while this instance's Kafka Streams is RUNNING, else 0. */
  public static final String STREAMS_RUNNING = "lifeboat.saga.streams.running";

  /** Open incidents of this instance's partitions, tagged {@code status} RUNNING or HELD. */
  public static final String INCIDENTS = "lifeboat.saga.incidents";

  /** Seconds since the oldest open incident of this instance's partitions opened; 0 if none. */
  public static final String OLDEST_OPEN = "lifeboat.saga.incident.oldest.open.seconds";

  private final KafkaStreams streams;
  private final IncidentDirectory directory;
  private final Clock clock;
  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();

  SagaGauges(
      KafkaStreams streams, IncidentDirectory directory, Clock clock, MeterRegistry registry) {
    this.streams = streams;
    this.directory = directory;
    this.clock = clock;
    this.registry = registry;
    meters.add(
        Gauge.builder(STREAMS_RUNNING, this, SagaGauges::running)
            .description("1 while the sagas' Kafka Streams is RUNNING on this instance")
            .register(registry));
    for (IncidentStatus status : List.of(IncidentStatus.RUNNING, IncidentStatus.HELD)) {
      meters.add(
          Gauge.builder(INCIDENTS, this, gauges -> gauges.open(status))
              .description("open incidents and removals of this instance's partitions")
              .tag("status", status.name())
              .register(registry));
    }
    meters.add(
        Gauge.builder(OLDEST_OPEN, this, SagaGauges::oldestOpenSeconds)
            .description("seconds since the oldest open incident or removal opened")
            .baseUnit("seconds")
            .register(registry));
  }

  /**
   * The registry may outlive this instance (Micrometer's global one, in a JVM that starts the
   * application again): gauges left behind would go on reading these stopped streams.
   */
  @PreDestroy
  void unregister() {
    meters.forEach(registry::remove);
  }

  private double running() {
    return streams.state() == KafkaStreams.State.RUNNING ? 1 : 0;
  }

  private double open(IncidentStatus status) {
    List<IncidentState> all = incidents();
    return all == null ? Double.NaN : all.stream().filter(s -> s.status() == status).count();
  }

  private double oldestOpenSeconds() {
    List<IncidentState> all = incidents();
    if (all == null) {
      return Double.NaN;
    }
    return all.stream()
        .filter(s -> s.endedAt() == null && s.openedAt() != null)
        .mapToDouble(s -> Duration.between(s.openedAt(), clock.instant()).toMillis() / 1000.0)
        .max()
        .orElse(0);
  }

  /** This instance's incidents, or null while its store cannot be read (not RUNNING). */
  private List<IncidentState> incidents() {
    if (streams.state() != KafkaStreams.State.RUNNING) {
      return null;
    }
    try {
      return directory.allLocal();
    } catch (RuntimeException notReadable) {
      return null;
    }
  }
}
