package dev.lifeboat.e2e;

import dev.lifeboat.local.LocalApis;
import dev.lifeboat.local.Ports;
import dev.lifeboat.local.Settings;
import dev.lifeboat.local.Stack;
import dev.lifeboat.testkit.HcloudSimProcess;
import dev.lifeboat.testkit.JarProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The local run's stack, started once for the end-to-end tests of this JVM: free ports, its home
 * under {@code e2e/target/}, the {@code e2e.yaml} world, and shorter timings than the defaults
 * (kubelets renew every 2 s, the watcher declares a node gone after 8 s of silence) so that five
 * scenarios fit in a few minutes. hcloud-sim keeps its default action durations.
 */
final class SharedStack {

  /** The storm guard's window: a loss, or a Node deleted, counts against the guard this long. */
  static final Duration STORM_WINDOW = Duration.ofSeconds(10);

  private static Stack stack;

  private static final Stack.Progress PROGRESS =
      new Stack.Progress() {
        @Override
        public void starting(String component) {
          System.out.println("e2e: starting " + component);
        }

        @Override
        public void up(String component, Duration took) {
          System.out.printf("e2e: %s up in %.1f s%n", component, took.toMillis() / 1000.0);
        }
      };

  /** The Hetzner token of this run: recognisable, and nowhere but in the adapter's environment. */
  static final String HCLOUD_TOKEN =
      "hcloud-e2e-token-" + java.util.UUID.randomUUID().toString().replace("-", "");

  private SharedStack() {}

  static synchronized Stack get() {
    if (stack == null) {
      Path module = Path.of("").toAbsolutePath();
      Path root = module.getParent();
      Settings settings =
          new Settings(
              root,
              module.resolve("target/e2e-stack"),
              Path.of(System.getProperty("java.home"), "bin", "java"),
              Ports.of(JarProcess::freePort),
              Optional.of(module.resolve("src/test/resources/e2e.yaml")),
              Map.of(
                  "hcloud-sim",
                  // A token that authenticates but reads another (empty) project.
                  Map.of("hcloud-sim.other-project-tokens", HcloudSimProcess.OTHER_PROJECT_TOKEN),
                  "cluster-sim",
                  Map.of(
                      "cluster-sim.kubelet.lease-interval", "2s",
                      "cluster-sim.node-monitor-grace", "20s",
                      "cluster-sim.ccm-interval", "2s"),
                  "node-watcher",
                  Map.of(
                      "lifeboat.watcher.lease-suspect", "4s",
                      "lifeboat.watcher.lease-grace", "8s",
                      "lifeboat.watcher.lease-renew-period", "2s",
                      "lifeboat.watcher.not-ready-grace", "8s",
                      "lifeboat.watcher.storm.window", STORM_WINDOW.toSeconds() + "s"),
                  // DoctorIT's drift is reported after 10 s instead of 2 min (a pod waiting for a
                  // volume held elsewhere after 15 s instead of 5 min), and every refresh it asks
                  // for is a run of its own (none joins the one before).
                  "volume-orchestrator",
                  Map.of(
                      "lifeboat.doctor.settle", "10s",
                      "lifeboat.doctor.multi-attach-after", "15s"),
                  "audit-service",
                  Map.of("lifeboat.audit.doctor-join", "0s")),
              Duration.ofSeconds(240));
      Stack starting = new Stack(settings);
      starting.up(PROGRESS);
      // The adapter runs on a token made for this run, so that FailoverIT can look for it in
      // every log, record and answer afterwards (hcloud-sim accepts any token of the project).
      starting.restart("hcloud-adapter", Map.of("LIFEBOAT_HCLOUD_TOKEN", HCLOUD_TOKEN), PROGRESS);
      Runtime.getRuntime().addShutdownHook(new Thread(starting::down, "e2e-stack-down"));
      stack = starting;
    }
    return stack;
  }

  /** Restarts hcloud-adapter with this Hetzner API token; with null, with the run's own. */
  static void restartAdapter(String token) {
    get()
        .restart(
            "hcloud-adapter",
            Map.of("LIFEBOAT_HCLOUD_TOKEN", token == null ? HCLOUD_TOKEN : token),
            PROGRESS);
  }

  static LocalApis apis() {
    return new LocalApis(get().settings().ports());
  }
}
