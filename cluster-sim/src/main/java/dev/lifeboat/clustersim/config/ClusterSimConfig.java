package dev.lifeboat.clustersim.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The cluster simulator's configuration ({@code cluster-sim.*}); see cluster-sim/README.md. */
@ConfigMapping(prefix = "cluster-sim")
public interface ClusterSimConfig {

  /** Port of the Kubernetes API. */
  @WithDefault("8766")
  int apiPort();

  /** Address the Kubernetes API listens on. */
  @WithDefault("127.0.0.1")
  String apiHost();

  /** Host written into the kubeconfig (how clients reach the API). */
  @WithDefault("127.0.0.1")
  String advertisedHost();

  /** Where to write a kubeconfig for the API; none when absent. */
  Optional<String> kubeconfig();

  /** The Hetzner side: hcloud-sim. */
  Hcloud hcloud();

  /** The kubelets. */
  Kubelet kubelet();

  /** How often the controllers compare the cluster with the world and act. */
  @WithDefault("250ms")
  Duration tick();

  /** Node lifecycle controller: Ready=Unknown and the unreachable taints after this silence. */
  @WithDefault("50s")
  Duration nodeMonitorGrace();

  /** Cloud controller manager: how often it asks the Hetzner API about not-Ready nodes. */
  @WithDefault("5s")
  Duration ccmInterval();

  /** The CSI attacher's emulation. */
  Attacher attacher();

  /** Namespace of the workloads seeded from the volumes. */
  @WithDefault("default")
  String namespace();

  /** hcloud-sim. */
  interface Hcloud {
    /** Base URL of hcloud-sim, without {@code /v1}. */
    @WithDefault("http://127.0.0.1:8765")
    String url();

    /** Bearer token for its {@code /v1} API (the simulator takes any unless it has one set). */
    @WithDefault("cluster-sim")
    String token();

    /** How long to wait for hcloud-sim at start. */
    @WithDefault("60s")
    Duration startTimeout();
  }

  /** The kubelets. */
  interface Kubelet {
    /** How often a live node renews its Lease (the kubelet's default). */
    @WithDefault("10s")
    Duration leaseInterval();
  }

  /** The external-attacher of the hcloud CSI driver. */
  interface Attacher {
    /** Whether it attaches volumes of scheduled pods itself (can be switched at run time). */
    @WithDefault("false")
    boolean enabled();

    /** Pause between a VolumeAttachment's creation and the first attach call. */
    @WithDefault("3s")
    Duration pause();

    /** First back-off after a failed attach; it doubles up to {@code max-backoff}. */
    @WithDefault("1s")
    Duration backoff();

    /** Longest back-off. */
    @WithDefault("30s")
    Duration maxBackoff();
  }
}
