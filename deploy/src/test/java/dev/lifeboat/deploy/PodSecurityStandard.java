package dev.lifeboat.deploy;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The rules of Kubernetes' restricted Pod Security Standard (which includes the baseline one), as
 * the Pod Security admission controller applies them to a pod spec: every rule a pod template of
 * ours must pass in a namespace labelled {@code pod-security.kubernetes.io/enforce: restricted}.
 */
final class PodSecurityStandard {

  /** Volume types the restricted level allows. */
  private static final Set<String> VOLUME_TYPES =
      Set.of(
          "configMap",
          "csi",
          "downwardAPI",
          "emptyDir",
          "ephemeral",
          "persistentVolumeClaim",
          "projected",
          "secret");

  /** Sysctls the baseline level allows. */
  private static final Set<String> SAFE_SYSCTLS =
      Set.of(
          "kernel.shm_rmid_forced",
          "net.ipv4.ip_local_port_range",
          "net.ipv4.ip_unprivileged_port_start",
          "net.ipv4.tcp_syncookies",
          "net.ipv4.ping_group_range",
          "net.ipv4.ip_local_reserved_ports",
          "net.ipv4.tcp_keepalive_time",
          "net.ipv4.tcp_fin_timeout",
          "net.ipv4.tcp_keepalive_intvl",
          "net.ipv4.tcp_keepalive_probes");

  private PodSecurityStandard() {}

  /** Every rule of the restricted level this pod spec breaks, in words; empty when it passes. */
  static List<String> restrictedViolations(PodSpec pod) {
    List<String> broken = new ArrayList<>();
    PodSecurityContext podContext =
        pod.getSecurityContext() == null ? new PodSecurityContext() : pod.getSecurityContext();
    if (Boolean.TRUE.equals(pod.getHostNetwork())
        || Boolean.TRUE.equals(pod.getHostPID())
        || Boolean.TRUE.equals(pod.getHostIPC())) {
      broken.add("host namespaces: hostNetwork, hostPID and hostIPC must be unset or false");
    }
    for (Volume volume : pod.getVolumes() == null ? List.<Volume>of() : pod.getVolumes()) {
      String type = volumeType(volume);
      if (!VOLUME_TYPES.contains(type)) {
        broken.add("volume " + volume.getName() + ": type " + type + " is not allowed");
      }
    }
    for (Sysctl sysctl :
        podContext.getSysctls() == null ? List.<Sysctl>of() : podContext.getSysctls()) {
      if (!SAFE_SYSCTLS.contains(sysctl.getName())) {
        broken.add("sysctl " + sysctl.getName() + " is not allowed");
      }
    }
    if (podContext.getRunAsUser() != null && podContext.getRunAsUser() == 0) {
      broken.add("pod: runAsUser must not be 0");
    }
    if (unconfined(podContext.getSeccompProfile())) {
      broken.add("pod: seccompProfile must not be Unconfined");
    }
    List<Container> containers = new ArrayList<>(pod.getContainers());
    if (pod.getInitContainers() != null) {
      containers.addAll(pod.getInitContainers());
    }
    for (Container container : containers) {
      String name = "container " + container.getName();
      SecurityContext context =
          container.getSecurityContext() == null
              ? new SecurityContext()
              : container.getSecurityContext();
      if (Boolean.TRUE.equals(context.getPrivileged())) {
        broken.add(name + ": privileged must be unset or false");
      }
      if (!Boolean.FALSE.equals(context.getAllowPrivilegeEscalation())) {
        broken.add(name + ": allowPrivilegeEscalation must be false");
      }
      boolean nonRoot =
          context.getRunAsNonRoot() != null
              ? context.getRunAsNonRoot()
              : Boolean.TRUE.equals(podContext.getRunAsNonRoot());
      if (!nonRoot) {
        broken.add(name + ": runAsNonRoot must be true (on the pod or the container)");
      }
      if (context.getRunAsUser() != null && context.getRunAsUser() == 0) {
        broken.add(name + ": runAsUser must not be 0");
      }
      SeccompProfile seccomp =
          context.getSeccompProfile() != null
              ? context.getSeccompProfile()
              : podContext.getSeccompProfile();
      if (seccomp == null || !Set.of("RuntimeDefault", "Localhost").contains(seccomp.getType())) {
        broken.add(name + ": seccompProfile must be RuntimeDefault or Localhost");
      }
      Capabilities capabilities = context.getCapabilities();
      if (capabilities == null
          || capabilities.getDrop() == null
          || !capabilities.getDrop().contains("ALL")) {
        broken.add(name + ": capabilities must drop ALL");
      }
      if (capabilities != null && capabilities.getAdd() != null) {
        capabilities.getAdd().stream()
            .filter(added -> !added.equals("NET_BIND_SERVICE"))
            .forEach(added -> broken.add(name + ": capability " + added + " may not be added"));
      }
      if (container.getPorts() != null
          && container.getPorts().stream()
              .anyMatch(port -> port.getHostPort() != null && port.getHostPort() != 0)) {
        broken.add(name + ": hostPort must be unset");
      }
      if (context.getProcMount() != null && !context.getProcMount().equals("Default")) {
        broken.add(name + ": procMount must be Default");
      }
      if (context.getSeLinuxOptions() != null
          && (context.getSeLinuxOptions().getUser() != null
              || context.getSeLinuxOptions().getRole() != null)) {
        broken.add(name + ": seLinuxOptions user and role must be unset");
      }
    }
    return broken;
  }

  private static boolean unconfined(SeccompProfile profile) {
    return profile != null && "Unconfined".equals(profile.getType());
  }

  private static String volumeType(Volume volume) {
    if (volume.getConfigMap() != null) {
      return "configMap";
    }
    if (volume.getCsi() != null) {
      return "csi";
    }
    if (volume.getDownwardAPI() != null) {
      return "downwardAPI";
    }
    if (volume.getEmptyDir() != null) {
      return "emptyDir";
    }
    if (volume.getEphemeral() != null) {
      return "ephemeral";
    }
    if (volume.getPersistentVolumeClaim() != null) {
      return "persistentVolumeClaim";
    }
    if (volume.getProjected() != null) {
      return "projected";
    }
    if (volume.getSecret() != null) {
      return "secret";
    }
    if (volume.getHostPath() != null) {
      return "hostPath";
    }
    return "other";
  }
}
