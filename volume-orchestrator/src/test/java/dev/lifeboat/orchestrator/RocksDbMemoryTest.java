package dev.lifeboat.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.Metric;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/**
 * RocksDB's memory outside the heap is bounded as application.properties says: every saga store the
 * running streams opened reports the one shared block cache of 32 MB (RocksDB's own figure, from
 * Kafka Streams' metrics), not a cache of its own.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class RocksDbMemoryTest {

  @Inject KafkaStreams streams;

  @Test
  void everySagaStoreSharesTheOneBlockCacheOfTheConfiguredBound() {
    await().atMost(Duration.ofSeconds(60)).until(() -> capacities().size() >= 6);

    assertThat(capacities()).containsOnly(32.0 * 1024 * 1024);
  }

  /** The block-cache capacity each open RocksDB store reports (0 while one is not open). */
  private List<Double> capacities() {
    return streams.metrics().entrySet().stream()
        .filter(e -> e.getKey().name().equals("block-cache-capacity"))
        .map(e -> e.getValue())
        .map(Metric::metricValue)
        .filter(Number.class::isInstance)
        .map(v -> ((Number) v).doubleValue())
        .filter(capacity -> capacity > 0)
        .toList();
  }
}
