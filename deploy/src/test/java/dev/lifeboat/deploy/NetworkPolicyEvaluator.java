package dev.lifeboat.deploy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;

/**
 * Whether Kubernetes NetworkPolicies let a connection through, as the API defines them: a pod that
 * no policy of its namespace selects for a direction is open in that direction; one that some
 * policy selects accepts only what a rule of such a policy allows (peers by pod and namespace
 * labels or by address block, ports by number or by the destination's port name). Both the sender's
 * egress and the receiver's ingress must allow it.
 */
final class NetworkPolicyEvaluator {

  /** One end of a connection: a pod (namespace, labels, address, named ports), or an address. */
  record End(String namespace, Map<String, String> labels, String ip, Map<String, Integer> ports) {

    static End pod(
        String namespace, Map<String, String> labels, String ip, Map<String, Integer> ports) {
      return new End(namespace, labels, ip, ports);
    }

    static End address(String ip) {
      return new End(null, null, ip, Map.of());
    }

    boolean isPod() {
      return namespace != null;
    }
  }

  private final List<NetworkPolicy> policies;

  NetworkPolicyEvaluator(List<NetworkPolicy> policies) {
    this.policies = policies;
  }

  /** Whether a connection from one end to the other's port gets through. */
  boolean allows(End from, End to, int port, String protocol) {
    return (!from.isPod() || egressAllows(from, to, port, protocol))
        && (!to.isPod() || ingressAllows(from, to, port, protocol));
  }

  private boolean egressAllows(End from, End to, int port, String protocol) {
    List<NetworkPolicy> selecting = selecting(from, "Egress");
    if (selecting.isEmpty()) {
      return true;
    }
    for (NetworkPolicy policy : selecting) {
      for (var rule : policy.getSpec().getEgress()) {
        if (peersMatch(rule.getTo(), to, policy)
            && portsMatch(rule.getPorts(), to, port, protocol)) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean ingressAllows(End from, End to, int port, String protocol) {
    List<NetworkPolicy> selecting = selecting(to, "Ingress");
    if (selecting.isEmpty()) {
      return true;
    }
    for (NetworkPolicy policy : selecting) {
      for (var rule : policy.getSpec().getIngress()) {
        if (peersMatch(rule.getFrom(), from, policy)
            && portsMatch(rule.getPorts(), to, port, protocol)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The policies of the pod's namespace that select it for the direction. */
  private List<NetworkPolicy> selecting(End pod, String direction) {
    return policies.stream()
        .filter(p -> pod.namespace().equals(p.getMetadata().getNamespace()))
        .filter(p -> types(p).contains(direction))
        .filter(p -> matches(p.getSpec().getPodSelector(), pod.labels()))
        .toList();
  }

  /** The policy's types; without any, Ingress, and Egress too when it has egress rules. */
  private static List<String> types(NetworkPolicy policy) {
    List<String> types = policy.getSpec().getPolicyTypes();
    if (types != null && !types.isEmpty()) {
      return types;
    }
    return policy.getSpec().getEgress() == null || policy.getSpec().getEgress().isEmpty()
        ? List.of("Ingress")
        : List.of("Ingress", "Egress");
  }

  private static boolean peersMatch(
      List<NetworkPolicyPeer> peers, End other, NetworkPolicy policy) {
    if (peers == null || peers.isEmpty()) {
      return true;
    }
    for (NetworkPolicyPeer peer : peers) {
      if (peer.getIpBlock() != null) {
        if (inBlock(other.ip(), peer.getIpBlock())) {
          return true;
        }
        continue;
      }
      if (!other.isPod()) {
        continue;
      }
      boolean namespaceOk =
          peer.getNamespaceSelector() == null
              ? other.namespace().equals(policy.getMetadata().getNamespace())
              : matches(
                  peer.getNamespaceSelector(),
                  Map.of("kubernetes.io/metadata.name", other.namespace()));
      boolean podOk =
          peer.getPodSelector() == null || matches(peer.getPodSelector(), other.labels());
      if (namespaceOk && podOk) {
        return true;
      }
    }
    return false;
  }

  private static boolean portsMatch(
      List<NetworkPolicyPort> ports, End to, int port, String protocol) {
    if (ports == null || ports.isEmpty()) {
      return true;
    }
    for (NetworkPolicyPort allowed : ports) {
      String allowedProtocol = allowed.getProtocol() == null ? "TCP" : allowed.getProtocol();
      if (!allowedProtocol.equals(protocol)) {
        continue;
      }
      IntOrString value = allowed.getPort();
      if (value == null) {
        return true;
      }
      Integer number =
          value.getIntVal() != null ? value.getIntVal() : to.ports().get(value.getStrVal());
      if (number != null && number == port) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return true;
    }
    if (selector.getMatchLabels() != null
        && !labels.entrySet().containsAll(selector.getMatchLabels().entrySet())) {
      return false;
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
        String value = labels.get(requirement.getKey());
        boolean ok =
            switch (requirement.getOperator()) {
              case "In" -> value != null && requirement.getValues().contains(value);
              case "NotIn" -> value == null || !requirement.getValues().contains(value);
              case "Exists" -> value != null;
              case "DoesNotExist" -> value == null;
              default -> throw new IllegalArgumentException(requirement.getOperator());
            };
        if (!ok) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean inBlock(String ip, IPBlock block) {
    if (ip == null || !inCidr(ip, block.getCidr())) {
      return false;
    }
    return block.getExcept() == null
        || block.getExcept().stream().noneMatch(except -> inCidr(ip, except));
  }

  private static boolean inCidr(String ip, String cidr) {
    String[] parts = cidr.split("/");
    int bits = Integer.parseInt(parts[1]);
    long mask = bits == 0 ? 0 : (0xffffffffL << (32 - bits)) & 0xffffffffL;
    return (address(ip) & mask) == (address(parts[0]) & mask);
  }

  private static long address(String ip) {
    long value = 0;
    for (String octet : ip.split("\\.")) {
      value = (value << 8) | Integer.parseInt(octet);
    }
    return value;
  }
}
