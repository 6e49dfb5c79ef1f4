package dev.lifeboat.testkit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A packaged Quarkus app (a module's {@code target/quarkus-app/quarkus-run.jar}) run as its own
 * process on a free port, for tests that need a real separate process: to kill it, or because two
 * Quarkus apps cannot share one JVM.
 */
public final class JarProcess {

  private JarProcess() {}

  /** A TCP port nobody listens on right now. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  /**
   * Starts the jar with the given system properties ({@code key=value}) on the given HTTP port, its
   * output in {@code log}, and returns once {@code /q/health/ready} answers 200.
   */
  public static Process start(Path jar, int port, List<String> properties, Path log) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-Dquarkus.http.port=" + port);
    properties.forEach(property -> command.add("-D" + property));
    command.add("-jar");
    command.add(jar.toString());
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + jar, e);
    }
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI ready = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException(
                    jar + " exited; see " + log + ":\n" + Files.readString(log));
              }
              return http.send(
                          HttpRequest.newBuilder(ready).build(),
                          HttpResponse.BodyHandlers.discarding())
                      .statusCode()
                  == 200;
            });
    return process;
  }

  /** The jar of a module of this reactor, found from the current directory upwards. */
  public static Path ofModule(String module) {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path jar = dir.resolve(Path.of(module, "target", "quarkus-app", "quarkus-run.jar"));
      if (Files.exists(jar)) {
        return jar;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        module + " is not packaged: run ./mvnw -pl " + module + " -am package -DskipTests");
  }
}
