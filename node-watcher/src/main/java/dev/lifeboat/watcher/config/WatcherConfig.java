package dev.lifeboat.watcher.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** node-watcher's configuration ({@code lifeboat.watcher.*}); see node-watcher/README.md. */
@ConfigMapping(prefix = "lifeboat.watcher")
public interface WatcherConfig {

  /** A node's Lease older than this makes it suspected (kubelets renew every 10 s). */
  @WithDefault("12s")
  Duration leaseSuspect();

  /** A node's Lease older than this makes it gone (never before lease-suspect + renew period). */
  @WithDefault("20s")
  Duration leaseGrace();

  /**
   * How often kubelets renew their Lease (Kubernetes: 10 s). No node is declared gone before every
   * node that went silent within one such period of it shows as suspected.
   */
  @WithDefault("10s")
  Duration leaseRenewPeriod();

  /** Ready not True for longer than this makes a node gone. */
  @WithDefault("30s")
  Duration notReadyGrace();

  /**
   * How often the leader looks for nodes whose inventory changed and reports them on {@code
   * node-inventory} (what the orchestrator's removal API and drill read).
   */
  @WithDefault("5s")
  Duration inventoryInterval();

  /** Storm guard. */
  Storm storm();

  /**
   * Nodes to ignore, by label: {@code key} (any value) or {@code key=value}, separated by commas.
   */
  @WithDefault("node-role.kubernetes.io/control-plane,node-role.kubernetes.io/master")
  String excludeLabels();

  /** Nodes to ignore, by annotation, in the same form. */
  @WithDefault("lifeboat.dev/exclude=true")
  String excludeAnnotations();

  /** Leader election. */
  Leader leader();

  /** Storm guard settings. */
  interface Storm {
    /** The share of the watched nodes that may be lost within the window. */
    @WithDefault("0.3333")
    double maxLostShare();

    /** How long a declared loss counts against the share. */
    @WithDefault("60s")
    Duration window();
  }

  /** Leader election with a Lease (Fabric8's elector). */
  interface Leader {
    /** Namespace of the Lease (env {@code POD_NAMESPACE} in a cluster). */
    @WithDefault("${POD_NAMESPACE:lifeboat}")
    String namespace();

    /** Name of the Lease. */
    @WithDefault("lifeboat-node-watcher")
    String leaseName();

    /** This instance's identity (env {@code HOSTNAME}, the pod name, in a cluster). */
    Optional<String> identity();

    /** How long a leader holds the Lease without renewing. */
    @WithDefault("15s")
    Duration leaseDuration();

    /** How long a leader tries to renew before it gives up leading. */
    @WithDefault("10s")
    Duration renewDeadline();

    /** How often candidates try to acquire and leaders renew. */
    @WithDefault("2s")
    Duration retryPeriod();
  }
}
