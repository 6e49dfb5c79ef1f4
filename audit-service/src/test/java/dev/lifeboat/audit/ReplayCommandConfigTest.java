package dev.lifeboat.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.audit.cli.ReplayCommand;
import dev.lifeboat.events.Topic;
import dev.lifeboat.testkit.LifeboatTopics;
import dev.lifeboat.testkit.TestKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The replay's {@code --command-config}: the Kafka client settings a cluster's Kafka wants (SASL
 * SCRAM), read from a properties file, never from the command line, and none of the file printed.
 */
class ReplayCommandConfigTest {

  private static final String SECRET = "replay-secret-" + System.nanoTime();

  @Test
  void theFilesSettingsAreTheClientsAndItsSecretIsNeverPrinted() throws Exception {
    TestKafka broker = TestKafka.shared();
    broker.createLifeboatTopics(Topic.DEFAULT_PREFIX);
    ScriptedIncident incident = new ScriptedIncident(Instant.now().minusSeconds(60));
    try (LifeboatTopics topics = LifeboatTopics.onSharedBroker()) {
      incident.messages.forEach(topics::send);
    }

    Run plain =
        replay(
            config("default.api.timeout.ms=20000\n"),
            broker.bootstrapServers(),
            incident.incidentId);
    // The same listener asked for SASL by the file: the client does what the file says, and the
    // listener (plaintext) cannot authenticate it.
    Run sasl =
        replay(
            config(
                "security.protocol=SASL_PLAINTEXT\n"
                    + "sasl.mechanism=SCRAM-SHA-512\n"
                    + "default.api.timeout.ms=3000\n"
                    + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule"
                    + " required username=\"lifeboat\" password=\""
                    + SECRET
                    + "\";\n"),
            broker.bootstrapServers(),
            incident.incidentId);

    assertThat(plain.exit).as(plain.err).isZero();
    assertThat(plain.out).startsWith("incident " + incident.incidentId).contains("suspected");
    assertThat(sasl.exit).as("a SASL client on a plaintext listener reads nothing").isNotZero();
    assertThat(sasl.out + sasl.err).doesNotContain(SECRET);
  }

  @Test
  void aCommandConfigThatCannotBeReadIsAnErrorNamingTheOption() {
    Run run =
        replay(
            Path.of("target", "no-such-file.properties"),
            TestKafka.shared().bootstrapServers(),
            "any");

    assertThat(run.exit).isEqualTo(2);
    assertThat(run.err)
        .contains(
            "--command-config " + Path.of("target", "no-such-file.properties") + " cannot be read");
  }

  private record Run(int exit, String out, String err) {}

  private static Path config(String text) throws Exception {
    Path file = Files.createTempFile(Path.of("target"), "replay-", ".properties");
    Files.writeString(file, text);
    return file;
  }

  private static Run replay(Path config, String bootstrap, String incident) {
    ReplayCommand command = new ReplayCommand();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    command.out = new PrintStream(out, true, StandardCharsets.UTF_8);
    command.err = new PrintStream(err, true, StandardCharsets.UTF_8);
    int exit =
        new CommandLine(command)
            .setErr(new PrintWriter(command.err, true))
            .setExecutionExceptionHandler(
                (e, commandLine, parsed) -> {
                  command.err.println(e.getClass().getName() + ": " + e.getMessage());
                  return 1;
                })
            .execute(
                "--bootstrap-servers",
                bootstrap,
                "--command-config",
                config.toString(),
                "--incident",
                incident);
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
