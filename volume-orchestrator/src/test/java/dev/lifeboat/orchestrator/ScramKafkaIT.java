package dev.lifeboat.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lifeboat.events.Topic;
import dev.lifeboat.events.hcloud.PowerOffServer;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.testkit.JarProcess;
import dev.lifeboat.testkit.LifeboatTopics;
import dev.lifeboat.testkit.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged orchestrator against a Kafka that requires SASL SCRAM-SHA-512 over TLS, configured
 * the way the Kubernetes manifests configure it: the {@code KAFKA_*} environment variables of the
 * {@code lifeboat-kafka} ConfigMap (a PEM truststore with the listener's CA) and the KafkaUser's
 * JAAS line, nothing for Kafka Streams. Its sagas run on Kafka Streams, so a command in answer to a
 * loss proves that Streams authenticated too: Quarkus hands Kafka Streams the default Kafka
 * configuration ({@code kafka.*}) under its own.
 */
class ScramKafkaIT {

  private Process orchestrator;

  @AfterEach
  void stop() {
    if (orchestrator != null) {
      orchestrator.destroyForcibly();
    }
  }

  @Test
  void theSagasRunOnAKafkaThatRequiresScramOverTlsWithTheManifestsSettings() throws Exception {
    TestKafka broker = TestKafka.shared();
    broker.createLifeboatTopics(Topic.DEFAULT_PREFIX);
    assumeTrue(
        broker.scramClient().isPresent(),
        "the SCRAM-over-TLS listener is the in-process broker's; this JVM runs Kafka in a container");
    Map<String, String> scram = broker.scramClient().orElseThrow();
    assertThat(scram).containsEntry("security.protocol", "SASL_SSL");
    Path log = Path.of("target", "orchestrator-scram.log");
    orchestrator =
        JarProcess.start(
            Path.of("target", "quarkus-app", "quarkus-run.jar"),
            JarProcess.freePort(),
            List.of(
                "kafka-streams.state.dir="
                    + Path.of("target", "scram-state-" + UUID.randomUUID()).toAbsolutePath(),
                "kafka-streams.num.standby.replicas=0"),
            Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", scram.get("bootstrap.servers"),
                "KAFKA_SECURITY_PROTOCOL", scram.get("security.protocol"),
                "KAFKA_SSL_TRUSTSTORE_TYPE", scram.get("ssl.truststore.type"),
                "KAFKA_SSL_TRUSTSTORE_LOCATION", scram.get("ssl.truststore.location"),
                "KAFKA_SASL_MECHANISM", scram.get("sasl.mechanism"),
                "KAFKA_SASL_JAAS_CONFIG", scram.get("sasl.jaas.config")),
            log);

    NodeGone gone =
        Inventories.oneVolume(
            "scram-" + UUID.randomUUID().toString().substring(0, 8), 6, Instant.now());
    try (LifeboatTopics topics = LifeboatTopics.onSharedBroker()) {
      topics.send(gone);
      PowerOffServer fence =
          topics.awaitMessage(
              Topic.HCLOUD_COMMANDS,
              PowerOffServer.class,
              command -> command.incidentId().equals(gone.incidentId()));
      assertThat(fence.serverId()).isEqualTo(gone.node().serverId());
    }
    String password = scram.get("sasl.jaas.config").replaceAll(".*password=\"([^\"]+)\".*", "$1");
    assertThat(Files.readString(log))
        .contains("State transition from REBALANCING to RUNNING")
        .as("the SCRAM password is never logged")
        .doesNotContain(password);
  }
}
