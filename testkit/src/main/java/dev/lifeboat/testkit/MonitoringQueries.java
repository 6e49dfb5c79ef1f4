package dev.lifeboat.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metrics Lifeboat's alerts ({@code k8s/components/monitoring/prometheus-rules.yaml}) and
 * Grafana dashboard ({@code lifeboat-dashboard.json}) query, and which service exports each. A test
 * per service scrapes its {@code /q/metrics} and finds there every name it owns, so that a metric
 * renamed or dropped fails the build instead of silencing an alert or emptying a panel.
 */
public final class MonitoringQueries {

  /** The four services, by module name. */
  public static final String ORCHESTRATOR = "volume-orchestrator";

  public static final String WATCHER = "node-watcher";
  public static final String ADAPTER = "hcloud-adapter";
  public static final String AUDIT = "audit-service";

  /** Who exports the metrics whose names start so (the first prefix that matches decides). */
  private static final Map<String, Set<String>> OWNERS = new LinkedHashMap<>();

  static {
    OWNERS.put("lifeboat_saga_", Set.of(ORCHESTRATOR));
    OWNERS.put("kafka_stream_", Set.of(ORCHESTRATOR));
    OWNERS.put("lifeboat_watcher_", Set.of(WATCHER));
    OWNERS.put("lifeboat_hcloud_", Set.of(ADAPTER));
    OWNERS.put("lifeboat_audit_", Set.of(AUDIT));
    // node-watcher reads its commands with a client Micrometer does not bind.
    OWNERS.put("kafka_consumer_", Set.of(ORCHESTRATOR, ADAPTER, AUDIT));
    OWNERS.put("jvm_", Set.of(ORCHESTRATOR, WATCHER, ADAPTER, AUDIT));
  }

  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  /** An identifier that is not the tail of a number or a duration ({@code 1h}, {@code 2e3}). */
  private static final Pattern NAME =
      Pattern.compile("(?<![a-zA-Z0-9_:.])[a-zA-Z_:][a-zA-Z0-9_:]*");

  private static final Set<String> KEYWORDS =
      Set.of(
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "and",
          "or",
          "unless",
          "offset");

  private MonitoringQueries() {}

  /** The folder of the monitoring component. */
  public static Path folder() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("k8s/components/monitoring"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "no k8s/components/monitoring above " + Path.of("").toAbsolutePath());
    }
    return dir.resolve("k8s/components/monitoring");
  }

  /** The alerting rules, as parsed. */
  public static JsonNode rules() {
    return read(folder().resolve("prometheus-rules.yaml"), new ObjectMapper(new YAMLFactory()));
  }

  /** The dashboard, as parsed. */
  public static JsonNode dashboard() {
    return read(folder().resolve("lifeboat-dashboard.json"), new ObjectMapper());
  }

  /** Every PromQL expression of the rules and of the dashboard's panels. */
  public static List<String> expressions() {
    List<String> expressions = new ArrayList<>();
    for (JsonNode group : rules().path("spec").path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        expressions.add(rule.path("expr").asText());
      }
    }
    for (JsonNode panel : dashboard().path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        expressions.add(target.path("expr").asText());
      }
    }
    return expressions;
  }

  /** The metric names of every expression. */
  public static Set<String> metricNames() {
    Set<String> names = new TreeSet<>();
    expressions().forEach(expression -> names.addAll(metricNames(expression)));
    return names;
  }

  /**
   * The metric names one PromQL expression selects: what is left once strings, label matchers,
   * ranges and grouping clauses are taken out, that is neither a function (followed by a
   * parenthesis) nor a keyword.
   */
  public static Set<String> metricNames(String expression) {
    String bare =
        expression
            .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
            .replaceAll("\\{[^}]*}", " ")
            .replaceAll("\\[[^]]*]", " ")
            .replaceAll("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    Set<String> names = new TreeSet<>();
    Matcher identifier = NAME.matcher(bare);
    while (identifier.find()) {
      String word = identifier.group();
      String after = bare.substring(identifier.end()).stripLeading();
      if (KEYWORDS.contains(word) || after.startsWith("(")) {
        continue;
      }
      names.add(word);
    }
    return names;
  }

  /** The names the service is expected to export, of those queried. */
  public static Set<String> ownedBy(String service) {
    Set<String> owned = new TreeSet<>();
    for (String name : metricNames()) {
      if (owners(name).contains(service)) {
        owned.add(name);
      }
    }
    return owned;
  }

  /** The names no service is known to export: none may be queried. */
  public static Set<String> unowned() {
    Set<String> unowned = new TreeSet<>();
    for (String name : metricNames()) {
      if (owners(name).isEmpty()) {
        unowned.add(name);
      }
    }
    return unowned;
  }

  /** The metric names of a Prometheus text exposition ({@code /q/metrics}). */
  public static Set<String> exported(String exposition) {
    Set<String> names = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher name = IDENTIFIER.matcher(line);
      if (name.lookingAt()) {
        names.add(name.group());
      }
    }
    return names;
  }

  /**
   * Asserts that the Quarkus app under test (this service) exports every queried metric it owns,
   * waiting up to 90 s for them: Micrometer binds a Kafka client's metrics up to a minute after the
   * client starts.
   */
  public static void assertExported(String service) {
    Set<String> owned = ownedBy(service);
    assertThat(owned)
        .as("metrics of " + service + " the alerts and the dashboard query")
        .isNotEmpty();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () ->
                assertThat(exported(RestAssured.get("/q/metrics").asString()))
                    .as(service + "'s /q/metrics")
                    .containsAll(owned));
  }

  private static Set<String> owners(String name) {
    return OWNERS.entrySet().stream()
        .filter(owner -> name.startsWith(owner.getKey()))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(Set.of());
  }

  private static JsonNode read(Path file, ObjectMapper mapper) {
    try {
      return mapper.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
