package dev.lifeboat.testkit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A packaged Quarkus app (a module's {@code target/quarkus-app/quarkus-run.jar}) run as its own
 * process on a free port, for tests that need a real separate process: to kill it, or because two
 * Quarkus apps cannot share one JVM.
 */
public final class JarProcess {

  private static final int PORTS_FROM = 20_000;
  private static final Random RANDOM = new SecureRandom();
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private JarProcess() {}

  /**
   * A TCP port nobody listens on right now, handed out once per JVM, and below the kernel's range
   * of ephemeral ports: a port from that range (what {@code new ServerSocket(0)} gives) can be
   * taken as the local end of any outgoing connection between the moment it is chosen and the
   * moment a child process binds it, which once stopped the local run's cluster-sim at start.
   */
  public static int freePort() {
    int below = ephemeralLow();
    int low = Math.min(PORTS_FROM, below - 1000);
    for (int tries = 0; tries < 500; tries++) {
      int port = low + RANDOM.nextInt(below - low);
      if (HANDED_OUT.add(port)) {
        if (bindable(port)) {
          return port;
        }
      }
    }
    throw new IllegalStateException("no free port between " + low + " and " + below);
  }

  /** The first port of the kernel's ephemeral range (Linux), else IANA's 49152. */
  static int ephemeralLow() {
    Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    try {
      int low = Integer.parseInt(Files.readString(range).trim().split("\\s+")[0]);
      return low > PORTS_FROM + 2000 ? low : 49152;
    } catch (IOException | RuntimeException e) {
      return 49152;
    }
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress("0.0.0.0", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Starts the jar with the given system properties ({@code key=value}) on the given HTTP port, its
   * output in {@code log}, and returns once {@code /q/health/ready} answers 200.
   */
  public static Process start(Path jar, int port, List<String> properties, Path log) {
    return start(jar, port, properties, java.util.Map.of(), log);
  }

  /**
   * Starts the jar as {@link #start(Path, int, List, Path)} does, with these environment variables
   * added: settings as a Kubernetes manifest passes them ({@code KAFKA_SASL_JAAS_CONFIG}).
   */
  public static Process start(
      Path jar, int port, List<String> properties, java.util.Map<String, String> env, Path log) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-Dquarkus.http.port=" + port);
    properties.forEach(property -> command.add("-D" + property));
    command.add("-jar");
    command.add(jar.toString());
    Process process;
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().putAll(env);
      process = builder.start();
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
