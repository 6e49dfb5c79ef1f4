package dev.lifeboat.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every object the overlays render (and the monitoring component) is what the published model of
 * its kind says: Kubernetes', CloudNativePG's, prometheus-operator's. See {@link PublishedModels}.
 */
class PublishedModelsTest {

  private static PublishedModels models;

  @BeforeAll
  static void install() throws Exception {
    models = PublishedModels.installed();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"production", "dry-run"})
  void everyRenderedObjectIsWhatItsPublishedModelSays(String overlay) throws Exception {
    List<String> documents =
        ManifestsTest.renderDocuments(Repo.root().resolve("k8s/overlays/" + overlay));

    assertThat(documents).anyMatch(d -> d.contains("kind: Cluster\n"));
    assertThat(models.problems(documents)).isEmpty();
  }

  @Test
  void theMonitoringComponentsObjectsAreWhatPrometheusOperatorsModelSays() throws Exception {
    MonitoringTest.renderWithMonitoring();
    List<String> documents =
        ManifestsTest.renderDocuments(Path.of("target", "monitored").toAbsolutePath());

    assertThat(documents)
        .anyMatch(d -> d.contains("kind: ServiceMonitor\n"))
        .anyMatch(d -> d.contains("kind: PrometheusRule\n"));
    assertThat(models.problems(documents)).isEmpty();
  }

  /**
   * The check finds, each in the object it is in: a field CloudNativePG does not know, an
   * apiVersion it does not serve, a value of the wrong type, a container field with a wrong capital
   * (which an API server would drop, leaving the file system writable), and (by the schema
   * validator, where the type is only "string") a duration Prometheus cannot read.
   */
  @Test
  void theCheckFindsUnknownFieldsWrongApiVersionsWrongTypesAndBadFormats() throws Exception {
    MonitoringTest.renderWithMonitoring();
    List<String> documents = new ArrayList<>();
    for (String document :
        ManifestsTest.renderDocuments(Path.of("target", "monitored").toAbsolutePath())) {
      if (document.contains("kind: Cluster\n")) {
        documents.add(replaceOnce(document, "  instances: ", "  instancess: "));
      } else if (document.contains("kind: ScheduledBackup\n")) {
        documents.add(
            replaceOnce(
                document,
                "apiVersion: postgresql.cnpg.io/v1\n",
                "apiVersion: postgresql.cnpg.io/v1beta1\n"));
      } else if (document.contains("kind: PodDisruptionBudget\n")
          && document.contains("name: audit-service\n")) {
        documents.add(replaceOnce(document, "maxUnavailable: 1", "maxUnavailable: [1]"));
      } else if (document.contains("kind: Deployment\n")
          && document.contains("name: hcloud-adapter\n")) {
        documents.add(replaceOnce(document, "readOnlyRootFilesystem:", "readOnlyRootFileSystem:"));
      } else if (document.contains("kind: ServiceMonitor\n")) {
        documents.add(replaceOnce(document, "interval: ", "interval: half a minute #"));
      } else {
        documents.add(document);
      }
    }

    List<String> problems = models.problems(documents);

    assertThat(problems)
        .anySatisfy(
            p -> assertThat(p).startsWith("Cluster lifeboat-audit-db:").contains("instancess"))
        .anySatisfy(
            p ->
                assertThat(p).startsWith("ScheduledBackup ").contains("postgresql.cnpg.io/v1beta1"))
        .anySatisfy(p -> assertThat(p).startsWith("PodDisruptionBudget audit-service:"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("Deployment hcloud-adapter:")
                    .contains("readOnlyRootFileSystem"))
        .anySatisfy(p -> assertThat(p).startsWith("ServiceMonitor ").contains("interval"));
  }

  private static String replaceOnce(String document, String target, String replacement) {
    assertThat(document).contains(target);
    return document.replaceFirst(java.util.regex.Pattern.quote(target), replacement);
  }
}
