package dev.lifeboat.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every image builds from what {@code ./mvnw package} leaves in its module (the services are built
 * before this module in the reactor) and runs as a non-root user.
 */
class DockerfilesTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "node-watcher",
        "volume-orchestrator",
        "hcloud-adapter",
        "audit-service",
        "hcloud-sim",
        "cluster-sim"
      })
  void theImageCopiesOnlyWhatThePackageMadeAndRunsAsNonRoot(String module) throws Exception {
    Path dir = Repo.root().resolve(module);
    List<String> lines = Files.readAllLines(dir.resolve("src/main/docker/Dockerfile.jvm"));

    List<String> copies = lines.stream().filter(l -> l.startsWith("COPY ")).toList();
    assertThat(copies).isNotEmpty();
    for (String copy : copies) {
      String[] parts = copy.split("\\s+");
      String source = parts[parts.length - 2];
      try (var matches = Files.newDirectoryStream(dir.resolve(source).getParent(), glob(source))) {
        assertThat(matches.iterator().hasNext()).as(module + ": " + copy).isTrue();
      }
    }
    String user =
        lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();
    assertThat(user.substring(5).trim()).isNotIn("0", "root");
    assertThat(String.join("\n", lines)).contains("/q/health/live");
    // The context sent to the builder is the package's output only.
    List<String> ignored =
        Files.readAllLines(dir.resolve(".dockerignore")).stream()
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .toList();
    assertThat(ignored).as(module + "/.dockerignore").containsExactly("*", "!target/quarkus-app/");
    assertThat(copies)
        .allSatisfy(
            copy ->
                assertThat(copy.split("\\s+")[copy.split("\\s+").length - 2])
                    .startsWith("target/quarkus-app/"));
  }

  private static String glob(String source) {
    String name = Path.of(source).getFileName().toString();
    return name.isEmpty() ? "*" : name;
  }
}
