package dev.lifeboat.clustersim.kubernetes;

import dev.lifeboat.clustersim.config.ClusterSimConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The Kubernetes API of the simulated cluster: the Fabric8 mock server in CRUD mode (objects are
 * stored, watched, patched, deleted as on a real API server) with the discovery documents, on a
 * fixed port, and a kubeconfig for it.
 */
public final class ApiServer implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ApiServer.class);

  private final DiscoveryDispatcher dispatcher;
  private final InetAddress address;
  private final int port;
  private final String url;
  private final KubernetesClient client;
  private final ScheduledExecutorService outages =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "api-outage"));
  private KubernetesMockServer server;
  private Instant downUntil;

  private ApiServer(
      DiscoveryDispatcher dispatcher,
      KubernetesMockServer server,
      InetAddress address,
      int port,
      String url) {
    this.dispatcher = dispatcher;
    this.server = server;
    this.address = address;
    this.port = port;
    this.url = url;
    Config config =
        new ConfigBuilder()
            .withMasterUrl(url)
            .withNamespace("default")
            .withUserAgent("lifeboat-cluster-sim")
            .withRequestTimeout(10_000)
            .build();
    this.client = new KubernetesClientBuilder().withConfig(config).build();
  }

  /** Starts the API on the configured address and port. */
  public static ApiServer start(ClusterSimConfig config) {
    DiscoveryDispatcher dispatcher = new DiscoveryDispatcher();
    InetAddress address;
    KubernetesMockServer server;
    try {
      address = InetAddress.getByName(config.apiHost());
      server = serve(dispatcher, address, config.apiPort());
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "cannot serve the Kubernetes API on "
              + config.apiHost()
              + ":"
              + config.apiPort()
              + " (cluster-sim.api-port, env CLUSTER_SIM_API_PORT): "
              + e.getMessage(),
          e);
    }
    ApiServer api =
        new ApiServer(
            dispatcher,
            server,
            address,
            config.apiPort(),
            "http://" + config.advertisedHost() + ":" + config.apiPort());
    dispatcher.evictions.use(api.client);
    return api;
  }

  private static KubernetesMockServer serve(
      DiscoveryDispatcher dispatcher, InetAddress address, int port) {
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init(address, port);
    return server;
  }

  /**
   * The API goes away for this long, as when the control plane's server restarts: its port is
   * closed, every open watch with it, and nobody (the simulated kubelets included) reaches it until
   * it serves again, with every object as it was; a watch resumed from before then is answered 410
   * Gone, so that its client lists again.
   *
   * @return when it serves again
   * @throws IllegalStateException while it is down already
   */
  public synchronized Instant outage(Duration length) {
    if (downUntil != null) {
      throw new IllegalStateException("the API is down already, until " + downUntil);
    }
    server.destroy();
    downUntil = Instant.now().plus(length);
    LOG.warnf("Kubernetes API down for %s", length);
    outages.schedule(this::serveAgain, length.toMillis(), TimeUnit.MILLISECONDS);
    return downUntil;
  }

  /** Until when the API is down; empty while it serves. */
  public synchronized Optional<Instant> downUntil() {
    return Optional.ofNullable(downUntil);
  }

  private synchronized void serveAgain() {
    try {
      server = serve(dispatcher, address, port);
      dispatcher.expireWatches();
      downUntil = null;
      LOG.infof("Kubernetes API serves again on %s", url);
    } catch (RuntimeException e) {
      // The port not free yet: try again shortly.
      LOG.warnf("Kubernetes API cannot serve again yet: %s", e.getMessage());
      outages.schedule(this::serveAgain, 500, TimeUnit.MILLISECONDS);
    }
  }

  /** The API's URL as clients reach it. */
  public String url() {
    return url;
  }

  /** A client of the API, for the simulated components. */
  public KubernetesClient client() {
    return client;
  }

  /** Writes a kubeconfig for the API (context {@code lifeboat-local}) to the file. */
  public void writeKubeconfig(Path file) {
    String kubeconfig =
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: lifeboat-local",
            "  cluster:",
            "    server: " + url,
            "users:",
            "- name: lifeboat-local",
            "  user:",
            "    token: lifeboat-local",
            "contexts:",
            "- name: lifeboat-local",
            "  context:",
            "    cluster: lifeboat-local",
            "    user: lifeboat-local",
            "    namespace: default",
            "current-context: lifeboat-local",
            "");
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, kubeconfig);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the kubeconfig to " + file + " (cluster-sim.kubeconfig)", e);
    }
  }

  @Override
  public synchronized void close() {
    outages.shutdownNow();
    client.close();
    server.destroy();
  }
}
