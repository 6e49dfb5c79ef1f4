package dev.lifeboat.service;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * What every plain Kafka producer of the services shares: the settings (every record acknowledged
 * by all replicas, idempotent) and waiting until the broker has a record.
 */
public final class KafkaSend {

  /** How long a send may take before it counts as failed. */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  private KafkaSend() {}

  /** The producer settings for this broker, to which a caller may add its own. */
  public static Map<String, Object> producerConfig(String bootstrapServers) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return config;
  }

  /** Waits for a send; an error names the topic. */
  public static void await(Future<?> sent, String topic) {
    try {
      sent.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending to " + topic, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not send to " + topic + ": " + e.getMessage(), e);
    }
  }
}
