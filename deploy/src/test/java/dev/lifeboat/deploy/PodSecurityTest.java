package dev.lifeboat.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.HostPathVolumeSource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every pod Lifeboat runs passes the restricted Pod Security Standard, runs on a read-only root
 * file system, and mounts a service-account token only where it calls the Kubernetes API.
 */
class PodSecurityTest {

  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"production", "dry-run"})
  void everyPodOfLifeboatPassesTheRestrictedLevelWithAReadOnlyRootAndNoTokenItDoesNotNeed(
      String overlay) throws Exception {
    List<HasMetadata> objects = ManifestsTest.render(overlay);
    List<Deployment> deployments =
        objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).toList();

    assertThat(deployments).hasSize(4);
    for (Deployment deployment : deployments) {
      String name = deployment.getMetadata().getName();
      PodSpec pod = deployment.getSpec().getTemplate().getSpec();
      assertThat(PodSecurityStandard.restrictedViolations(pod)).as(name).isEmpty();
      for (Container container : pod.getContainers()) {
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem())
            .as(name + " read-only root")
            .isTrue();
        assertThat(container.getVolumeMounts())
            .as(name + " writes its temporary files to a volume")
            .anyMatch(mount -> mount.getMountPath().equals("/tmp"));
      }
      assertThat(pod.getVolumes())
          .as(name + ": every emptyDir has a size limit")
          .filteredOn(volume -> volume.getEmptyDir() != null)
          .allSatisfy(volume -> assertThat(volume.getEmptyDir().getSizeLimit()).isNotNull());
      assertThat(pod.getAutomountServiceAccountToken())
          .as(name + " mounts a service-account token only if it calls the Kubernetes API")
          .isEqualTo(name.equals("node-watcher") ? null : Boolean.FALSE);
    }
    Namespace namespace =
        YAML.unmarshal(
            java.nio.file.Files.readString(Repo.root().resolve("k8s/namespace.yaml")),
            Namespace.class);
    assertThat(namespace.getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/warn", "restricted")
        .containsEntry("pod-security.kubernetes.io/audit", "restricted")
        .containsEntry("pod-security.kubernetes.io/enforce", "baseline");
  }

  @Test
  void theCheckRefusesEachRuleBroken() {
    PodSpec passing =
        ManifestsTest.render("production").stream()
            .filter(Deployment.class::isInstance)
            .map(Deployment.class::cast)
            .findFirst()
            .orElseThrow()
            .getSpec()
            .getTemplate()
            .getSpec();
    assertThat(PodSecurityStandard.restrictedViolations(passing)).isEmpty();

    assertBreaks(passing, pod -> pod.setHostNetwork(true), "host namespaces");
    assertBreaks(
        passing,
        pod -> pod.getSecurityContext().setSeccompProfile(null),
        "seccompProfile must be RuntimeDefault");
    assertBreaks(
        passing, pod -> context(pod).setAllowPrivilegeEscalation(true), "allowPrivilegeEscalation");
    assertBreaks(passing, pod -> context(pod).setPrivileged(true), "privileged");
    assertBreaks(passing, pod -> context(pod).setRunAsUser(0L), "runAsUser must not be 0");
    assertBreaks(
        passing,
        pod -> {
          pod.getSecurityContext().setRunAsNonRoot(null);
          context(pod).setRunAsNonRoot(null);
        },
        "runAsNonRoot must be true");
    assertBreaks(
        passing,
        pod -> context(pod).setCapabilities(new Capabilities(List.of("SYS_ADMIN"), List.of("ALL"))),
        "capability SYS_ADMIN");
    assertBreaks(
        passing,
        pod -> context(pod).setCapabilities(new Capabilities(null, List.of("NET_RAW"))),
        "capabilities must drop ALL");
    assertBreaks(
        passing,
        pod -> {
          Volume host = new Volume();
          host.setName("host");
          host.setHostPath(new HostPathVolumeSource("/var/lib", null));
          List<Volume> volumes = new ArrayList<>(pod.getVolumes());
          volumes.add(host);
          pod.setVolumes(volumes);
        },
        "type hostPath is not allowed");
  }

  private static SecurityContext context(PodSpec pod) {
    return pod.getContainers().get(0).getSecurityContext();
  }

  private static void assertBreaks(PodSpec passing, Consumer<PodSpec> change, String rule) {
    PodSpec broken = YAML.clone(passing);
    change.accept(broken);
    assertThat(PodSecurityStandard.restrictedViolations(broken))
        .as("breaking: " + rule)
        .anySatisfy(violation -> assertThat(violation).contains(rule));
  }
}
