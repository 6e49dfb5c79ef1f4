package dev.lifeboat.local;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The ports of the local run, each overridable by an environment variable.
 *
 * @param kafka Kafka's client port ({@code LIFEBOAT_KAFKA_PORT}, 9092)
 * @param kafkaController its controller port ({@code LIFEBOAT_KAFKA_CONTROLLER_PORT}, 9093)
 * @param postgres PostgreSQL ({@code LIFEBOAT_POSTGRES_PORT}, 5432)
 * @param hcloudSim hcloud-sim ({@code HCLOUD_SIM_PORT}, 8765; API under {@code /v1})
 * @param kubernetes the simulated cluster's Kubernetes API ({@code CLUSTER_SIM_API_PORT}, 8766)
 * @param clusterSim cluster-sim's health and {@code /_sim} ({@code CLUSTER_SIM_PORT}, 8767)
 * @param audit audit-service ({@code LIFEBOAT_AUDIT_PORT}, 8080)
 * @param orchestrator volume-orchestrator ({@code LIFEBOAT_ORCHESTRATOR_PORT}, 8081)
 * @param watcher node-watcher ({@code LIFEBOAT_WATCHER_PORT}, 8082)
 * @param adapter hcloud-adapter ({@code LIFEBOAT_ADAPTER_PORT}, 8083)
 */
public record Ports(
    int kafka,
    int kafkaController,
    int postgres,
    int hcloudSim,
    int kubernetes,
    int clusterSim,
    int audit,
    int orchestrator,
    int watcher,
    int adapter) {

  /** The defaults, each replaced by its environment variable when set. */
  public static Ports fromEnvironment(Map<String, String> env) {
    return new Ports(
        port(env, "LIFEBOAT_KAFKA_PORT", 9092),
        port(env, "LIFEBOAT_KAFKA_CONTROLLER_PORT", 9093),
        port(env, "LIFEBOAT_POSTGRES_PORT", 5432),
        port(env, "HCLOUD_SIM_PORT", 8765),
        port(env, "CLUSTER_SIM_API_PORT", 8766),
        port(env, "CLUSTER_SIM_PORT", 8767),
        port(env, "LIFEBOAT_AUDIT_PORT", 8080),
        port(env, "LIFEBOAT_ORCHESTRATOR_PORT", 8081),
        port(env, "LIFEBOAT_WATCHER_PORT", 8082),
        port(env, "LIFEBOAT_ADAPTER_PORT", 8083));
  }

  /** Ports from the supplier (free ones, for tests). */
  public static Ports of(IntSupplier next) {
    return new Ports(
        next.getAsInt(),
        next.getAsInt(),
        next.getAsInt(),
        next.getAsInt(),
        next.getAsInt(),
        next.getAsInt(),
        next.getAsInt(),
        next.getAsInt(),
        next.getAsInt(),
        next.getAsInt());
  }

  /** Each port with the environment variable that sets it. */
  public Map<String, Integer> byVariable() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("LIFEBOAT_KAFKA_PORT", kafka);
    ports.put("LIFEBOAT_KAFKA_CONTROLLER_PORT", kafkaController);
    ports.put("LIFEBOAT_POSTGRES_PORT", postgres);
    ports.put("HCLOUD_SIM_PORT", hcloudSim);
    ports.put("CLUSTER_SIM_API_PORT", kubernetes);
    ports.put("CLUSTER_SIM_PORT", clusterSim);
    ports.put("LIFEBOAT_AUDIT_PORT", audit);
    ports.put("LIFEBOAT_ORCHESTRATOR_PORT", orchestrator);
    ports.put("LIFEBOAT_WATCHER_PORT", watcher);
    ports.put("LIFEBOAT_ADAPTER_PORT", adapter);
    return ports;
  }

  private static int port(Map<String, String> env, String variable, int fallback) {
    String value = env.get(variable);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int port = Integer.parseInt(value.trim());
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          variable
              + "="
              + value
              + " is not a port (1 to 65535): set it to a free port or unset it");
    }
  }
}
