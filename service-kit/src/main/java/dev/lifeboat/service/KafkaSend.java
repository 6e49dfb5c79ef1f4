package dev.lifeboat.service;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * What every plain Kafka producer of the services shares: the settings (every record acknowledged
 * by all replicas, idempotent) and waiting until the broker has a record.
 */
public final class KafkaSend {

  /** How long a send may take before it counts as failed. */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  private KafkaSend() {}

  /**
   * The producer settings: the service's Kafka settings (every {@code kafka.*} property, such as
   * the bootstrap servers and SASL, as Quarkus hands them to its own clients under the identifier
   * {@code default-kafka-broker}) plus the producer's own, to which a caller may add more.
   */
  public static Map<String, Object> producerConfig(Map<String, Object> kafka) {
    Map<String, Object> config = clientConfig(kafka);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return config;
  }

  /**
   * The consumer settings: the service's Kafka settings, reading committed messages only (a record
   * of an aborted transaction is never seen), to which a caller adds its group and the rest.
   */
  public static Map<String, Object> consumerConfig(Map<String, Object> kafka) {
    Map<String, Object> config = clientConfig(kafka);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return config;
  }

  /** The service's Kafka settings as a mutable copy, for a consumer or producer to add to. */
  public static Map<String, Object> clientConfig(Map<String, Object> kafka) {
    Map<String, Object> config = new HashMap<>();
    kafka.forEach(
        (key, value) -> {
          if (!key.startsWith("devservices") && !key.startsWith("health")) {
            config.put(key, value);
          }
        });
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
