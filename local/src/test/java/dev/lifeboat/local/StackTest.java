package dev.lifeboat.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.testkit.JarProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What stops the local run before it starts anything, and how it says what to do. */
class StackTest {

  @TempDir Path root;

  @Test
  void anAppThatIsNotBuiltIsNamedWithTheBuildCommand() {
    Stack stack = new Stack(settings(Ports.of(new AtomicInteger(40000)::incrementAndGet)));

    assertThatThrownBy(stack::checkReady)
        .hasMessageContaining("hcloud-sim is not built")
        .hasMessageContaining("./mvnw -B package -DskipTests");
  }

  @Test
  void aTakenPortIsNamedWithTheVariableThatMovesIt() throws IOException {
    for (String module :
        new String[] {
          "hcloud-sim",
          "cluster-sim",
          "audit-service",
          "volume-orchestrator",
          "hcloud-adapter",
          "node-watcher"
        }) {
      Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
      Files.createDirectories(jar.getParent());
      Files.writeString(jar, "");
    }
    try (ServerSocket taken = new ServerSocket(0)) {
      Ports defaults = Ports.of(JarProcess::freePort);
      Ports ports =
          new Ports(
              defaults.kafka(),
              defaults.kafkaController(),
              taken.getLocalPort(),
              defaults.hcloudSim(),
              defaults.kubernetes(),
              defaults.clusterSim(),
              defaults.audit(),
              defaults.orchestrator(),
              defaults.watcher(),
              defaults.adapter());
      Stack stack = new Stack(settings(ports));

      assertThatThrownBy(stack::checkReady)
          .hasMessageContaining("port " + taken.getLocalPort() + " is taken")
          .hasMessageContaining("LIFEBOAT_POSTGRES_PORT");
    }
  }

  @Test
  void portsComeFromTheEnvironmentAndABadOneIsRefusedByName() {
    Ports ports = Ports.fromEnvironment(Map.of("LIFEBOAT_KAFKA_PORT", "19092"));
    assertThat(ports.kafka()).isEqualTo(19092);
    assertThat(ports.hcloudSim()).isEqualTo(8765);
    assertThat(ports.kubernetes()).isEqualTo(8766);
    assertThat(ports.audit()).isEqualTo(8080);

    assertThatThrownBy(() -> Ports.fromEnvironment(Map.of("HCLOUD_SIM_PORT", "eighty")))
        .hasMessageContaining("HCLOUD_SIM_PORT=eighty is not a port");
    assertThatThrownBy(() -> Ports.fromEnvironment(Map.of("LIFEBOAT_AUDIT_PORT", "70000")))
        .hasMessageContaining("LIFEBOAT_AUDIT_PORT");
  }

  @Test
  void nothingRunsInAFreshHome() {
    Stack stack = new Stack(settings(Ports.fromEnvironment(Map.of())));

    assertThat(stack.anyAlive()).isFalse();
    assertThat(stack.status())
        .extracting(Stack.State::name)
        .containsExactly(
            "kafka",
            "postgres",
            "hcloud-sim",
            "cluster-sim",
            "audit-service",
            "volume-orchestrator",
            "hcloud-adapter",
            "node-watcher");
  }

  private Settings settings(Ports ports) {
    return new Settings(
        root,
        root.resolve(".lifeboat"),
        Path.of(System.getProperty("java.home"), "bin", "java"),
        ports,
        Optional.empty(),
        Map.of(),
        Duration.ofSeconds(30));
  }
}
