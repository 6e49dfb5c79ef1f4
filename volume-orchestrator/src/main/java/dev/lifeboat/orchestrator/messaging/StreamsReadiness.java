package dev.lifeboat.orchestrator.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the sagas' Kafka Streams runs: an instance still restoring its stores or
 * rebalancing its partitions answers for sagas it does not hold yet, so Kubernetes keeps it out of
 * the Service (and a rolling update waits for it) until they run.
 */
@Readiness
@ApplicationScoped
public class StreamsReadiness implements HealthCheck {

  static final String NAME = "sagas running (Kafka Streams)";

  private final KafkaStreams streams;

  StreamsReadiness(KafkaStreams streams) {
    this.streams = streams;
  }

  @Override
  public HealthCheckResponse call() {
    return of(streams.state());
  }

  /** UP in state RUNNING only, with the state named either way. */
  static HealthCheckResponse of(KafkaStreams.State state) {
    return HealthCheckResponse.named(NAME)
        .status(state == KafkaStreams.State.RUNNING)
        .withData("state", state.name())
        .build();
  }
}
