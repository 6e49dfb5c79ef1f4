package dev.lifeboat.orchestrator.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/** The orchestrator is ready only while its sagas' Kafka Streams runs. */
class StreamsReadinessTest {

  @Test
  void readyInRunningOnlyAndTheStateIsNamed() {
    for (KafkaStreams.State state : KafkaStreams.State.values()) {
      HealthCheckResponse response = StreamsReadiness.of(state);
      assertThat(response.getStatus())
          .as(state.name())
          .isEqualTo(
              state == KafkaStreams.State.RUNNING
                  ? HealthCheckResponse.Status.UP
                  : HealthCheckResponse.Status.DOWN);
      assertThat(response.getData().orElseThrow()).containsEntry("state", state.name());
    }
    assertThat(Arrays.stream(KafkaStreams.State.values()))
        .as("restoring and rebalancing are not ready")
        .contains(KafkaStreams.State.REBALANCING, KafkaStreams.State.CREATED);
  }
}
