package dev.lifeboat.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.events.Topic;
import dev.lifeboat.testkit.CommandRun;
import dev.lifeboat.testkit.OutsideTools;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every overlay renders with {@code kubectl kustomize}, every object parses as its Kubernetes type
 * (operator kinds as generic resources), and what Lifeboat needs is there.
 */
class ManifestsTest {

  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final List<String> SERVICES =
      List.of("node-watcher", "volume-orchestrator", "hcloud-adapter", "audit-service");

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"production", "dry-run"})
  void theOverlayRendersIntoEveryObjectLifeboatNeeds(String overlay) throws Exception {
    List<HasMetadata> objects = render(overlay);

    Map<String, Long> kinds =
        objects.stream()
            .collect(Collectors.groupingBy(HasMetadata::getKind, Collectors.counting()));
    assertThat(kinds)
        .containsEntry("Deployment", 4L)
        .containsEntry("Service", 4L)
        .containsEntry("ServiceAccount", 4L)
        .containsEntry("PodDisruptionBudget", 4L)
        .containsEntry("ClusterRole", 1L)
        .containsEntry("ClusterRoleBinding", 1L)
        .containsEntry("Role", 2L)
        .containsEntry("RoleBinding", 2L)
        .containsEntry("Kafka", 1L)
        .containsEntry("KafkaNodePool", 1L)
        .containsEntry("KafkaTopic", (long) Topic.values().length)
        .containsEntry("KafkaUser", 4L)
        .containsEntry("Cluster", 1L)
        .containsEntry("PriorityClass", 1L)
        .containsEntry("NetworkPolicy", 7L)
        // Monitoring is a component of its own: a cluster without the Prometheus operator's CRDs
        // applies the overlay as it is.
        .doesNotContainKeys("ServiceMonitor", "PrometheusRule");
    assertThat(objects)
        .allMatch(
            o ->
                "lifeboat".equals(o.getMetadata().getNamespace())
                    || o.getKind().startsWith("Cluster") && !o.getKind().equals("Cluster")
                    || o.getKind().equals("Namespace")
                    || o.getKind().equals("PriorityClass")
                    || o.getKind().startsWith("Role")
                        && "kube-node-lease".equals(o.getMetadata().getNamespace()));
    assertThat(kinds)
        .as(
            "the namespace is applied on its own (k8s/namespace.yaml): removing Lifeboat never deletes it")
        .doesNotContainKey("Namespace");
    assertThat(
            of(objects, GenericKubernetesResource.class, "KafkaTopic").stream()
                .map(t -> t.getMetadata().getName()))
        .containsExactlyInAnyOrderElementsOf(
            java.util.Arrays.stream(Topic.values()).map(Topic::defaultName).toList());
    assertThat(
            of(objects, GenericKubernetesResource.class, "KafkaUser").stream()
                .map(u -> u.getMetadata().getName()))
        .containsExactlyInAnyOrderElementsOf(SERVICES);
    for (Deployment deployment : of(objects, Deployment.class, "Deployment")) {
      String name = deployment.getMetadata().getName();
      assertThat(SERVICES).contains(name);
      Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
      assertThat(container.getLivenessProbe().getHttpGet().getPath())
          .as(name)
          .isEqualTo("/q/health/live");
      assertThat(container.getReadinessProbe().getHttpGet().getPath())
          .as(name)
          .isEqualTo("/q/health/ready");
      assertThat(container.getStartupProbe().getHttpGet().getPath())
          .as(name + " waits for its start before liveness counts")
          .isEqualTo("/q/health/started");
      io.fabric8.kubernetes.api.model.PodSpec pod = deployment.getSpec().getTemplate().getSpec();
      assertThat(pod.getPriorityClassName()).as(name).isEqualTo("lifeboat");
      if (deployment.getSpec().getReplicas() > 1) {
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable())
            .as(name + " keeps every replica during an update")
            .isEqualTo(new io.fabric8.kubernetes.api.model.IntOrString(0));
        assertThat(pod.getTopologySpreadConstraints())
            .as(name + ": two replicas never on one node")
            .anySatisfy(
                spread -> {
                  assertThat(spread.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
                  assertThat(spread.getWhenUnsatisfiable()).isEqualTo("DoNotSchedule");
                  assertThat(spread.getLabelSelector().getMatchLabels())
                      .containsEntry("app.kubernetes.io/name", name);
                });
      }
      if (name.equals("hcloud-adapter")) {
        assertThat(deployment.getSpec().getStrategy().getType())
            .as("never two adapters at once, not even during an update")
            .isEqualTo("Recreate");
      }
      assertThat(container.getResources().getRequests()).as(name).containsKeys("cpu", "memory");
      assertThat(container.getResources().getLimits()).as(name).containsKey("memory");
      assertThat(
              deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot())
          .as(name)
          .isTrue();
      assertThat(of(objects, PodDisruptionBudget.class, "PodDisruptionBudget"))
          .anyMatch(p -> p.getMetadata().getName().equals(name));
    }
    assertThat(replicas(objects, "node-watcher")).isEqualTo(2);
    assertThat(replicas(objects, "volume-orchestrator")).isEqualTo(2);
    assertThat(replicas(objects, "hcloud-adapter")).isEqualTo(1);
    assertThat(replicas(objects, "audit-service")).isEqualTo(1);
    String dryRun = overlay.equals("dry-run") ? "true" : "false";
    assertThat(config(objects, "volume-orchestrator-config"))
        .containsEntry("LIFEBOAT_SAGA_DRY_RUN", dryRun);
    assertThat(config(objects, "hcloud-adapter-config"))
        .containsEntry("LIFEBOAT_HCLOUD_DRY_RUN", dryRun);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"production", "dry-run"})
  void nodeWatchersClusterRoleIsExactlyTheAccessItsCodeRecorded(String overlay) throws Exception {
    ClusterRole role = of(render(overlay), ClusterRole.class, "ClusterRole").get(0);
    List<PolicyRule> recorded =
        YAML.unmarshal(
            Files.newInputStream(
                Repo.root().resolve("node-watcher/src/main/resources/kubernetes-access.yaml")),
            new com.fasterxml.jackson.core.type.TypeReference<List<PolicyRule>>() {});

    assertThat(pairs(role.getRules())).isEqualTo(pairs(recorded)).isNotEmpty();
  }

  @org.junit.jupiter.api.Test
  void theGuidesRemovalDeletesTheServiceTierAndLeavesTheDataTier() throws Exception {
    List<HasMetadata> objects = MonitoringTest.renderWithMonitoring();
    Map<String, Set<String>> kindsByTier = new java.util.TreeMap<>();
    for (HasMetadata object : objects) {
      String tier =
          object.getMetadata().getLabels() == null
              ? null
              : object.getMetadata().getLabels().get("lifeboat.dev/tier");
      assertThat(tier)
          .as(object.getKind() + " " + object.getMetadata().getName() + " has a tier")
          .isIn("service", "data");
      kindsByTier.computeIfAbsent(tier, t -> new TreeSet<>()).add(object.getKind());
    }
    assertThat(kindsByTier.get("data"))
        .containsExactlyInAnyOrder(
            "Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser", "Cluster", "ScheduledBackup");

    String guide = Files.readString(Repo.root().resolve("docs/deploy.md"));
    String removing = guide.substring(guide.indexOf("## 8. Removing"));
    java.util.regex.Matcher delete =
        java.util.regex.Pattern.compile(
                "kubectl (?:-n [a-z-]+ )?delete ([a-z,]+) -l lifeboat.dev/tier=service")
            .matcher(removing);
    Set<String> deleted = new TreeSet<>();
    while (delete.find()) {
      deleted.addAll(List.of(delete.group(1).split(",")));
    }
    for (String kind : kindsByTier.get("service")) {
      assertThat(deleted)
          .as("the guide's removal deletes every " + kind + " of the service tier")
          .contains(kind.toLowerCase(java.util.Locale.ROOT));
    }
    assertThat(removing)
        .as("the service tier's removal never names the data tier's kinds")
        .doesNotContainPattern("delete [a-z,]*kafka[a-z,]* -l lifeboat.dev/tier=service");

    java.util.regex.Matcher deleteData =
        java.util.regex.Pattern.compile(
                "kubectl -n lifeboat delete ([a-z.,]+) -l lifeboat.dev/tier=data")
            .matcher(removing);
    assertThat(deleteData.find()).as("the guide removes the data tier too, when asked").isTrue();
    List<String> deletedData = List.of(deleteData.group(1).split(","));
    for (String kind : kindsByTier.get("data")) {
      String name = kind.toLowerCase(java.util.Locale.ROOT);
      assertThat(deletedData)
          .as("the guide's removal of the data deletes every " + kind)
          .anyMatch(d -> d.equals(name) || d.startsWith(name + "s."));
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"production", "dry-run"})
  void theApisReadsNeedATokenInTheClusterAndTheReadTokenIsOffered(String overlay) {
    Map<String, Deployment> deployments = deployments(render(overlay));
    for (String service : List.of("volume-orchestrator", "audit-service")) {
      List<io.fabric8.kubernetes.api.model.EnvVar> env =
          deployments
              .get(service)
              .getSpec()
              .getTemplate()
              .getSpec()
              .getContainers()
              .get(0)
              .getEnv();
      io.fabric8.kubernetes.api.model.EnvVar read =
          env.stream()
              .filter(e -> e.getName().equals("LIFEBOAT_API_READ_TOKEN"))
              .findFirst()
              .orElseThrow(() -> new AssertionError(service + " has no read token"));
      assertThat(read.getValueFrom().getSecretKeyRef().getName())
          .isEqualTo("lifeboat-api-read-token");
      assertThat(read.getValueFrom().getSecretKeyRef().getOptional()).isTrue();
    }
    // The audit protects its reads by default (application.properties); the orchestrator is told.
    assertThat(
            deployments
                .get("volume-orchestrator")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("LIFEBOAT_API_PROTECT_READS");
              assertThat(e.getValue()).isEqualTo("true");
            });
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"production", "dry-run"})
  void kafkaAndPostgresqlAreReachedOverTlsWhoseCertificatesAreVerified(String overlay) {
    List<HasMetadata> objects = render(overlay);
    Map<String, String> kafka = config(objects, "lifeboat-kafka");
    assertThat(kafka)
        .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
        .containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
        .containsEntry("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM");
    String truststore = kafka.get("KAFKA_SSL_TRUSTSTORE_LOCATION");
    int port = Integer.parseInt(kafka.get("KAFKA_BOOTSTRAP_SERVERS").replaceAll(".*:", ""));
    GenericKubernetesResource cluster =
        of(objects, GenericKubernetesResource.class, "Kafka").get(0);
    List<Map<String, Object>> listeners = cluster.get("spec", "kafka", "listeners");
    assertThat(listeners)
        .as("the listener the services use encrypts")
        .anySatisfy(
            listener -> {
              assertThat(listener.get("port")).isEqualTo(port);
              assertThat(listener.get("tls")).isEqualTo(true);
            })
        .noneSatisfy(listener -> assertThat(listener.get("tls")).isEqualTo(false));
    for (Deployment deployment : deployments(objects).values()) {
      assertThat(mountedSecret(deployment, truststore))
          .as(deployment.getMetadata().getName() + " mounts Strimzi's cluster CA at the truststore")
          .isEqualTo("lifeboat-cluster-ca-cert");
    }

    Deployment audit = deployments(objects).get("audit-service");
    String jdbc = env(audit, "QUARKUS_DATASOURCE_JDBC_URL");
    assertThat(jdbc).contains("sslmode=verify-full");
    String rootCert = jdbc.replaceAll(".*sslrootcert=([^&]+).*", "$1");
    assertThat(mountedSecret(audit, rootCert))
        .as("the audit mounts CloudNativePG's CA where the JDBC URL reads it")
        .isEqualTo("lifeboat-audit-db-ca");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"production", "dry-run"})
  void theDryRunsAdapterReadsWithTheReadOnlyHetznerTokenAndProductionsActsWithReadAndWrite(
      String overlay) {
    Deployment adapter = deployments(render(overlay)).get("hcloud-adapter");
    String tokenFile = env(adapter, "LIFEBOAT_HCLOUD_TOKEN_FILE");
    Map<String, String> settings = config(render(overlay), "hcloud-adapter-config");

    assertThat(mountedSecret(adapter, tokenFile))
        .as("the Secret of the token the adapter reads in " + overlay)
        .isEqualTo(overlay.equals("dry-run") ? "hcloud-token-read-only" : "hcloud-token");
    assertThat(settings.get("LIFEBOAT_HCLOUD_DRY_RUN"))
        .isEqualTo(String.valueOf(overlay.equals("dry-run")));
  }

  /**
   * Each service's heap is the one the benchmarks measured it with ({@code -Xmx256m}, the local
   * run's setting): the image's run-java.sh sizes it as {@code JAVA_MAX_MEM_RATIO} percent of the
   * memory limit. The rest of the limit is for what the benchmarks saw outside the heap (metaspace,
   * threads, the JIT, RocksDB's bounded cache): docs/deploy.md, "Memory".
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"production", "dry-run"})
  void eachServicesHeapIsTheBenchmarkedOneAndHalfItsMemoryLimit(String overlay) {
    long benchmarkedHeap =
        dev.lifeboat.local.Stack.SERVICE_JVM.stream()
            .filter(option -> option.startsWith("-Xmx"))
            .map(option -> option.substring(4).toLowerCase(java.util.Locale.ROOT))
            .map(
                size ->
                    Long.parseLong(size.replaceAll("[kmg]$", ""))
                        << (size.endsWith("g")
                            ? 30
                            : size.endsWith("m") ? 20 : size.endsWith("k") ? 10 : 0))
            .findFirst()
            .orElseThrow();

    Map<String, Deployment> services = deployments(render(overlay));
    assertThat(services).hasSize(4);
    services.forEach(
        (name, deployment) -> {
          Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
          long limit =
              io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(
                      container.getResources().getLimits().get("memory"))
                  .longValue();
          int ratio = Integer.parseInt(env(deployment, "JAVA_MAX_MEM_RATIO"));
          assertThat(limit * ratio / 100).as(name + "'s heap").isEqualTo(benchmarkedHeap);
          assertThat(
                  io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(
                          container.getResources().getRequests().get("memory"))
                      .longValue())
              .as(name + " asks for at least its heap")
              .isGreaterThanOrEqualTo(benchmarkedHeap);
        });
  }

  /** The value of an environment variable set in the pod's first container. */
  private static String env(Deployment deployment, String name) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError(deployment.getMetadata().getName() + " sets no " + name))
        .getValue();
  }

  /** The Secret mounted where the file is, in the pod's first container; null if none. */
  private static String mountedSecret(Deployment deployment, String file) {
    var pod = deployment.getSpec().getTemplate().getSpec();
    for (var mount : pod.getContainers().get(0).getVolumeMounts()) {
      if (file.startsWith(mount.getMountPath() + "/")) {
        String item = file.substring(mount.getMountPath().length() + 1);
        for (var volume : pod.getVolumes()) {
          if (volume.getName().equals(mount.getName()) && volume.getSecret() != null) {
            boolean itemThere =
                volume.getSecret().getItems() == null
                    || volume.getSecret().getItems().isEmpty()
                    || volume.getSecret().getItems().stream()
                        .anyMatch(i -> i.getPath().equals(item));
            return itemThere ? volume.getSecret().getSecretName() : null;
          }
        }
      }
    }
    return null;
  }

  @Test
  void productionBacksUpTheAuditsDatabaseNightlyAndTheDryRunDoesNot() throws Exception {
    GenericKubernetesResource cluster =
        of(render("production"), GenericKubernetesResource.class, "Cluster").get(0);
    Map<String, Object> store = cluster.get("spec", "backup", "barmanObjectStore");
    assertThat(store).as("the production Cluster's object store").isNotNull();
    assertThat((String) store.get("destinationPath")).startsWith("s3://");
    assertThat((String) cluster.get("spec", "backup", "retentionPolicy")).isEqualTo("30d");
    for (String key : List.of("accessKeyId", "secretAccessKey")) {
      assertThat(
              (String)
                  cluster.get("spec", "backup", "barmanObjectStore", "s3Credentials", key, "name"))
          .as(key + " comes from the Secret the guide creates")
          .isEqualTo("lifeboat-audit-db-backup");
    }
    GenericKubernetesResource nightly =
        of(render("production"), GenericKubernetesResource.class, "ScheduledBackup").get(0);
    assertThat((String) nightly.get("spec", "cluster", "name"))
        .isEqualTo(cluster.getMetadata().getName());
    assertThat((String) nightly.get("spec", "method")).isEqualTo("barmanObjectStore");
    assertThat(((String) nightly.get("spec", "schedule")).split(" "))
        .as("CloudNativePG's schedule starts with seconds")
        .hasSize(6);
    assertThat(nightly.getMetadata().getNamespace()).isEqualTo("lifeboat");

    List<HasMetadata> dryRun = render("dry-run");
    assertThat(dryRun).noneMatch(o -> o.getKind().equals("ScheduledBackup"));
    assertThat(
            (Object)
                of(dryRun, GenericKubernetesResource.class, "Cluster").get(0).get("spec", "backup"))
        .isNull();
  }

  /** One Role of node-watcher's kubernetes-access-namespaced.yaml. */
  record NamespacedRules(String namespace, List<PolicyRule> rules) {}

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"production", "dry-run"})
  void nodeWatchersRolesAreExactlyTheLeaseAccessItsCodeRecorded(String overlay) throws Exception {
    List<HasMetadata> objects = render(overlay);
    List<NamespacedRules> recorded =
        YAML.unmarshal(
            Files.newInputStream(
                Repo.root()
                    .resolve("node-watcher/src/main/resources/kubernetes-access-namespaced.yaml")),
            new com.fasterxml.jackson.core.type.TypeReference<List<NamespacedRules>>() {});
    List<io.fabric8.kubernetes.api.model.rbac.Role> roles =
        of(objects, io.fabric8.kubernetes.api.model.rbac.Role.class, "Role");
    List<io.fabric8.kubernetes.api.model.rbac.RoleBinding> bindings =
        of(objects, io.fabric8.kubernetes.api.model.rbac.RoleBinding.class, "RoleBinding");

    assertThat(roles).hasSameSizeAs(recorded);
    for (NamespacedRules expected : recorded) {
      io.fabric8.kubernetes.api.model.rbac.Role role =
          roles.stream()
              .filter(r -> r.getMetadata().getNamespace().equals(expected.namespace()))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no Role in " + expected.namespace()));
      assertThat(YAML.asJson(role.getRules()))
          .as("the Role in " + expected.namespace())
          .isEqualTo(YAML.asJson(expected.rules()));
      assertThat(bindings)
          .as("the Role in " + expected.namespace() + " is bound to node-watcher")
          .anySatisfy(
              b -> {
                assertThat(b.getMetadata().getNamespace()).isEqualTo(expected.namespace());
                assertThat(b.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
                assertThat(b.getSubjects())
                    .singleElement()
                    .satisfies(
                        subject -> {
                          assertThat(subject.getName()).isEqualTo("node-watcher");
                          assertThat(subject.getNamespace()).isEqualTo("lifeboat");
                        });
              });
    }
    assertThat(pairs(of(objects, ClusterRole.class, "ClusterRole").get(0).getRules()))
        .as("no Lease is reachable through the ClusterRole")
        .noneMatch(pair -> pair.contains("/leases "));
  }

  private static Set<String> pairs(List<PolicyRule> rules) {
    Set<String> pairs = new TreeSet<>();
    for (PolicyRule rule : rules) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            pairs.add(group + "/" + resource + " " + verb);
          }
        }
      }
    }
    return pairs;
  }

  static List<HasMetadata> render(String overlay) {
    return render(Repo.root().resolve("k8s/overlays/" + overlay));
  }

  /** Every object {@code kubectl kustomize} renders from the folder. */
  static List<HasMetadata> render(Path kustomization) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : renderDocuments(kustomization)) {
      objects.add(YAML.unmarshal(document, HasMetadata.class));
    }
    return objects;
  }

  /** The YAML documents {@code kubectl kustomize} renders from the folder, one per object. */
  static List<String> renderDocuments(Path kustomization) {
    Path kubectl = OutsideTools.require("kubectl", "apt-get install kubernetes-client");
    CommandRun run =
        CommandRun.run(
            List.of(kubectl.toString(), "kustomize", kustomization.toString()),
            Map.of(),
            Duration.ofSeconds(60));
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    List<String> documents = new ArrayList<>();
    for (String document : run.stdout().split("(?m)^---\\s*$")) {
      if (!document.isBlank()) {
        documents.add(document);
      }
    }
    return documents;
  }

  private static <T extends HasMetadata> List<T> of(
      List<HasMetadata> objects, Class<T> type, String kind) {
    return objects.stream()
        .filter(o -> o.getKind().equals(kind))
        .peek(o -> assertThat(o).as(kind + " parses as " + type.getSimpleName()).isInstanceOf(type))
        .map(type::cast)
        .toList();
  }

  private static int replicas(List<HasMetadata> objects, String name) {
    return of(objects, Deployment.class, "Deployment").stream()
        .filter(d -> d.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow()
        .getSpec()
        .getReplicas();
  }

  /** The data of the generated ConfigMap of that name (its rendered name ends in a hash). */
  private static Map<String, String> config(List<HasMetadata> objects, String name) {
    return of(objects, ConfigMap.class, "ConfigMap").stream()
        .filter(c -> c.getMetadata().getName().startsWith(name + "-"))
        .findFirst()
        .orElseThrow()
        .getData();
  }

  @org.junit.jupiter.api.Test
  void switchingBetweenDryRunAndProductionRollsThePodsWhoseSettingsChange() {
    Map<String, Deployment> dryRun = deployments(render("dry-run"));
    List<HasMetadata> production = render("production");

    Set<String> configMaps =
        of(production, ConfigMap.class, "ConfigMap").stream()
            .map(c -> c.getMetadata().getName())
            .collect(Collectors.toSet());
    for (Map.Entry<String, Deployment> live : deployments(production).entrySet()) {
      String name = live.getKey();
      io.fabric8.kubernetes.api.model.PodTemplateSpec template =
          live.getValue().getSpec().getTemplate();
      for (Container container : template.getSpec().getContainers()) {
        container.getEnvFrom().stream()
            .filter(source -> source.getConfigMapRef() != null)
            .forEach(
                source ->
                    assertThat(configMaps)
                        .as(name + " reads a ConfigMap the overlay renders")
                        .contains(source.getConfigMapRef().getName()));
      }
      boolean switched = name.equals("volume-orchestrator") || name.equals("hcloud-adapter");
      assertThat(template)
          .as(
              name
                  + (switched
                      ? ": its dry-run setting changes, and so does its pod template"
                      : ": nothing of it changes"))
          .matches(t -> t.equals(dryRun.get(name).getSpec().getTemplate()) != switched);
    }
  }

  @org.junit.jupiter.api.Test
  void everyTopicKeepsItsRecordsAsLongAsTheAuditKeepsTheIncidents() throws Exception {
    String auditConfig =
        Files.readString(
            Repo.root()
                .resolve("audit-service/src/main/java/dev/lifeboat/audit/config/AuditConfig.java"));
    java.util.regex.Matcher retention =
        java.util.regex.Pattern.compile("@WithDefault\\(\"(\\d+)d\"\\)\\s+Duration retention\\(\\)")
            .matcher(auditConfig);
    assertThat(retention.find()).as("the audit's retention default, in days").isTrue();
    long auditMillis = Duration.ofDays(Long.parseLong(retention.group(1))).toMillis();

    for (GenericKubernetesResource topic :
        of(render("production"), GenericKubernetesResource.class, "KafkaTopic")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> config =
          (Map<String, Object>)
              ((Map<String, Object>) topic.getAdditionalProperties().get("spec")).get("config");
      String name = topic.getMetadata().getName();
      if ("compact".equals(config.get("cleanup.policy"))) {
        continue; // the latest record per key, kept for as long as the key lives
      }
      assertThat(Long.parseLong(config.get("retention.ms").toString()))
          .as(name + ": replayable for as long as the audit keeps the incident")
          .isGreaterThanOrEqualTo(auditMillis);
      assertThat(config).as(name + " is bounded in bytes").containsKey("retention.bytes");
    }
  }

  private static Map<String, Deployment> deployments(List<HasMetadata> objects) {
    return of(objects, Deployment.class, "Deployment").stream()
        .collect(Collectors.toMap(d -> d.getMetadata().getName(), d -> d));
  }
}
