package dev.lifeboat.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.events.Topic;
import dev.lifeboat.testkit.TestKafka.Kind;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;

/**
 * The choice of the tests' Kafka: a container where Docker answers or where asked for, the
 * in-process broker otherwise; and the choice made for this JVM is the one that runs.
 */
class TestKafkaTest {

  @Test
  void theVariableDecidesWithoutAskingDockerAndAnythingElseIsRefusedNamingIt() {
    AtomicInteger asked = new AtomicInteger();
    BooleanSupplier docker =
        () -> {
          asked.incrementAndGet();
          return true;
        };

    assertThat(TestKafka.choose("testcontainers", docker).kind()).isEqualTo(Kind.TESTCONTAINERS);
    assertThat(TestKafka.choose(" In-Process ", docker).kind()).isEqualTo(Kind.IN_PROCESS);
    assertThat(asked).hasValue(0);
    assertThatThrownBy(() -> TestKafka.choose("docker", docker))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("LIFEBOAT_TEST_KAFKA=docker")
        .hasMessageContaining("testcontainers")
        .hasMessageContaining("in-process");
  }

  @Test
  void unsetTheContainerRunsWhereADockerEngineAnswersAndTheInProcessBrokerElsewhere() {
    TestKafka.Choice withDocker = TestKafka.choose(null, () -> true);
    TestKafka.Choice without = TestKafka.choose("", () -> false);

    assertThat(withDocker.kind()).isEqualTo(Kind.TESTCONTAINERS);
    assertThat(withDocker.why()).contains("Docker engine answered");
    assertThat(without.kind()).isEqualTo(Kind.IN_PROCESS);
    assertThat(without.why()).contains("no Docker engine answered", "LIFEBOAT_TEST_KAFKA");
  }

  @Test
  void theContainerIsTheOfficialImageOfTheProjectsKafkaVersion() {
    assertThat(TestKafka.IMAGE).isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
    assertThat(AppInfoParser.getVersion()).matches("\\d+\\.\\d+\\.\\d+");
  }

  @Test
  void thisJvmRunsTheBrokerItsEnvironmentChooses() throws Exception {
    Kind expected =
        TestKafka.choose(System.getenv(TestKafka.CHOICE), TestKafka::dockerAnswers).kind();

    TestKafka kafka = TestKafka.shared();

    assertThat(kafka.kind()).isEqualTo(expected);
    assertThat(kafka.scramClient().isPresent()).isEqualTo(expected == Kind.IN_PROCESS);
    kafka.createLifeboatTopics("choice-test.");
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      assertThat(admin.listTopics().names().get())
          .contains(Topic.NODE_EVENTS.nameWith("choice-test."));
    }
  }

  @Test
  void aContainerAskedForWhereNoDockerEngineAnswersIsAClearError() {
    org.junit.jupiter.api.Assumptions.assumeFalse(
        TestKafka.dockerAnswers(), "a Docker engine answers here: the container would start");

    assertThatThrownBy(
            () ->
                TestKafka.start(
                    new TestKafka.Choice(
                        Kind.TESTCONTAINERS, "LIFEBOAT_TEST_KAFKA=testcontainers")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no Docker engine answers here")
        .hasMessageContaining("unset LIFEBOAT_TEST_KAFKA");
  }
}
