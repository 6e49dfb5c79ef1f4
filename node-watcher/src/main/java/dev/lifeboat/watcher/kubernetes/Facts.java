package dev.lifeboat.watcher.kubernetes;

import dev.lifeboat.watcher.domain.ClusterFacts.AttachmentFacts;
import dev.lifeboat.watcher.domain.ClusterFacts.ClaimFacts;
import dev.lifeboat.watcher.domain.ClusterFacts.PodFacts;
import dev.lifeboat.watcher.domain.ClusterFacts.VolumeFacts;
import dev.lifeboat.watcher.domain.NodeFacts;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachment;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Reads Kubernetes API objects as the domain's facts. */
final class Facts {

  private Facts() {}

  static NodeFacts node(io.fabric8.kubernetes.api.model.Node node) {
    Optional<NodeCondition> ready =
        node.getStatus() == null || node.getStatus().getConditions() == null
            ? Optional.empty()
            : node.getStatus().getConditions().stream()
                .filter(c -> "Ready".equals(c.getType()))
                .findFirst();
    return new NodeFacts(
        node.getMetadata().getName(),
        node.getMetadata().getUid(),
        node.getSpec() == null ? null : node.getSpec().getProviderID(),
        orEmpty(node.getMetadata().getLabels()),
        orEmpty(node.getMetadata().getAnnotations()),
        ready.map(NodeCondition::getStatus).orElse(null),
        ready.map(NodeCondition::getLastTransitionTime).map(Facts::time).orElse(null),
        node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable()),
        node.getSpec() == null || node.getSpec().getTaints() == null
            ? List.of()
            : node.getSpec().getTaints().stream()
                .map(t -> new NodeFacts.Taint(t.getKey(), t.getEffect()))
                .toList());
  }

  /** The Lease's renew time; null when it has none. */
  static Instant renewTime(Lease lease) {
    return lease.getSpec() == null || lease.getSpec().getRenewTime() == null
        ? null
        : lease.getSpec().getRenewTime().toInstant();
  }

  static PodFacts pod(Pod pod) {
    List<String> claims =
        pod.getSpec() == null || pod.getSpec().getVolumes() == null
            ? List.of()
            : pod.getSpec().getVolumes().stream()
                .map(Volume::getPersistentVolumeClaim)
                .filter(Objects::nonNull)
                .map(claim -> claim.getClaimName())
                .toList();
    Optional<OwnerReference> owner =
        pod.getMetadata().getOwnerReferences() == null
            ? Optional.empty()
            : pod.getMetadata().getOwnerReferences().stream()
                .filter(o -> Boolean.TRUE.equals(o.getController()))
                .findFirst();
    String ownerKind = owner.map(OwnerReference::getKind).orElse(null);
    String ownerName = owner.map(OwnerReference::getName).orElse(null);
    String hash = orEmpty(pod.getMetadata().getLabels()).get("pod-template-hash");
    if ("ReplicaSet".equals(ownerKind) && hash != null && ownerName.endsWith("-" + hash)) {
      // A Deployment's pods belong to its ReplicaSet, named <deployment>-<pod-template-hash>.
      ownerKind = "Deployment";
      ownerName = ownerName.substring(0, ownerName.length() - hash.length() - 1);
    }
    boolean ready =
        pod.getStatus() != null
            && pod.getStatus().getConditions() != null
            && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    Instant scheduledAt =
        pod.getStatus() == null || pod.getStatus().getConditions() == null
            ? null
            : pod.getStatus().getConditions().stream()
                .filter(c -> "PodScheduled".equals(c.getType()) && "True".equals(c.getStatus()))
                .map(c -> time(c.getLastTransitionTime()))
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
    String waiting =
        pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
            ? null
            : pod.getStatus().getContainerStatuses().stream()
                .map(c -> c.getState() == null ? null : c.getState().getWaiting())
                .filter(Objects::nonNull)
                .map(w -> w.getReason())
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
    return new PodFacts(
        pod.getMetadata().getNamespace(),
        pod.getMetadata().getName(),
        pod.getMetadata().getUid(),
        pod.getSpec() == null ? null : pod.getSpec().getNodeName(),
        ownerKind,
        ownerName,
        claims,
        ready,
        pod.getMetadata().getDeletionTimestamp() != null,
        scheduledAt,
        waiting);
  }

  static ClaimFacts claim(PersistentVolumeClaim claim) {
    return new ClaimFacts(
        claim.getMetadata().getNamespace(),
        claim.getMetadata().getName(),
        claim.getSpec() == null ? null : claim.getSpec().getVolumeName(),
        orEmpty(claim.getMetadata().getAnnotations()));
  }

  static VolumeFacts volume(PersistentVolume pv) {
    var spec = pv.getSpec();
    String driver = spec == null || spec.getCsi() == null ? null : spec.getCsi().getDriver();
    String handle = spec == null || spec.getCsi() == null ? null : spec.getCsi().getVolumeHandle();
    String location = null;
    if (spec != null
        && spec.getNodeAffinity() != null
        && spec.getNodeAffinity().getRequired() != null) {
      location =
          spec.getNodeAffinity().getRequired().getNodeSelectorTerms().stream()
              .flatMap(term -> term.getMatchExpressions().stream())
              .filter(
                  e ->
                      NodeFacts.CSI_LOCATION_LABEL.equals(e.getKey())
                          || NodeFacts.REGION_LABEL.equals(e.getKey()))
              .filter(e -> "In".equals(e.getOperator()) && !e.getValues().isEmpty())
              .map(NodeSelectorRequirement::getValues)
              .map(values -> values.get(0))
              .findFirst()
              .orElse(null);
    }
    var claimRef = spec == null ? null : spec.getClaimRef();
    return new VolumeFacts(
        pv.getMetadata().getName(),
        driver,
        handle,
        location,
        claimRef == null ? null : claimRef.getNamespace(),
        claimRef == null ? null : claimRef.getName(),
        spec == null ? null : spec.getPersistentVolumeReclaimPolicy());
  }

  static AttachmentFacts attachment(VolumeAttachment va) {
    return new AttachmentFacts(
        va.getMetadata().getName(),
        va.getSpec().getAttacher(),
        va.getSpec().getSource() == null
            ? null
            : va.getSpec().getSource().getPersistentVolumeName(),
        va.getSpec().getNodeName(),
        va.getStatus() != null && Boolean.TRUE.equals(va.getStatus().getAttached()),
        time(va.getMetadata().getCreationTimestamp()));
  }

  static Instant time(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** The map, without entries whose value is null (a merge patch that was not applied as one). */
  private static Map<String, String> orEmpty(Map<String, String> map) {
    if (map == null) {
      return Map.of();
    }
    if (map.containsValue(null)) {
      Map<String, String> present = new java.util.LinkedHashMap<>(map);
      present.values().removeIf(java.util.Objects::isNull);
      return present;
    }
    return map;
  }
}
