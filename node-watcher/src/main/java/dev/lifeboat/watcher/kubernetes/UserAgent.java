package dev.lifeboat.watcher.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.quarkus.kubernetes.client.KubernetesConfigCustomizer;
import jakarta.inject.Singleton;

/**
 * Names node-watcher's requests to the API server, so they can be told apart in audit logs (and in
 * the test that checks its RBAC rules).
 */
@Singleton
public class UserAgent implements KubernetesConfigCustomizer {

  /** The User-Agent of every request node-watcher makes. */
  public static final String VALUE = "lifeboat-node-watcher";

  @Override
  public void customize(Config config) {
    config.setUserAgent(VALUE);
  }
}
