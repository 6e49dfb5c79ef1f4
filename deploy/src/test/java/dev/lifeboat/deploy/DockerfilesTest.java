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

  /**
   * The images are built for amd64 and arm64 (Hetzner's CAX servers): every native library the
   * packaged application carries for Linux on x86-64 (RocksDB, and Kafka's lz4, zstd and snappy
   * codecs) it carries for aarch64 too. One exception, named: brotli4j's native jar, which Maven
   * picks for the building machine; it serves only Netty's HTTP Brotli compression, which no
   * service turns on ({@code quarkus.http.enable-compression} is unset), and Netty does without it
   * where it is missing.
   */
  @ParameterizedTest
  @ValueSource(strings = {"node-watcher", "volume-orchestrator", "hcloud-adapter", "audit-service"})
  void everyNativeLibraryThePackageCarriesForAmd64ItCarriesForArm64(String module)
      throws Exception {
    Path lib = Repo.root().resolve(module).resolve("target/quarkus-app/lib/main");
    assertThat(lib).as("./mvnw package has run").isDirectory();
    java.util.Map<String, List<String>> x86 = new java.util.TreeMap<>();
    java.util.Map<String, List<String>> arm = new java.util.TreeMap<>();
    try (var jars = Files.newDirectoryStream(lib, "*.jar")) {
      for (Path jar : jars) {
        String name = jar.getFileName().toString();
        if (name.startsWith("com.aayushatharva.brotli4j.native-linux-x86_64-")) {
          continue;
        }
        try (var zip = new java.util.zip.ZipFile(jar.toFile())) {
          List<String> libraries =
              zip.stream()
                  .map(java.util.zip.ZipEntry::getName)
                  .filter(entry -> entry.endsWith(".so"))
                  .map(entry -> entry.toLowerCase(java.util.Locale.ROOT))
                  .filter(entry -> entry.contains("linux") && !entry.contains("musl"))
                  .toList();
          x86.put(
              name,
              libraries.stream().filter(e -> e.matches(".*(amd64|x86_64|linux64).*")).toList());
          arm.put(name, libraries.stream().filter(e -> e.contains("aarch64")).toList());
        }
      }
    }

    assertThat(x86.values()).as(module + " carries native libraries").anyMatch(l -> !l.isEmpty());
    x86.forEach(
        (jar, libraries) -> {
          if (!libraries.isEmpty()) {
            assertThat(arm.get(jar)).as(module + ": " + jar + " for aarch64").isNotEmpty();
          }
        });
  }

  /**
   * Where a container builder answers ({@code docker info}), each service's image is built from its
   * Dockerfile and runs as the non-root user 185. Where none does (this machine and CI: no engine,
   * and the base image's registry is out of reach), the test says so and the checks above of the
   * Dockerfiles' inputs are what holds.
   */
  @org.junit.jupiter.api.Test
  void everyServicesImageBuildsWhereAContainerBuilderAnswers() {
    java.util.Optional<Path> docker = dev.lifeboat.testkit.OutsideTools.find("docker");
    boolean answers =
        docker.isPresent()
            && dev.lifeboat.testkit.CommandRun.run(
                        List.of(docker.get().toString(), "info"),
                        java.util.Map.of(),
                        java.time.Duration.ofSeconds(20))
                    .exitCode()
                == 0;
    if (!answers) {
      String reason =
          "no container builder answers here (docker info): the images are not built; the"
              + " Dockerfiles' inputs are checked instead";
      System.out.println("SKIPPED: " + reason);
      org.junit.jupiter.api.Assumptions.abort(reason);
    }
    for (String service :
        List.of("node-watcher", "volume-orchestrator", "hcloud-adapter", "audit-service")) {
      String tag = "lifeboat-test/" + service + ":check";
      var build =
          dev.lifeboat.testkit.CommandRun.run(
              List.of(
                  docker.get().toString(),
                  "build",
                  "--file",
                  Repo.root().resolve(service + "/src/main/docker/Dockerfile.jvm").toString(),
                  "--tag",
                  tag,
                  Repo.root().resolve(service).toString()),
              java.util.Map.of(),
              java.time.Duration.ofMinutes(10));
      assertThat(build.exitCode()).as(service + ": " + build.stderr()).isZero();
      var user =
          dev.lifeboat.testkit.CommandRun.run(
              List.of(
                  docker.get().toString(), "image", "inspect", "--format", "{{.Config.User}}", tag),
              java.util.Map.of(),
              java.time.Duration.ofSeconds(30));
      assertThat(user.stdout().strip()).as(service + "'s user").isEqualTo("185");
    }
  }

  private static String glob(String source) {
    String name = Path.of(source).getFileName().toString();
    return name.isEmpty() ? "*" : name;
  }
}
