package dev.lifeboat.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the local run is set up.
 *
 * @param root the repository (where the modules' builds are)
 * @param home where logs, pids, data and the kubeconfig go ({@code <root>/.lifeboat})
 * @param java the {@code java} that runs every process
 * @param ports the ports
 * @param scenario hcloud-sim's scenario, when not its demo
 * @param properties extra system properties per component (tests shorten timings with them)
 * @param startTimeout how long a wave may take to come up
 */
public record Settings(
    Path root,
    Path home,
    Path java,
    Ports ports,
    Optional<Path> scenario,
    Map<String, Map<String, String>> properties,
    Duration startTimeout) {

  /** The same run on another hcloud-sim scenario. */
  public Settings withScenario(Path scenario) {
    return new Settings(root, home, java, ports, Optional.of(scenario), properties, startTimeout);
  }

  /** The same run with these system properties per component (over the ones it has). */
  public Settings withProperties(Map<String, Map<String, String>> more) {
    Map<String, Map<String, String>> all = new HashMap<>(properties);
    more.forEach(
        (component, values) -> {
          Map<String, String> merged = new HashMap<>(all.getOrDefault(component, Map.of()));
          merged.putAll(values);
          all.put(component, Map.copyOf(merged));
        });
    return new Settings(root, home, java, ports, scenario, Map.copyOf(all), startTimeout);
  }

  /** The processes of the local run whose system properties a benchmark may set. */
  public static final List<String> CONFIGURABLE =
      List.of(
          "hcloud-sim",
          "cluster-sim",
          "audit-service",
          "volume-orchestrator",
          "hcloud-adapter",
          "node-watcher");

  /**
   * System properties per component from {@code COMPONENT:KEY=VALUE} settings (a benchmark's {@code
   * --property}), or an error naming the bad one.
   */
  public static Map<String, Map<String, String>> properties(List<String> settings) {
    Map<String, Map<String, String>> all = new HashMap<>();
    for (String setting : settings) {
      int colon = setting.indexOf(':');
      int eq = setting.indexOf('=', Math.max(colon, 0));
      if (colon <= 0 || eq <= colon + 1) {
        throw new IllegalArgumentException("--property " + setting + " is not COMPONENT:KEY=VALUE");
      }
      String component = setting.substring(0, colon);
      if (!CONFIGURABLE.contains(component)) {
        throw new IllegalArgumentException(
            "--property " + setting + ": the component is one of " + CONFIGURABLE);
      }
      all.computeIfAbsent(component, c -> new HashMap<>())
          .put(setting.substring(colon + 1, eq), setting.substring(eq + 1));
    }
    return all;
  }

  /** The local run of the repository at {@code root}, ports from the environment. */
  public static Settings local(Path root, Map<String, String> env) {
    return new Settings(
        root,
        Optional.ofNullable(env.get("LIFEBOAT_HOME"))
            .map(Path::of)
            .orElse(root.resolve(".lifeboat")),
        Path.of(System.getProperty("java.home"), "bin", "java"),
        Ports.fromEnvironment(env),
        Optional.ofNullable(env.get("HCLOUD_SIM_SCENARIO")).filter(s -> !s.isBlank()).map(Path::of),
        Map.of(),
        Duration.ofSeconds(180));
  }
}
