package dev.lifeboat.testkit;

import dev.lifeboat.events.Topic;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Quarkus test resource: the test JVM's real Kafka broker ({@link TestKafka}), with every Lifeboat
 * topic created, handed to the application under test as {@code kafka.bootstrap.servers}. Use it
 * with {@code @QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass =
 * false)} or through a test profile.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

  @Override
  public Map<String, String> start() {
    TestKafka broker = TestKafka.shared();
    broker.createLifeboatTopics(Topic.DEFAULT_PREFIX);
    return Map.of(
        "kafka.bootstrap.servers", broker.bootstrapServers(),
        "quarkus.kafka-streams.bootstrap-servers", broker.bootstrapServers(),
        "kafka-streams.state.dir", broker.streamsStateDir().toString(),
        "quarkus.kafka.devservices.enabled", "false");
  }

  @Override
  public void stop() {
    // The broker serves every test of this JVM; it stops with the JVM.
  }
}
