package dev.lifeboat.clustersim.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.clustersim.config.ClusterSimConfig;
import dev.lifeboat.clustersim.domain.Cluster;
import dev.lifeboat.clustersim.domain.World;
import dev.lifeboat.clustersim.hcloud.HcloudSim;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The simulated cluster: at start it serves the API, waits for hcloud-sim, seeds the cluster from
 * its servers and volumes, then runs every component on one thread each tick, each comparing what
 * the API holds with the world and acting on the difference.
 */
@ApplicationScoped
public class Simulation {

  private static final Logger LOG = Logger.getLogger(Simulation.class);

  private final ClusterSimConfig config;
  private final HcloudSim hcloud;
  private final Clock clock = Clock.systemUTC();
  private final AtomicBoolean attacherEnabled;
  private final AtomicReference<Duration> attacherPause;
  private final AtomicBoolean seeded = new AtomicBoolean();
  private final AtomicReference<Instant> lastTick = new AtomicReference<>();
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "cluster-sim"));
  private ApiServer api;
  private ClusterCache cache;
  private Kubelets kubelets;
  private NodeLifecycle lifecycle;
  private CloudControllerManager ccm;
  private Scheduler scheduler;
  private StatefulSetController statefulSets;
  private VolumeAttacher attacher;

  Simulation(ClusterSimConfig config, ObjectMapper json) {
    this.config = config;
    this.hcloud = new HcloudSim(config.hcloud().url(), config.hcloud().token(), json);
    this.attacherEnabled = new AtomicBoolean(config.attacher().enabled());
    this.attacherPause = new AtomicReference<>(config.attacher().pause());
  }

  void start(@Observes StartupEvent event) {
    api = ApiServer.start(config);
    config.kubeconfig().map(Path::of).ifPresent(api::writeKubeconfig);
    LOG.infof(
        "Kubernetes API on %s%s",
        api.url(), config.kubeconfig().map(k -> ", kubeconfig " + k).orElse(""));
    KubernetesClient client = api.client();
    kubelets = new Kubelets(client, config.kubelet().leaseInterval());
    lifecycle = new NodeLifecycle(client, config.nodeMonitorGrace());
    ccm = new CloudControllerManager(client, hcloud, config.ccmInterval());
    scheduler = new Scheduler(client);
    statefulSets = new StatefulSetController(client);
    attacher =
        new VolumeAttacher(
            client,
            hcloud,
            attacherEnabled,
            attacherPause::get,
            config.attacher().backoff(),
            config.attacher().maxBackoff());
    thread.execute(this::seed);
  }

  void stop(@Observes ShutdownEvent event) {
    thread.shutdownNow();
    if (cache != null) {
      cache.close();
    }
    if (api != null) {
      api.close();
    }
  }

  /** Whether the cluster is seeded and its components run. */
  public boolean seeded() {
    return seeded.get();
  }

  /** When the components last ran. */
  public Instant lastTick() {
    return lastTick.get();
  }

  /** Whether the CSI attacher attaches volumes itself. */
  public boolean attacherEnabled() {
    return attacherEnabled.get();
  }

  /** Switches the CSI attacher's emulation. */
  public void attacherEnabled(boolean enabled) {
    attacherEnabled.set(enabled);
    LOG.infof("CSI attacher emulation %s", enabled ? "on" : "off");
  }

  /** How long the CSI attacher waits after a VolumeAttachment appears. */
  public Duration attacherPause() {
    return attacherPause.get();
  }

  /** Changes the CSI attacher's pause. */
  public void attacherPause(Duration pause) {
    attacherPause.set(pause);
    LOG.infof("CSI attacher pause %s", pause);
  }

  /** The Kubernetes API goes away for this long; returns when it serves again. */
  public Instant apiOutage(Duration length) {
    return api.outage(length);
  }

  /** Until when the Kubernetes API is down; empty while it serves. */
  public Optional<Instant> apiDownUntil() {
    return api == null ? Optional.empty() : api.downUntil();
  }

  /** What the API holds now (from the informers' caches). */
  public Cluster cluster() {
    if (cache == null) {
      throw new IllegalStateException("the cluster is not seeded yet");
    }
    return cache.snapshot();
  }

  private void seed() {
    Instant deadline = clock.instant().plus(config.hcloud().startTimeout());
    World world = null;
    while (world == null) {
      try {
        world = hcloud.world();
      } catch (IOException e) {
        if (clock.instant().isAfter(deadline)) {
          LOG.errorf(
              "hcloud-sim does not answer at %s (cluster-sim.hcloud.url): %s",
              config.hcloud().url(), e.getMessage());
          return;
        }
        try {
          Thread.sleep(500); // waiting for another process to start, not for a result
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    KubernetesClient client = api.client();
    Instant now = clock.instant();
    ClusterObjects.Plan plan = ClusterObjects.of(world, config.namespace(), now);
    plan.namespaces().forEach(ns -> Writes.create(client, ns));
    plan.nodes().forEach(node -> Writes.create(client, node, node.getStatus(), Node::setStatus));
    plan.leases().forEach(lease -> Writes.create(client, lease));
    plan.volumes()
        .forEach(pv -> Writes.create(client, pv, pv.getStatus(), PersistentVolume::setStatus));
    plan.claims()
        .forEach(
            pvc -> Writes.create(client, pvc, pvc.getStatus(), PersistentVolumeClaim::setStatus));
    Map<String, StatefulSet> sets = new HashMap<>();
    plan.statefulSets()
        .forEach(
            set -> {
              StatefulSet created = Writes.create(client, set);
              sets.put(set.getMetadata().getName(), created != null ? created : set);
            });
    for (ClusterObjects.Placement placement : plan.placements()) {
      Pod pod = ClusterObjects.pod(sets.get(placement.statefulSet()), placement.ordinal());
      pod.getSpec().setNodeName(placement.node());
      Pod created =
          Writes.create(client, pod, ClusterObjects.runningStatus(pod, true, now), Pod::setStatus);
      if (created != null) {
        plan.volumes().stream()
            .filter(
                pv ->
                    pv.getSpec()
                        .getCsi()
                        .getVolumeHandle()
                        .equals(Long.toString(placement.volumeId())))
            .findFirst()
            .ifPresent(
                pv ->
                    Writes.attachment(
                        client, ClusterObjects.attachment(pv, placement.node(), true)));
      }
    }
    cache = new ClusterCache(client);
    LOG.infof(
        "seeded from hcloud-sim: %d nodes, %d volumes, %d StatefulSets, %d pods",
        plan.nodes().size(),
        plan.volumes().size(),
        plan.statefulSets().size(),
        plan.placements().size());
    seeded.set(true);
    thread.scheduleWithFixedDelay(this::tick, 0, config.tick().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void tick() {
    Instant now = clock.instant();
    try {
      World world = hcloud.world();
      Cluster cluster = cache.snapshot();
      kubelets.reconcile(cluster, world, now);
      lifecycle.reconcile(cluster, now);
      ccm.reconcile(cluster, now);
      statefulSets.reconcile(cluster);
      Map<String, String> bound = scheduler.reconcile(cluster, now);
      attacher.reconcile(cluster, world, now, bound);
      lastTick.set(now);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      // One failed call (hcloud-sim restarting, a write conflict) is retried next tick.
      LOG.warnf("tick failed, trying again next tick: %s", e.getMessage());
      lastTick.set(now);
    }
  }
}
