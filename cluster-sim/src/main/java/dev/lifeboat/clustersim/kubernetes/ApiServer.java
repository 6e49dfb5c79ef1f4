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
import java.util.HashMap;

/**
 * The Kubernetes API of the simulated cluster: the Fabric8 mock server in CRUD mode (objects are
 * stored, watched, patched, deleted as on a real API server) with the discovery documents, on a
 * fixed port, and a kubeconfig for it.
 */
public final class ApiServer implements AutoCloseable {

  private final KubernetesMockServer server;
  private final String url;
  private final KubernetesClient client;

  private ApiServer(KubernetesMockServer server, String url) {
    this.server = server;
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
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    try {
      server.init(InetAddress.getByName(config.apiHost()), config.apiPort());
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
        new ApiServer(server, "http://" + config.advertisedHost() + ":" + config.apiPort());
    dispatcher.evictions.use(api.client);
    return api;
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
  public void close() {
    client.close();
    server.destroy();
  }
}
