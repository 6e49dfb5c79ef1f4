package dev.lifeboat.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.events.IncidentId;
import dev.lifeboat.events.node.ServerDisposal;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./lifeboat}: the whole of Lifeboat on this machine, on embedded defaults. */
@Command(
    name = "lifeboat",
    mixinStandardHelpOptions = true,
    description =
        "Runs Lifeboat locally: Kafka, PostgreSQL, simulated Hetzner and cluster, the four services.",
    subcommands = {
      Lifeboat.Demo.class,
      Lifeboat.Up.class,
      Lifeboat.KillNode.class,
      Lifeboat.RemoveNode.class,
      Lifeboat.Status.class,
      Lifeboat.Down.class,
      Lifeboat.Bench.class,
      Lifeboat.ChaosRounds.class,
      Images.class
    })
public final class Lifeboat implements Runnable {

  /** The node the demo loses. */
  public static final String DEMO_NODE = "demo-worker-fsn1-1";

  static final PrintStream OUT = System.out;

  public static void main(String[] args) {
    int code =
        new CommandLine(new Lifeboat())
            .setExecutionExceptionHandler(
                (e, line, parsed) -> {
                  System.err.println("lifeboat: " + e.getMessage());
                  return 1;
                })
            .execute(args);
    System.exit(code);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(OUT);
  }

  static Stack stack() {
    Path root = Path.of(System.getProperty("lifeboat.root", ".")).toAbsolutePath().normalize();
    return new Stack(Settings.local(root, System.getenv()));
  }

  static void up(Stack stack) {
    OUT.println(
        "Starting Lifeboat (logs in "
            + relative(stack, stack.settings().home().resolve("logs"))
            + "/)");
    stack.up(
        new Stack.Progress() {
          @Override
          public void starting(String component) {
            OUT.printf("  %-20s starting%n", component);
          }

          @Override
          public void up(String component, Duration took) {
            OUT.printf("  %-20s up in %.1f s%n", component, took.toMillis() / 1000.0);
          }
        });
  }

  static String relative(Stack stack, Path path) {
    Path cwd = Path.of("").toAbsolutePath();
    return path.startsWith(cwd) ? cwd.relativize(path).toString() : path.toString();
  }

  static void endpoints(Stack stack) {
    Ports p = stack.settings().ports();
    OUT.println("Lifeboat is up:");
    OUT.printf(
        "  Kafka            127.0.0.1:%d            kcat -b 127.0.0.1:%d -L%n",
        p.kafka(), p.kafka());
    OUT.printf(
        "  Kubernetes API   http://127.0.0.1:%d    kubectl --kubeconfig %s get nodes%n",
        p.kubernetes(), relative(stack, stack.kubeconfig()));
    OUT.printf(
        "  Hetzner API      http://127.0.0.1:%d/v1 HCLOUD_ENDPOINT=http://127.0.0.1:%d/v1 HCLOUD_TOKEN=%s hcloud volume list%n",
        p.hcloudSim(), p.hcloudSim(), Stack.TOKEN);
    OUT.printf(
        "  Incidents        http://127.0.0.1:%d/api/incidents (audit, timeline pages under /timeline/<id>)%n",
        p.audit());
    OUT.printf(
        "  Orchestrator     http://127.0.0.1:%d/api/incidents (token %s for changes, here and for the audit's admin requests)%n",
        p.orchestrator(), Stack.TOKEN);
  }

  /** Start, lose a node, follow its volumes, print the summary, stop. */
  @Command(
      name = "demo",
      description =
          "Start Lifeboat, lose a node, show its volumes moving, stop; exit 0 when all moved.")
  static final class Demo implements Callable<Integer> {
    @Option(
        names = "--node",
        description = "The node to lose (default ${DEFAULT-VALUE}).",
        defaultValue = DEMO_NODE)
    String node;

    @Option(
        names = "--mode",
        description = "crash, hang, delete or shutdown (default ${DEFAULT-VALUE}).",
        defaultValue = "crash")
    String mode;

    @Option(names = "--keep", description = "Leave Lifeboat running afterwards.")
    boolean keep;

    @Override
    public Integer call() {
      LocalApis.Mode how = Lifeboat.mode(mode);
      Stack stack = stack();
      boolean started = !stack.anyAlive();
      if (started) {
        up(stack);
      } else if (!stack.allHealthy()) {
        throw new IllegalStateException(
            "Lifeboat runs here but not every part is up: ./lifeboat status");
      }
      try {
        LocalApis apis = new LocalApis(stack.settings().ports());
        Failover failover = new Failover(apis, OUT::println);
        Failover.Outcome outcome = failover.run(node, how, Duration.ofMinutes(5));
        OUT.println();
        failover.summary(outcome).forEach(OUT::println);
        boolean allMoved =
            outcome.status().equals("COMPLETED")
                && outcome.volumesMoved() == outcome.volumesTotal()
                && outcome.volumesTotal() > 0;
        OUT.println(
            allMoved
                ? String.format(
                    "Every volume moved: %.1f s from the kill to the last pod Ready.",
                    outcome.toLastPodReady().orElseThrow().toMillis() / 1000.0)
                : "Not every volume moved: see the timeline above.");
        return allMoved ? 0 : 1;
      } finally {
        if (started && !keep) {
          OUT.println("Stopping Lifeboat");
          stack.down();
        }
      }
    }
  }

  /** Start and leave it running. */
  @Command(name = "up", description = "Start Lifeboat and leave it running (stop with down).")
  static final class Up implements Callable<Integer> {
    @Override
    public Integer call() {
      Stack stack = stack();
      up(stack);
      endpoints(stack);
      OUT.println(
          "Try: ./lifeboat kill-node "
              + DEMO_NODE
              + ", then ./lifeboat status; stop with ./lifeboat down");
      return 0;
    }
  }

  /** Lose a node. */
  @Command(name = "kill-node", description = "Lose a node of the running cluster.")
  static final class KillNode implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "The node (= server) name.")
    String node;

    @Option(
        names = "--mode",
        description = "crash (default), hang, delete or shutdown.",
        defaultValue = "crash")
    String mode;

    @Override
    public Integer call() {
      Stack stack = stack();
      if (!stack.allHealthy()) {
        throw new IllegalStateException("Lifeboat is not up here: ./lifeboat up first");
      }
      LocalApis apis = new LocalApis(stack.settings().ports());
      LocalApis.Server server = apis.killNode(node, Lifeboat.mode(mode));
      OUT.printf(
          "Lost %s (%s): server %d in %s. Follow it with ./lifeboat status or %s/api/incidents%n",
          node, mode, server.id(), server.location(), apis.orchestrator());
      return 0;
    }
  }

  /** Asks Lifeboat to remove a node on purpose, as the annotation does on a real cluster. */
  @Command(
      name = "remove-node",
      description =
          "Remove a node of the running cluster on purpose: Lifeboat drains it, moves every"
              + " volume, then deletes, powers off or keeps its server. It annotates the Node"
              + " (lifeboat.dev/remove), as kubectl annotate does on a real cluster.")
  static final class RemoveNode implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "The node (= server) name.")
    String node;

    @Option(
        names = "--then",
        description = "What becomes of the server: delete (default), poweroff or keep.",
        defaultValue = "delete")
    String then;

    @Option(
        names = "--cancel",
        description = "Take the annotation off instead: cancels a removal under way.")
    boolean cancel;

    @Override
    public Integer call() {
      ServerDisposal disposal =
          ServerDisposal.of(then)
              .orElseThrow(
                  () ->
                      new CommandLine.ParameterException(
                          new CommandLine(this),
                          "--then " + then + ": must be one of " + ServerDisposal.words()));
      Stack stack = stack();
      if (!stack.allHealthy()) {
        throw new IllegalStateException("Lifeboat is not up here: ./lifeboat up first");
      }
      LocalApis apis = new LocalApis(stack.settings().ports());
      JsonNode updated =
          apis.annotateNode(node, REMOVE_ANNOTATION, cancel ? null : disposal.word());
      String removal = IncidentId.forRemoval(node, updated.path("metadata").path("uid").asText());
      if (cancel) {
        OUT.printf("Asked to cancel removal %s of %s.%n", removal, node);
      } else {
        OUT.printf(
            "Asked to remove %s, then %s its server: removal %s. Follow it with ./lifeboat status"
                + " or %s/api/incidents/%s%n",
            node, disposal.word(), removal, apis.orchestrator(), removal);
      }
      return 0;
    }
  }

  /** The annotation that asks node-watcher for a node's removal. */
  static final String REMOVE_ANNOTATION = "lifeboat.dev/remove";

  /** What runs, and the incidents. */
  @Command(name = "status", description = "Show each process and the incidents.")
  static final class Status implements Callable<Integer> {
    @Override
    public Integer call() {
      Stack stack = stack();
      boolean all = true;
      for (Stack.State state : stack.status()) {
        String what =
            state.healthy() ? "up" : state.alive() ? "starting or unhealthy" : "not running";
        all &= state.healthy();
        OUT.printf(
            "  %-20s %-22s port %-5d %s%n",
            state.name(), what, state.port(), state.pid().map(pid -> "pid " + pid).orElse(""));
      }
      if (!stack.anyAlive()) {
        OUT.println("Lifeboat is not running here: ./lifeboat up");
        return 1;
      }
      try {
        LocalApis apis = new LocalApis(stack.settings().ports());
        JsonNode incidents = apis.get(apis.orchestrator() + "/api/incidents", false);
        OUT.println(incidents.isEmpty() ? "No incident." : "Incidents:");
        for (JsonNode incident : incidents) {
          long moved = 0;
          for (JsonNode volume : incident.path("volumes")) {
            moved += volume.path("phase").asText().equals("MOVED") ? 1 : 0;
          }
          OUT.printf(
              "  %s  %-20s %-10s %d/%d volumes moved  %s/timeline/%s%n",
              incident.path("incidentId").asText(),
              incident.path("node").asText(),
              incident.path("status").asText(),
              moved,
              incident.path("volumes").size(),
              apis.audit(),
              incident.path("incidentId").asText());
        }
      } catch (RuntimeException e) {
        OUT.println("Incidents: the orchestrator does not answer (" + e.getMessage() + ")");
      }
      return all ? 0 : 1;
    }
  }

  /** A benchmark on the local run (docs/benchmarks.md). */
  @Command(
      name = "bench",
      description =
          "Benchmark on the local run: 'node' crashes a node of N volumes R times and prints the"
              + " times and Hetzner requests (median, p99); 'storm' crashes M nodes of N volumes"
              + " at once, R times, with instant Hetzner actions and the guards opened, and prints"
              + " volume failovers per second; 'budget' moves --total volumes under the project's"
              + " rate limit and prints how close that came to the fastest the budget allows;"
              + " 'removal' removes N-volume nodes on purpose and prints the time to empty and"
              + " delete each, and the Hetzner requests per moved volume;"
              + " 'idle' prints each service's resident memory on the demo world, untouched."
              + " Needs Lifeboat not running here.")
  static final class Bench implements Callable<Integer> {
    @Parameters(paramLabel = "SCENARIO", description = "node, storm, budget, removal or idle")
    String scenario;

    @Option(
        names = "--volumes",
        description = "Volumes on each lost node (default ${DEFAULT-VALUE}).",
        defaultValue = "8")
    int volumes;

    @Option(
        names = "--nodes",
        description = "storm: nodes lost at once in each run (default ${DEFAULT-VALUE}).",
        defaultValue = "10")
    int nodes;

    @Option(
        names = "--runs",
        description = "How many runs, one after another (default: node 5, storm 3).")
    Integer runs;

    @Option(
        names = "--csi-attacher",
        description =
            "node: the simulated CSI attacher races Lifeboat, attaching each volume where its"
                + " new pod landed the moment the pod is bound (as the hcloud CSI driver does).")
    boolean csiAttacher;

    @Option(
        names = "--png",
        description =
            "node: write a picture of the median run (each volume's steps and Hetzner actions on"
                + " a time line from the kill) to this PNG file.")
    Path png;

    @Option(
        names = "--property",
        paramLabel = "COMPONENT:KEY=VALUE",
        description =
            "A system property of one process for this benchmark, over the scenario's (repeat it),"
                + " e.g. hcloud-adapter:lifeboat.hcloud.poll.attach-slack=0s.")
    List<String> property = new ArrayList<>();

    @Option(
        names = "--total",
        description = "budget: volumes to move, 8 per lost node (default ${DEFAULT-VALUE}).",
        defaultValue = "2000")
    int total;

    @Option(
        names = "--capacity",
        description = "budget: the project's bucket of requests (default ${DEFAULT-VALUE}).",
        defaultValue = "3600")
    int capacity;

    @Option(
        names = "--refill",
        description = "budget: requests added back per second (default ${DEFAULT-VALUE}).",
        defaultValue = "1")
    double refill;

    @Option(
        names = "--seconds",
        description = "idle: how long to sample once everything is up (default ${DEFAULT-VALUE}).",
        defaultValue = "60")
    int seconds;

    @Override
    public Integer call() throws IOException {
      if (scenario.equals("budget")) {
        return budget();
      }
      if (scenario.equals("idle")) {
        return idle();
      }
      boolean storm = scenario.equals("storm");
      boolean removal = scenario.equals("removal");
      if (!storm && !removal && !scenario.equals("node")) {
        throw new IllegalArgumentException(
            "bench " + scenario + ": the scenario is node, storm, budget, removal or idle");
      }
      int runCount = runs != null ? runs : storm ? 3 : 5;
      if (volumes < 1 || volumes > 16 || runCount < 1 || runCount > 20 || nodes < 1 || nodes > 40) {
        throw new IllegalArgumentException(
            "--volumes must be 1..16 (Hetzner's limit per server), --runs 1..20, --nodes 1..40");
      }
      Settings settings = notRunning().settings();
      Files.createDirectories(settings.home());
      Path world = settings.home().resolve("bench-" + scenario + ".yaml");
      Files.writeString(
          world,
          storm
              ? BenchStorm.scenario(runCount, nodes, volumes)
              : BenchNode.scenario(runCount, volumes));
      Settings benchSettings = settings.withScenario(world);
      if (storm) {
        benchSettings = benchSettings.withProperties(BenchStorm.properties(nodes, volumes));
      }
      benchSettings = benchSettings.withProperties(Settings.properties(property));
      Stack stack = new Stack(benchSettings);
      up(stack);
      Optional<ResidentMemory> memory = ResidentMemory.sample(stack);
      try {
        LocalApis apis = new LocalApis(settings.ports());
        String kafka = "127.0.0.1:" + settings.ports().kafka();
        long recordsBefore = KafkaFloor.recordsOnTopics(kafka, Stack.TOPIC_PREFIX);
        CpuTime.Snapshot cpuBefore = CpuTime.take(stack);
        int exit =
            storm
                ? storm(apis, runCount, world)
                : removal
                    ? BenchRemoval.run(apis, runCount, volumes, OUT)
                    : node(apis, runCount, world);
        CpuTime.Snapshot cpuAfter = CpuTime.take(stack);
        memory.ifPresent(m -> printMemory(m.report()));
        if (exit == 0) {
          long records = KafkaFloor.recordsOnTopics(kafka, Stack.TOPIC_PREFIX) - recordsBefore;
          int moved = runCount * volumes * (storm ? nodes : 1);
          CpuTime.report(cpuBefore, cpuAfter, moved, Runtime.getRuntime().availableProcessors())
              .forEach(OUT::println);
          OUT.printf(
              "records on Lifeboat's topics per moved volume: %.1f (%d records, %d volumes)%n",
              records / (double) moved, records, moved);
          OUT.println(KafkaFloor.measure(kafka, 50_000, 300).line());
        }
        return exit;
      } finally {
        memory.ifPresent(ResidentMemory::close);
        stack.down();
      }
    }

    private int idle() {
      if (seconds < 10 || seconds > 3600) {
        throw new IllegalArgumentException("--seconds must be 10..3600");
      }
      Stack stack = notRunning();
      up(stack);
      try {
        Optional<ResidentMemory> memory = ResidentMemory.sample(stack);
        if (memory.isEmpty()) {
          OUT.println("bench idle reads /proc/<pid>/status: Linux only");
          return 1;
        }
        try (ResidentMemory sampled = memory.get()) {
          Thread.sleep(seconds * 1000L); // the measurement: the services left alone
          OUT.printf(
              "%nidle: the demo world, nothing lost, %d s sampled every 2 s; every service runs"
                  + " with %s%n",
              seconds, String.join(" ", Stack.serviceJvm(System.getenv())));
          sampled.report().forEach(OUT::println);
        }
        return 0;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 1;
      } finally {
        stack.down();
      }
    }

    private int budget() throws IOException {
      if (total < 8 || total > 4000 || capacity < 1 || refill <= 0 || refill > 100) {
        throw new IllegalArgumentException(
            "--total must be 8..4000, --capacity at least 1, --refill above 0 and at most 100");
      }
      int lost = BenchBudget.nodes(total);
      Settings settings = notRunning().settings();
      Files.createDirectories(settings.home());
      Path world = settings.home().resolve("bench-budget.yaml");
      Files.writeString(world, BenchStorm.scenario(1, lost, BenchBudget.VOLUMES_PER_NODE));
      Stack stack =
          new Stack(
              settings
                  .withScenario(world)
                  .withProperties(BenchBudget.properties(capacity, refill))
                  .withProperties(Settings.properties(property)));
      up(stack);
      Optional<ResidentMemory> memory = ResidentMemory.sample(stack);
      try {
        LocalApis apis = new LocalApis(settings.ports());
        SafetyRules.Start start = SafetyRules.Start.of(apis.hcloudState());
        List<SafetyRules.Outside> outside = new ArrayList<>();
        Map<String, LocalApis.Server> servers = new LinkedHashMap<>();
        for (int n = 1; n <= lost; n++) {
          String node = BenchStorm.node(1, n);
          servers.put(node, apis.server(node).orElseThrow());
          outside.add(new SafetyRules.Outside(servers.get(node).id(), Instant.now(), false));
        }
        apis.put(apis.hcloudSim() + "/_sim/settings", BenchBudget.fullBucket(capacity, refill));
        apis.clearHcloudRequests();
        Instant killedAt = Instant.now();
        servers.values().forEach(server -> apis.kill(server, LocalApis.Mode.CRASH));
        OUT.printf(
            "budget: %d nodes of %d volumes lost at %s; the bucket full (%d, %s/s)%n",
            lost, BenchBudget.VOLUMES_PER_NODE, killedAt, capacity, refill);
        Duration limit = Duration.ofMinutes(15).plusSeconds((long) (5.0 * lost * 8 / refill));
        List<Failover.Outcome> outcomes =
            Failover.followAll(apis, servers, killedAt, limit, OUT::println);
        BenchBudget.Run run =
            BenchBudget.Run.of(outcomes, killedAt, apis.hcloudRequests(), capacity, refill);
        List<String> violations = SafetyRules.violations(start, apis.hcloudState(), outside);
        OUT.printf(
            "%nbudget: %d of %d volumes moved under a bucket of %d refilled at %s/s, default"
                + " action times (%s); safety rules on the action log: %d violations%n",
            run.volumes(), lost * 8, capacity, refill, world, violations.size());
        BenchBudget.report(run).forEach(OUT::println);
        memory.ifPresent(m -> printMemory(m.report()));
        violations.forEach(OUT::println);
        return violations.isEmpty() && run.volumes() == lost * 8 ? 0 : 1;
      } finally {
        memory.ifPresent(ResidentMemory::close);
        stack.down();
      }
    }

    private static void printMemory(List<String> table) {
      OUT.println("resident memory of each service from start to end, sampled every 2 s:");
      table.forEach(OUT::println);
    }

    private int node(LocalApis apis, int runCount, Path world) {
      if (csiAttacher) {
        // No pause: it attaches in the same pass that binds the pod, before Lifeboat hears of it.
        apis.put(
            apis.clusterSim() + "/_sim/settings",
            "{\"csi_attacher\": true, \"csi_attacher_pause\": \"PT0S\"}");
      }
      List<BenchNode.Run> results = new ArrayList<>();
      List<Gantt.Chart> charts = new ArrayList<>();
      SafetyRules.Start start = SafetyRules.Start.of(apis.hcloudState());
      List<SafetyRules.Outside> outside = new ArrayList<>();
      for (int run = 1; run <= runCount; run++) {
        Failover failover = new Failover(apis, line -> {});
        long server = apis.server(BenchNode.node(run)).orElseThrow().id();
        outside.add(new SafetyRules.Outside(server, Instant.now(), false));
        Failover.Outcome outcome =
            failover.run(BenchNode.node(run), LocalApis.Mode.CRASH, Duration.ofMinutes(5));
        if (outcome.volumesMoved() != volumes) {
          failover.summary(outcome).forEach(OUT::println);
          throw new IllegalStateException(
              "run " + run + ": " + outcome.volumesMoved() + " of " + volumes + " moved");
        }
        JsonNode detail = apis.incidentDetail(outcome.incidentId()).orElseThrow();
        JsonNode hcloudState = apis.hcloudState();
        BenchNode.Run figures =
            BenchNode.Run.of(
                outcome,
                apis.hcloudRequestsSince(outcome.killedAt(), Failover.ADAPTER_AGENT),
                detail,
                hcloudState);
        results.add(figures);
        charts.add(
            Gantt.chart(
                String.format(
                    Locale.ROOT,
                    "./lifeboat bench node: run %d, %d volumes on a crashed node, last pod Ready"
                        + " %.1f s after the kill",
                    run,
                    volumes,
                    figures.lastReady().toMillis() / 1000.0),
                outcome.killedAt(),
                outcome.report(),
                detail,
                hcloudState));
        List<String> violations = SafetyRules.violations(start, apis.hcloudState(), outside);
        OUT.printf(
            "run %d: %s, last pod Ready %.1f s after the kill; safety rules on the action log:"
                + " %d violations%n",
            run, BenchNode.node(run), figures.lastReady().toMillis() / 1000.0, violations.size());
        if (!violations.isEmpty()) {
          violations.forEach(OUT::println);
          return 1;
        }
      }
      OUT.printf(
          "%nnode: %d volumes on a crashed node, %d runs, default timings%s (%s)%n",
          volumes, runCount, csiAttacher ? ", the CSI attacher racing Lifeboat" : "", world);
      BenchNode.report(results).forEach(OUT::println);
      if (png != null) {
        int median = BenchNode.medianRun(results);
        Gantt.write(charts.get(median), png);
        OUT.printf("the picture of run %d (the median): %s%n", median + 1, png);
      }
      return 0;
    }

    private int storm(LocalApis apis, int runCount, Path world) {
      List<BenchStorm.Storm> results = new ArrayList<>();
      SafetyRules.Start start = SafetyRules.Start.of(apis.hcloudState());
      List<SafetyRules.Outside> outside = new ArrayList<>();
      ExecutorService losses = Executors.newFixedThreadPool(nodes);
      try {
        for (int run = 1; run <= runCount; run++) {
          List<Callable<Failover.Outcome>> crashes = new ArrayList<>();
          for (int n = 1; n <= nodes; n++) {
            String node = BenchStorm.node(run, n);
            long server = apis.server(node).orElseThrow().id();
            outside.add(new SafetyRules.Outside(server, Instant.now(), false));
            crashes.add(
                () ->
                    new Failover(apis, line -> {})
                        .run(node, LocalApis.Mode.CRASH, Duration.ofMinutes(5)));
          }
          Instant killedAt = Instant.now();
          List<Failover.Outcome> outcomes = new ArrayList<>();
          for (Future<Failover.Outcome> outcome : losses.invokeAll(crashes)) {
            outcomes.add(outcome.get());
          }
          JsonNode hcloudState = apis.hcloudState();
          List<Duration> overheads = new ArrayList<>();
          Map<String, List<Duration>> steps = new LinkedHashMap<>();
          for (Failover.Outcome outcome : outcomes) {
            JsonNode detail = apis.incidentDetail(outcome.incidentId()).orElseThrow();
            overheads.addAll(BenchNode.overheads(detail, hcloudState));
            BenchNode.stepTimes(detail)
                .forEach(
                    (step, times) ->
                        steps.computeIfAbsent(step, k -> new ArrayList<>()).addAll(times));
          }
          BenchStorm.Storm storm = new BenchStorm.Storm(killedAt, outcomes, overheads, steps);
          results.add(storm);
          List<String> violations = SafetyRules.violations(start, apis.hcloudState(), outside);
          OUT.printf(
              "storm %d: %d nodes, %d of %d volumes moved, %.1f failovers/s; safety rules on the"
                  + " action log: %d violations%n",
              run, nodes, storm.volumes(), nodes * volumes, storm.perSecond(), violations.size());
          if (!violations.isEmpty() || storm.volumes() != nodes * volumes) {
            violations.forEach(OUT::println);
            return 1;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 1;
      } catch (ExecutionException e) {
        throw new IllegalStateException("a node of the storm: " + e.getCause().getMessage(), e);
      } finally {
        losses.shutdownNow();
      }
      OUT.printf(
          "%nstorm: %d nodes of %d volumes lost at once, %d runs, instant Hetzner actions, no rate"
              + " limit, guards opened (%s)%n",
          nodes, volumes, runCount, world);
      BenchStorm.report(results).forEach(OUT::println);
      return 0;
    }
  }

  /** Chaos rounds. */
  @Command(
      name = "chaos",
      description =
          "Chaos rounds on the local run: each starts Lifeboat afresh on a world of 26 servers and"
              + " 144 volumes, loses nodes while it kills services, the broker and the database,"
              + " takes the Kubernetes API away, makes the Hetzner API answer badly and floods the"
              + " topics with junk (all from the round's seed), then checks the world; prints the"
              + " table and exits 1 on any violation. Needs Lifeboat not running here.")
  static final class ChaosRounds implements Callable<Integer> {
    @Option(
        names = "--rounds",
        description = "How many rounds (default ${DEFAULT-VALUE}).",
        defaultValue = "20")
    int rounds;

    @Option(
        names = "--seed",
        description = "The first round's seed; the others follow it (default ${DEFAULT-VALUE}).",
        defaultValue = "1")
    long seed;

    @Option(
        names = "--junk",
        description = "Malformed records per round (default ${DEFAULT-VALUE}).",
        defaultValue = "10000")
    int junk;

    @Override
    public Integer call() {
      if (rounds < 1 || rounds > 200 || junk < 0 || junk > 100_000) {
        throw new IllegalArgumentException("--rounds must be 1..200 and --junk 0..100000");
      }
      Settings settings = notRunning().settings();
      List<Long> seeds = new ArrayList<>();
      for (int i = 0; i < rounds; i++) {
        seeds.add(seed + i);
      }
      List<Chaos.Round> results =
          new Chaos(settings, ChaosWorld.DEFAULT, junk, OUT::println).run(seeds);
      OUT.println();
      OUT.println(
          "chaos: "
              + rounds
              + " rounds from seed "
              + seed
              + " (again: ./lifeboat chaos --seed "
              + seed
              + " --rounds "
              + rounds
              + ")");
      Chaos.table(results).forEach(OUT::println);
      return results.stream().allMatch(r -> r.verdict().count() == 0) ? 0 : 1;
    }
  }

  /** Stop everything. */
  @Command(name = "down", description = "Stop every process of the local run.")
  static final class Down implements Callable<Integer> {
    @Override
    public Integer call() {
      Stack stack = stack();
      boolean running = stack.anyAlive();
      stack.down();
      OUT.println(running ? "Lifeboat stopped." : "Lifeboat was not running here.");
      return 0;
    }
  }

  /**
   * The local run's stack, which must not be running: a benchmark or a chaos round starts its own
   * world.
   */
  static Stack notRunning() {
    Stack local = stack();
    if (local.anyAlive()) {
      throw new IllegalStateException(
          "Lifeboat runs here: this command starts its own world (./lifeboat down first)");
    }
    return local;
  }

  static LocalApis.Mode mode(String mode) {
    try {
      return LocalApis.Mode.valueOf(mode.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--mode " + mode + " is not one of crash, hang, delete, shutdown");
    }
  }
}
