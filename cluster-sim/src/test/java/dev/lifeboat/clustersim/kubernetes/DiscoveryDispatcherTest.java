package dev.lifeboat.clustersim.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which collection a request path names, for the watches that would miss a change. */
class DiscoveryDispatcherTest {

  @Test
  void theCollectionOfAPathIsItsPluralResourceWhateverTheNamespaceNameOrSubresource() {
    assertThat(DiscoveryDispatcher.collection("/api/v1/pods?watch=true&resourceVersion=4"))
        .isEqualTo("pods");
    assertThat(DiscoveryDispatcher.collection("/api/v1/namespaces/shop/pods/db-0/status"))
        .isEqualTo("pods");
    assertThat(DiscoveryDispatcher.collection("/api/v1/nodes/worker-1")).isEqualTo("nodes");
    assertThat(
            DiscoveryDispatcher.collection(
                "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases?watch=true"))
        .isEqualTo("leases");
    assertThat(DiscoveryDispatcher.collection("/apis/storage.k8s.io/v1/volumeattachments/va-1"))
        .isEqualTo("volumeattachments");
    assertThat(DiscoveryDispatcher.collection("/api/v1/namespaces/shop")).isEqualTo("namespaces");
    assertThat(DiscoveryDispatcher.collection("/api/v1/namespaces/shop/status"))
        .isEqualTo("namespaces");
    assertThat(DiscoveryDispatcher.collection("/version")).isNull();
    assertThat(DiscoveryDispatcher.collection("/api/v1")).isNull();
  }
}
