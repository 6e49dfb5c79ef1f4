package dev.lifeboat.local;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The whole of Lifeboat on one machine, as processes: a Kafka broker and a PostgreSQL (each a JVM
 * of this module), hcloud-sim, cluster-sim and the four services, started in waves (what a wave
 * needs is up before it starts), each with its log in {@code <home>/logs/} and its pid in {@code
 * <home>/run/}, so that a later command finds them. Used by {@code ./lifeboat} and by the
 * end-to-end tests.
 */
public final class Stack {

  /** The bearer token of the local run (adapter to hcloud-sim, the orchestrator's API). */
  public static final String TOKEN = "lifeboat-local";

  /**
   * The JVM settings of each service of the local run (and of the simulators): a heap of at most
   * 256 MB, and the first JIT tier only, which starts faster and is enough on 2 shared cores
   * (docs/benchmarks.md, "Idle memory").
   */
  public static final List<String> SERVICE_JVM = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");

  /** The environment variable that replaces {@link #SERVICE_JVM} (space-separated options). */
  public static final String SERVICE_JVM_VARIABLE = "LIFEBOAT_SERVICE_JVM";

  /**
   * The services' JVM options: {@value #SERVICE_JVM_VARIABLE} where set (to measure the settings of
   * a deployment, e.g. {@code -Xmx256m} with every JIT tier), else {@link #SERVICE_JVM}.
   */
  public static List<String> serviceJvm(Map<String, String> env) {
    String set = env.get(SERVICE_JVM_VARIABLE);
    return set == null || set.isBlank() ? SERVICE_JVM : List.of(set.strip().split("\\s+"));
  }

  /** Topic prefix of the local run. */
  public static final String TOPIC_PREFIX = "lifeboat.";

  /** How a component shows it is up. */
  enum Health {
    /** It wrote its ready file. */
    READY_FILE,
    /**
     * {@code GET /q/health} answers 200: live and ready (for the orchestrator that includes its
     * Kafka Streams being RUNNING, not only its topics existing).
     */
    HTTP
  }

  /**
   * One process of the stack.
   *
   * @param wave components of a wave start together, after the previous wave is up
   */
  public record Component(
      String name,
      int wave,
      int port,
      Health health,
      List<String> command,
      Map<String, String> environment) {}

  /** What a start shows while it goes. */
  public interface Progress {
    void starting(String component);

    void up(String component, Duration took);
  }

  /** One component's state. */
  public record State(String name, int port, Optional<Long> pid, boolean alive, boolean healthy) {}

  private final Settings settings;
  private final Map<String, Map<String, String>> environment;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  public Stack(Settings settings) {
    this(settings, Map.of());
  }

  private Stack(Settings settings, Map<String, Map<String, String>> environment) {
    this.settings = settings;
    this.environment = environment;
  }

  /**
   * The same stack with these environment variables added to one component's (a Hetzner token made
   * for a run, say), on every start of it, restarts included.
   */
  public Stack withEnvironment(String component, Map<String, String> variables) {
    Map<String, Map<String, String>> all = new LinkedHashMap<>(environment);
    Map<String, String> merged = new LinkedHashMap<>(all.getOrDefault(component, Map.of()));
    merged.putAll(variables);
    all.put(component, Map.copyOf(merged));
    return new Stack(settings, Map.copyOf(all));
  }

  public Settings settings() {
    return settings;
  }

  /** The components, in start order. */
  public List<Component> components() {
    Ports ports = settings.ports();
    Path data = settings.home().resolve("data");
    List<Component> all = new ArrayList<>();
    all.add(
        helper(
            "kafka",
            0,
            ports.kafka(),
            "-Xmx512m",
            LocalKafka.class,
            data.resolve("kafka").toString(),
            Integer.toString(ports.kafka()),
            Integer.toString(ports.kafkaController()),
            TOPIC_PREFIX,
            readyFile("kafka").toString()));
    all.add(
        helper(
            "postgres",
            0,
            ports.postgres(),
            "-Xmx128m",
            LocalPostgres.class,
            data.resolve("postgres").toString(),
            Integer.toString(ports.postgres()),
            readyFile("postgres").toString()));
    Map<String, String> sim = new LinkedHashMap<>();
    settings.scenario().ifPresent(s -> sim.put("hcloud-sim.scenario", s.toString()));
    all.add(app("hcloud-sim", 0, ports.hcloudSim(), sim, Map.of()));
    String kafka = "127.0.0.1:" + ports.kafka();
    all.add(
        app(
            "cluster-sim",
            1,
            ports.clusterSim(),
            Map.of(
                "cluster-sim.api-port", Integer.toString(ports.kubernetes()),
                "cluster-sim.kubeconfig", kubeconfig().toString(),
                "cluster-sim.hcloud.url", "http://127.0.0.1:" + ports.hcloudSim()),
            Map.of()));
    all.add(
        app(
            "audit-service",
            2,
            ports.audit(),
            Map.of(
                "kafka.bootstrap.servers",
                kafka,
                "quarkus.datasource.jdbc.url",
                "jdbc:postgresql://127.0.0.1:" + ports.postgres() + "/lifeboat",
                // The local run's pages and curl read without a token; admin requests need it.
                "lifeboat.api.protect-reads",
                "false"),
            Map.of("LIFEBOAT_API_TOKEN", TOKEN)));
    all.add(
        app(
            "volume-orchestrator",
            2,
            ports.orchestrator(),
            Map.of(
                "kafka.bootstrap.servers",
                kafka,
                "kafka-streams.state.dir",
                data.resolve("orchestrator").toString(),
                "kafka-streams.num.standby.replicas",
                "0"),
            Map.of("LIFEBOAT_API_TOKEN", TOKEN)));
    all.add(
        app(
            "hcloud-adapter",
            2,
            ports.adapter(),
            Map.of(
                "kafka.bootstrap.servers",
                kafka,
                "lifeboat.hcloud.url",
                "http://127.0.0.1:" + ports.hcloudSim() + "/v1"),
            Map.of("LIFEBOAT_HCLOUD_TOKEN", TOKEN)));
    all.add(
        app(
            "node-watcher",
            2,
            ports.watcher(),
            Map.of(
                "kafka.bootstrap.servers",
                kafka,
                "quarkus.kubernetes-client.api-server-url",
                "http://127.0.0.1:" + ports.kubernetes(),
                "lifeboat.watcher.leader.identity",
                "local-watcher"),
            Map.of()));
    return all.stream().map(this::withItsEnvironment).toList();
  }

  private Component withItsEnvironment(Component component) {
    Map<String, String> extra = environment.get(component.name());
    if (extra == null) {
      return component;
    }
    Map<String, String> merged = new LinkedHashMap<>(component.environment());
    merged.putAll(extra);
    return new Component(
        component.name(),
        component.wave(),
        component.port(),
        component.health(),
        component.command(),
        Map.copyOf(merged));
  }

  /** The kubeconfig cluster-sim writes. */
  public Path kubeconfig() {
    return settings.home().resolve("kubeconfig");
  }

  /** Where a component's log goes. */
  public Path log(String component) {
    return settings.home().resolve("logs").resolve(component + ".log");
  }

  /**
   * Starts everything from a clean state (the simulators start from their scenario, so Kafka and
   * the database start empty too) and returns once all are up; on a failure stops what it started
   * and throws with the end of the failing log.
   */
  public void up(Progress progress) {
    if (anyAlive()) {
      throw new IllegalStateException(
          "Lifeboat is already running here (" + settings.home() + "): ./lifeboat down first");
    }
    checkReady();
    try {
      deleteRecursively(settings.home().resolve("data"));
      deleteRecursively(settings.home().resolve("run"));
      // Each run's logs begin empty; a component started again appends to its log.
      deleteRecursively(settings.home().resolve("logs"));
      Files.createDirectories(settings.home().resolve("logs"));
      Files.createDirectories(settings.home().resolve("run"));
      Files.createDirectories(settings.home().resolve("data"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + settings.home(), e);
    }
    List<Component> all = components();
    int waves = all.stream().mapToInt(Component::wave).max().orElse(0);
    try {
      for (int wave = 0; wave <= waves; wave++) {
        int current = wave;
        List<Component> these = all.stream().filter(c -> c.wave() == current).toList();
        Map<Component, Instant> started = new LinkedHashMap<>();
        for (Component component : these) {
          progress.starting(component.name());
          start(component);
          started.put(component, Instant.now());
        }
        awaitUp(started, progress);
      }
    } catch (RuntimeException e) {
      down();
      throw e;
    }
  }

  /**
   * Stops one component and starts it again with these environment variables added (a token, say),
   * returning once it is up; the rest of the stack runs on.
   */
  public void restart(String name, Map<String, String> environment, Progress progress) {
    Component component = component(name);
    stop(List.of(component));
    Map<String, String> changed = new LinkedHashMap<>(component.environment());
    changed.putAll(environment);
    Component again =
        new Component(
            component.name(),
            component.wave(),
            component.port(),
            component.health(),
            component.command(),
            changed);
    progress.starting(name);
    start(again);
    awaitUp(Map.of(again, Instant.now()), progress);
  }

  /**
   * Kills one component at once, its whole process tree with SIGKILL (as a node losing power, or
   * Kubernetes killing a container, does): no shutdown hook runs, nothing is flushed. Returns once
   * it is gone.
   */
  public void kill(String name) {
    Component component = component(name);
    List<ProcessHandle> roots = new ArrayList<>();
    pid(name).flatMap(ProcessHandle::of).ifPresent(roots::add);
    if (name.equals("postgres")) {
      // pg_ctl leaves the server to init, outside the helper's tree: the postmaster's own pid.
      postmaster().flatMap(ProcessHandle::of).ifPresent(roots::add);
    }
    roots.forEach(
        handle -> {
          List<ProcessHandle> tree = new ArrayList<>(handle.descendants().toList());
          tree.add(handle);
          tree.forEach(ProcessHandle::destroyForcibly);
          for (ProcessHandle process : tree) {
            try {
              process.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
              throw new IllegalStateException(
                  name + " (pid " + process.pid() + ") did not die within 20 s", e);
            }
          }
        });
    try {
      Files.deleteIfExists(pidFile(component.name()));
      Files.deleteIfExists(readyFile(component.name()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts one component that is not running, on its data as it is, and waits until it is up. */
  public void start(String name, Progress progress) {
    Component component = component(name);
    if (pid(name).flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false)) {
      throw new IllegalStateException(name + " runs already");
    }
    progress.starting(name);
    start(component);
    awaitUp(Map.of(component, Instant.now()), progress);
  }

  /** The PostgreSQL server's pid, from its data directory, while it has one. */
  Optional<Long> postmaster() {
    Path file = settings.home().resolve("data/postgres/data/postmaster.pid");
    try {
      return Files.exists(file)
          ? Optional.of(Long.parseLong(Files.readAllLines(file).get(0).trim()))
          : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private Component component(String name) {
    return components().stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(name + " is not a component"));
  }

  /** Stops every component that runs (its whole process tree), newest first. */
  public void down() {
    List<Component> all = new ArrayList<>(components());
    all.sort(Comparator.comparingInt(Component::wave).reversed());
    stop(all);
  }

  /** Stops these components (each one's whole process tree), in this order, and waits. */
  private void stop(List<Component> all) {
    List<ProcessHandle> stopping = new ArrayList<>();
    for (Component component : all) {
      pid(component.name())
          .flatMap(ProcessHandle::of)
          .ifPresent(
              handle -> {
                handle.descendants().forEach(ProcessHandle::destroy);
                handle.destroy();
                stopping.add(handle);
              });
    }
    Instant deadline = Instant.now().plusSeconds(20);
    for (ProcessHandle handle : stopping) {
      try {
        handle
            .onExit()
            .get(
                Math.max(1, Duration.between(Instant.now(), deadline).toMillis()),
                TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        handle.descendants().forEach(ProcessHandle::destroyForcibly);
        handle.destroyForcibly();
      }
    }
    for (Component component : all) {
      try {
        Files.deleteIfExists(pidFile(component.name()));
        Files.deleteIfExists(readyFile(component.name()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Every component's state. */
  public List<State> status() {
    return components().stream()
        .map(
            c -> {
              Optional<Long> pid = pid(c.name());
              boolean alive =
                  pid.flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
              return new State(c.name(), c.port(), pid, alive, alive && healthy(c));
            })
        .toList();
  }

  /** A component whose process ended before it was up (what it needs was not there, say). */
  public static final class StoppedAtStart extends IllegalStateException {
    StoppedAtStart(String message) {
      super(message);
    }
  }

  /** Whether any component of this home runs. */
  public boolean anyAlive() {
    return status().stream().anyMatch(State::alive);
  }

  /** Whether every component runs and is healthy. */
  public boolean allHealthy() {
    return status().stream().allMatch(State::healthy);
  }

  /** The prerequisites: packaged apps and free ports; a message saying what to do otherwise. */
  public void checkReady() {
    for (Component component : components()) {
      if (component.health() == Health.HTTP) {
        Path jar = jar(component.name());
        if (!Files.exists(jar)) {
          throw new IllegalStateException(
              component.name()
                  + " is not built ("
                  + jar
                  + " is missing): run ./mvnw -B package -DskipTests");
        }
      }
    }
    Map<String, Integer> byVariable = settings.ports().byVariable();
    for (Map.Entry<String, Integer> port : byVariable.entrySet()) {
      if (!free(port.getValue())) {
        throw new IllegalStateException(
            "port "
                + port.getValue()
                + " is taken (by another program, or a Lifeboat started elsewhere): stop what uses"
                + " it, or set "
                + port.getKey()
                + " to a free port");
      }
    }
  }

  private void awaitUp(Map<Component, Instant> started, Progress progress) {
    Instant deadline = Instant.now().plus(settings.startTimeout());
    Map<Component, Instant> waiting = new LinkedHashMap<>(started);
    while (!waiting.isEmpty()) {
      for (var it = waiting.entrySet().iterator(); it.hasNext(); ) {
        var entry = it.next();
        Component component = entry.getKey();
        boolean alive =
            pid(component.name())
                .flatMap(ProcessHandle::of)
                .map(ProcessHandle::isAlive)
                .orElse(false);
        if (!alive) {
          throw new StoppedAtStart(
              component.name()
                  + " stopped at start; the end of "
                  + log(component.name())
                  + ":\n"
                  + tail(component.name()));
        }
        if (healthy(component)) {
          progress.up(component.name(), Duration.between(entry.getValue(), Instant.now()));
          it.remove();
        }
      }
      if (waiting.isEmpty()) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        Component late = waiting.keySet().iterator().next();
        throw new IllegalStateException(
            late.name()
                + " was not up within "
                + settings.startTimeout().toSeconds()
                + " s; the end of "
                + log(late.name())
                + ":\n"
                + tail(late.name()));
      }
      try {
        Thread.sleep(250); // polling other processes' health, not waiting for a result of ours
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting", e);
      }
    }
  }

  private void start(Component component) {
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      // Its own session: closing the terminal that ran ./lifeboat up does not stop it.
      command.add("/usr/bin/setsid");
    }
    command.addAll(component.command());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(settings.root().toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log(component.name()).toFile()));
    builder.environment().putAll(component.environment());
    try {
      Process process = builder.start();
      Files.writeString(pidFile(component.name()), Long.toString(process.pid()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + component.name(), e);
    }
  }

  private boolean healthy(Component component) {
    if (component.health() == Health.READY_FILE) {
      return Files.exists(readyFile(component.name()));
    }
    try {
      return http.send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + component.port() + "/q/health"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private Component helper(
      String name, int wave, int port, String heap, Class<?> main, String... args) {
    List<String> command = new ArrayList<>();
    command.add(settings.java().toString());
    command.add(heap);
    command.add("-Djava.util.logging.manager=org.jboss.logmanager.LogManager");
    command.add("-cp");
    command.add(settings.root().resolve("local/target/lifeboat-local.jar").toString());
    command.add(main.getName());
    command.addAll(List.of(args));
    return new Component(name, wave, port, Health.READY_FILE, command, Map.of());
  }

  private Component app(
      String name,
      int wave,
      int port,
      Map<String, String> properties,
      Map<String, String> environment) {
    List<String> command = new ArrayList<>();
    command.add(settings.java().toString());
    command.addAll(serviceJvm(System.getenv()));
    command.add("-Dquarkus.http.port=" + port);
    properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    settings
        .properties()
        .getOrDefault(name, Map.of())
        .forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.add("-jar");
    command.add(jar(name).toString());
    return new Component(name, wave, port, Health.HTTP, command, environment);
  }

  private Path jar(String module) {
    return settings.root().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
  }

  private Path pidFile(String component) {
    return settings.home().resolve("run").resolve(component + ".pid");
  }

  private Path readyFile(String component) {
    return settings.home().resolve("run").resolve(component + ".ready");
  }

  /**
   * The pid a component was started with, from its pid file; no look at its health (which would
   * make the adapter probe the Hetzner API).
   */
  public Optional<Long> pid(String component) {
    try {
      Path file = pidFile(component);
      return Files.exists(file)
          ? Optional.of(Long.parseLong(Files.readString(file).trim()))
          : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private String tail(String component) {
    try {
      List<String> lines = Files.readAllLines(log(component));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket(port)) {
      socket.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
