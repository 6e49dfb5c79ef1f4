package dev.lifeboat.clustersim.kubernetes;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The mock server's CRUD dispatcher plus what it does not serve: the version and discovery
 * documents ({@code /version}, {@code /api}, {@code /apis}, {@code /api/v1}, {@code
 * /apis/<group>/v1}) that kubectl reads before anything else, and the Tables kubectl asks for when
 * it prints nodes and pods ({@link Tables}).
 */
final class DiscoveryDispatcher extends KubernetesCrudDispatcher {

  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  private final Map<String, String> documents = new LinkedHashMap<>();
  private final Tables tables = new Tables();
  final EvictionApi evictions =
      new EvictionApi(this::handleGet, this::handleDelete, this::handlePatch);

  /** Watches from a resource version below this one are answered 410 Gone once; 0 for none. */
  private volatile long expiredBelow;

  /** The watches (client and path) answered 410 since the last outage: each is answered once. */
  private final java.util.Set<String> expired = java.util.concurrent.ConcurrentHashMap.newKeySet();

  DiscoveryDispatcher() {
    documents.put(
        "/version",
        "{\"major\":\"1\",\"minor\":\"31\",\"gitVersion\":\"v1.31.4+k3s1\","
            + "\"platform\":\"linux/amd64\",\"goVersion\":\"go1.22.9\",\"compiler\":\"gc\"}");
    documents.put(
        "/api", Serialization.asJson(new APIVersionsBuilder().withVersions("v1").build()));
    documents.put(
        "/api/v1",
        resources(
            "v1",
            resource("nodes", "Node", false, "no"),
            resource("nodes/status", "Node", false, null),
            resource("pods", "Pod", true, "po"),
            resource("pods/status", "Pod", true, null),
            eviction(),
            resource("persistentvolumeclaims", "PersistentVolumeClaim", true, "pvc"),
            resource("persistentvolumes", "PersistentVolume", false, "pv"),
            resource("namespaces", "Namespace", false, "ns"),
            resource("events", "Event", true, "ev"),
            resource("configmaps", "ConfigMap", true, "cm"),
            resource("services", "Service", true, "svc")));
    Map<String, List<APIResource>> groups = new LinkedHashMap<>();
    groups.put("apps", List.of(resource("statefulsets", "StatefulSet", true, "sts")));
    groups.put("coordination.k8s.io", List.of(resource("leases", "Lease", true, null)));
    groups.put(
        "policy", List.of(resource("poddisruptionbudgets", "PodDisruptionBudget", true, "pdb")));
    groups.put(
        "storage.k8s.io",
        List.of(
            resource("volumeattachments", "VolumeAttachment", false, null),
            resource("volumeattachments/status", "VolumeAttachment", false, null)));
    documents.put(
        "/apis",
        Serialization.asJson(
            new APIGroupListBuilder()
                .withGroups(groups.keySet().stream().map(DiscoveryDispatcher::group).toList())
                .build()));
    groups.forEach(
        (group, list) ->
            documents.put(
                "/apis/" + group + "/v1",
                resources(group + "/v1", list.toArray(APIResource[]::new))));
  }

  /**
   * After an outage, as a restarted API server's watch cache does: a watch asked from a resource
   * version older than now is answered {@code 410 Gone} ("too old resource version"), once per
   * client and watch, so that its client lists again and sees what changed while it could not
   * watch. The mock server by itself would resume the watch from now, and a client would never hear
   * of an object created in the gap.
   */
  void expireWatches() {
    expired.clear();
    expiredBelow = requestResourceVersion();
  }

  /**
   * A watch resumed from before the last outage: 410 Gone ("too old resource version") the first
   * time this client asks it, so that it lists again; its watch after the list goes through.
   */
  private Optional<MockResponse> expiredWatch(RecordedRequest request) {
    long below = expiredBelow;
    String path = request.getPath();
    int at = path.indexOf("resourceVersion=");
    if (below == 0 || at < 0 || !path.contains("watch=true")) {
      return Optional.empty();
    }
    long version;
    try {
      version = Long.parseLong(path.substring(at + "resourceVersion=".length()).split("&", 2)[0]);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (version <= 0
        || version >= below
        || !expired.add(request.getHeader("User-Agent") + " " + path)) {
      return Optional.empty();
    }
    return Optional.of(
        new MockResponse()
            .setResponseCode(410)
            .setHeader("Content-Type", "application/json")
            .setBody(
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                    + "\"status\":\"Failure\",\"message\":\"too old resource version: "
                    + version
                    + " ("
                    + below
                    + ")\",\"reason\":\"Expired\",\"code\":410}"));
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath();
    int query = path.indexOf('?');
    String document = documents.get(query < 0 ? path : path.substring(0, query));
    if (document != null && "GET".equalsIgnoreCase(request.getMethod())) {
      return new MockResponse()
          .setResponseCode(200)
          .setHeader("Content-Type", "application/json")
          .setBody(document);
    }
    String body =
        request.getBody() == null
            ? ""
            : new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
    Optional<MockResponse> gone = expiredWatch(request);
    if (gone.isPresent()) {
      return gone.get();
    }
    Optional<MockResponse> eviction = evictions.answer(request.getMethod(), path, body);
    if (eviction.isPresent()) {
      return eviction.get();
    }
    Optional<MockResponse> forced = evictions.forceDelete(request.getMethod(), path, body);
    if (forced.isPresent()) {
      return forced.get();
    }
    MockResponse response = super.dispatch(request);
    if ("GET".equalsIgnoreCase(request.getMethod())
        && response.code() == 200
        && Tables.wanted(
            query < 0 ? path : path.substring(0, query),
            query < 0 ? null : path.substring(query + 1),
            request.getHeader("Accept"))) {
      Optional<String> table =
          tables.table(
              query < 0 ? path : path.substring(0, query),
              new String(response.getBody().getBytes(), StandardCharsets.UTF_8),
              Instant.now());
      if (table.isPresent()) {
        return new MockResponse()
            .setResponseCode(200)
            .setHeader("Content-Type", "application/json;as=Table;v=v1;g=meta.k8s.io")
            .setBody(table.get());
      }
    }
    return response;
  }

  private static APIGroup group(String name) {
    return new APIGroupBuilder()
        .withName(name)
        .addNewVersion()
        .withGroupVersion(name + "/v1")
        .withVersion("v1")
        .endVersion()
        .withNewPreferredVersion()
        .withGroupVersion(name + "/v1")
        .withVersion("v1")
        .endPreferredVersion()
        .build();
  }

  private static String resources(String groupVersion, APIResource... resources) {
    return Serialization.asJson(
        new APIResourceListBuilder()
            .withGroupVersion(groupVersion)
            .withResources(resources)
            .build());
  }

  /** The Eviction subresource, which {@code kubectl drain} looks for before it evicts. */
  private static APIResource eviction() {
    return new APIResourceBuilder()
        .withName("pods/eviction")
        .withSingularName("")
        .withKind("Eviction")
        .withGroup("policy")
        .withVersion("v1")
        .withNamespaced(true)
        .withVerbs(List.of("create"))
        .build();
  }

  private static APIResource resource(String name, String kind, boolean namespaced, String short_) {
    APIResourceBuilder builder =
        new APIResourceBuilder()
            .withName(name)
            .withSingularName(name.contains("/") ? "" : kind.toLowerCase(java.util.Locale.ROOT))
            .withKind(kind)
            .withNamespaced(namespaced)
            .withVerbs(name.contains("/") ? List.of("get", "patch", "update") : VERBS);
    if (short_ != null) {
      builder.withShortNames(short_);
    }
    return builder.build();
  }
}
