package dev.lifeboat.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.testkit.MonitoringQueries;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The monitoring component (k8s/components/monitoring): alerting rules and a Grafana dashboard that
 * are well formed, whose every metric some service exports (each service's own test finds its names
 * in its {@code /q/metrics}), and that render with the production overlay.
 */
class MonitoringTest {

  /** The production overlay with the monitoring component, as a user's own overlay adds it. */
  static List<HasMetadata> renderWithMonitoring() throws java.io.IOException {
    Path folder = Path.of("target", "monitored").toAbsolutePath();
    Files.createDirectories(folder);
    Path root = Repo.root();
    Files.writeString(
        folder.resolve("kustomization.yaml"),
        String.join(
            "\n",
            "apiVersion: kustomize.config.k8s.io/v1beta1",
            "kind: Kustomization",
            "resources:",
            "  - " + folder.relativize(root.resolve("k8s/overlays/production")),
            "components:",
            "  - " + folder.relativize(root.resolve("k8s/components/monitoring")),
            ""));
    return ManifestsTest.render(folder);
  }

  @Test
  void everyAlertSaysHowBadItIsWhatHappenedAndWhatToDo() {
    JsonNode rules = MonitoringQueries.rules();
    assertThat(rules.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(rules.path("kind").asText()).isEqualTo("PrometheusRule");
    Set<String> names = new HashSet<>();
    List<JsonNode> all = new ArrayList<>();
    rules.path("spec").path("groups").forEach(g -> g.path("rules").forEach(all::add));
    assertThat(all).hasSizeGreaterThanOrEqualTo(7);
    for (JsonNode rule : all) {
      String alert = rule.path("alert").asText();
      assertThat(names.add(alert)).as("alert names are unique: " + alert).isTrue();
      assertThat(alert).startsWith("Lifeboat");
      assertThat(rule.path("expr").asText()).as(alert).isNotBlank();
      assertThat(rule.path("labels").path("severity").asText())
          .as(alert)
          .isIn("warning", "critical");
      assertThat(rule.path("annotations").path("summary").asText()).as(alert).isNotBlank();
      assertThat(rule.path("annotations").path("description").asText()).as(alert).isNotBlank();
    }
  }

  @Test
  void theAlertsCoverWhatTheDeploymentGuideAsksToBeWatched() {
    List<String> expressions = MonitoringQueries.expressions();
    // Streams not RUNNING, no leader, dead letters, lag, Hetzner budget, a long incident, a held
    // one, the storm guard.
    assertThat(String.join("\n", expressions))
        .contains(
            "lifeboat_saga_streams_running",
            "lifeboat_watcher_leader",
            "lifeboat_audit_dead_letters_total",
            "kafka_consumer_fetch_manager_records_lag_max",
            "lifeboat_hcloud_budget_remaining",
            "lifeboat_saga_incident_oldest_open_seconds",
            "lifeboat_saga_incidents{status=\"HELD\"}",
            "lifeboat_watcher_detections_total{kind=\"storm-guard\"}");
  }

  @Test
  void everyQueriedMetricIsOneSomeServiceExports() {
    assertThat(MonitoringQueries.metricNames()).isNotEmpty();
    assertThat(MonitoringQueries.unowned()).as("metrics no service is known to export").isEmpty();
    for (String service :
        List.of(
            MonitoringQueries.ORCHESTRATOR,
            MonitoringQueries.WATCHER,
            MonitoringQueries.ADAPTER,
            MonitoringQueries.AUDIT)) {
      assertThat(MonitoringQueries.ownedBy(service)).as(service).isNotEmpty();
    }
  }

  @Test
  void theMetricNamesOfAnExpressionAreFoundAndNothingElse() {
    assertThat(
            MonitoringQueries.metricNames(
                "max by (pod) (up_a{job=\"x\", kind=~\"a|b\"}) == 0 or absent(up_b)"))
        .containsExactlyInAnyOrder("up_a", "up_b");
    assertThat(
            MonitoringQueries.metricNames(
                "sum(rate(h_sum[5m])) / on (pod) group_left sum(rate(h_count[5m] offset 1h))"))
        .containsExactlyInAnyOrder("h_sum", "h_count");
    assertThat(MonitoringQueries.metricNames("increase(c_total{kind=\"storm-guard\"}[30m]) > 0"))
        .containsExactly("c_total");
  }

  @Test
  void theDashboardIsAGrafanaDashboardOfPrometheusQueries() {
    JsonNode dashboard = MonitoringQueries.dashboard();
    assertThat(dashboard.path("uid").asText()).isEqualTo("lifeboat");
    assertThat(dashboard.path("title").asText()).isNotBlank();
    assertThat(dashboard.path("templating").path("list").get(0).path("type").asText())
        .isEqualTo("datasource");
    Set<Integer> ids = new HashSet<>();
    assertThat(dashboard.path("panels")).hasSizeGreaterThanOrEqualTo(6);
    for (JsonNode panel : dashboard.path("panels")) {
      String title = panel.path("title").asText();
      assertThat(ids.add(panel.path("id").asInt())).as("unique id: " + title).isTrue();
      assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
      assertThat(panel.path("targets")).as(title).isNotEmpty();
      panel
          .path("targets")
          .forEach(target -> assertThat(target.path("expr").asText()).as(title).isNotBlank());
    }
  }

  @Test
  void theComponentRendersWithTheProductionOverlay() throws Exception {
    List<HasMetadata> objects = renderWithMonitoring();

    assertThat(objects)
        .filteredOn(
            o ->
                o.getKind().equals("ServiceMonitor")
                    || o.getKind().equals("PrometheusRule")
                    || o.getMetadata().getName().equals("lifeboat-prometheus"))
        .hasSize(3)
        .allSatisfy(
            o -> {
              assertThat(o.getMetadata().getNamespace()).isEqualTo("lifeboat");
              assertThat(o.getMetadata().getLabels())
                  .containsEntry("app.kubernetes.io/part-of", "lifeboat");
            });
    ConfigMap dashboard =
        objects.stream()
            .filter(o -> o.getKind().equals("ConfigMap"))
            .map(ConfigMap.class::cast)
            .filter(c -> c.getMetadata().getName().equals("lifeboat-dashboard"))
            .findFirst()
            .orElseThrow();
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(dashboard.getData().get("lifeboat-dashboard.json"))
        .isEqualTo(Files.readString(MonitoringQueries.folder().resolve("lifeboat-dashboard.json")));
  }
}
