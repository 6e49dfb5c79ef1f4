package dev.lifeboat.watcher.kubernetes;

import dev.lifeboat.watcher.config.WatcherConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logging.Logger;

/**
 * Leader election with a Lease (Fabric8's {@code LeaderElector}): only the leader emits node events
 * and carries out commands. Listeners hear when this instance starts and stops leading.
 */
@ApplicationScoped
public class Leadership {

  private static final Logger LOG = Logger.getLogger(Leadership.class);

  /** Hears changes of leadership. */
  public interface Listener {
    /** This instance now leads. */
    void started();

    /** This instance no longer leads. */
    void stopped();
  }

  private final KubernetesClient client;
  private final WatcherConfig.Leader config;
  private final String identity;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final MeterRegistry registry;
  private final Gauge gauge;
  private volatile boolean leading;
  private CompletableFuture<?> election;

  /** 1 while this instance leads, else 0 (the alert wants one leader in all). */
  public static final String LEADER_GAUGE = "lifeboat.watcher.leader";

  Leadership(KubernetesClient client, WatcherConfig config, MeterRegistry registry) {
    this.client = client;
    this.registry = registry;
    this.gauge =
        Gauge.builder(LEADER_GAUGE, this, leadership -> leadership.leading ? 1 : 0)
            .description(
                "1 while this node-watcher leads (carries out commands, emits node events)")
            .register(registry);
    this.config = config.leader();
    this.identity =
        config
                .leader()
                .identity()
                .or(() -> java.util.Optional.ofNullable(System.getenv("HOSTNAME")))
                .orElse("node-watcher-" + UUID.randomUUID())
            + "-"
            + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Joins the election; listeners added before hear the outcome. */
  public synchronized void start() {
    if (election != null) {
      return;
    }
    election =
        client
            .leaderElector()
            .withConfig(
                new LeaderElectionConfigBuilder()
                    .withName(config.leaseName())
                    .withLock(new LeaseLock(config.namespace(), config.leaseName(), identity))
                    .withLeaseDuration(config.leaseDuration())
                    .withRenewDeadline(config.renewDeadline())
                    .withRetryPeriod(config.retryPeriod())
                    .withReleaseOnCancel(true)
                    .withLeaderCallbacks(
                        new LeaderCallbacks(this::onStart, this::onStop, leader -> {}))
                    .build())
            .build()
            .start();
  }

  /** Leaves the election (releasing the Lease when leading). */
  public synchronized void stop() {
    if (election != null) {
      election.cancel(true);
      election = null;
    }
    if (leading) {
      onStop();
    }
  }

  void shutdown(@Observes ShutdownEvent event) {
    stop();
    // The registry may outlive this instance (Micrometer's global one, in a JVM that starts the
    // application again): a gauge left behind would go on reading this stopped instance.
    registry.remove(gauge);
  }

  public void listen(Listener listener) {
    listeners.add(listener);
  }

  /** True while this instance leads. */
  public boolean leading() {
    return leading;
  }

  private void onStart() {
    leading = true;
    LOG.infof("%s leads node-watcher", identity);
    listeners.forEach(Listener::started);
  }

  private void onStop() {
    if (!leading) {
      return;
    }
    leading = false;
    LOG.infof("%s no longer leads node-watcher", identity);
    listeners.forEach(Listener::stopped);
  }
}
