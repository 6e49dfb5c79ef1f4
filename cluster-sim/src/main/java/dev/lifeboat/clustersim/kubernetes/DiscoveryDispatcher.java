package dev.lifeboat.clustersim.kubernetes;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
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

  /**
   * A resource version taken at the last deletion in each collection ({@code pods}, {@code
   * volumeattachments}, ...): a watch asked from before it would miss that deletion ({@link
   * #missedDeletion}).
   */
  private final Map<String, Long> lastDeletion = new java.util.concurrent.ConcurrentHashMap<>();

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
    long version = watchedFrom(path);
    if (below == 0
        || version <= 0
        || version >= below
        || !expired.add(request.getHeader("User-Agent") + " " + path)) {
      return Optional.empty();
    }
    return Optional.of(tooOld(request, version, below));
  }

  /** The resource version a watch asks to start from; 0 for a request that is not such a watch. */
  private static long watchedFrom(String path) {
    int at = path.indexOf("resourceVersion=");
    if (at < 0 || !path.contains("watch=true")) {
      return 0;
    }
    try {
      return Long.parseLong(path.substring(at + "resourceVersion=".length()).split("&", 2)[0]);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * The answer to a watch from a version too old, as a real API server gives it: a watch over a
   * WebSocket (as Fabric8's informers watch) opens, and its one event is an ERROR with the 410
   * Status, on which the client lists again. (Refusing the upgrade itself with 410 does not do: the
   * watch then tries the same version again and again, and its informer never lists.) A plain
   * request is answered 410 with the Status.
   */
  private static MockResponse tooOld(RecordedRequest request, long version, long oldest) {
    String status =
        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
            + "\"status\":\"Failure\",\"message\":\"too old resource version: "
            + version
            + " ("
            + oldest
            + ")\",\"reason\":\"Expired\",\"code\":410}";
    if (!"websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
      return new MockResponse()
          .setResponseCode(410)
          .setHeader("Content-Type", "application/json")
          .setBody(status);
    }
    return new MockResponse()
        .withWebSocketUpgrade(
            new WebSocketListener() {
              @Override
              public void onOpen(WebSocket socket, Response response) {
                socket.send("{\"type\":\"ERROR\",\"object\":" + status + "}");
                socket.close(1000, "too old resource version");
              }
            });
  }

  /**
   * Notes a deletion (no new state) in its collection before the object goes and its watchers hear
   * of it: the resource version taken is above every list answered before the deletion and at most
   * that of every list after it.
   */
  @Override
  public void processEvent(
      String path,
      AttributeSet pathAttributes,
      AttributeSet oldAttributes,
      GenericKubernetesResource resource,
      String newState) {
    String collection = collection(path);
    if (newState == null && collection != null) {
      lastDeletion.merge(collection, requestResourceVersion(), Math::max);
    }
    super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
  }

  /**
   * A watch asked from a resource version older than the last deletion in its collection: 410 Gone
   * ("too old resource version"), so that its client lists again. A real API server sends such a
   * watch every change since that version, from its watch cache; the mock server starts it from
   * now, and an object deleted between a client's list and its watch would stay in that client's
   * informer for good. (A creation or an update missed so is not answered so: the object's next
   * update reaches the client; and a watch refused at every change of a busy collection, such as
   * the Leases, would keep its informer listing and backing off.)
   */
  private Optional<MockResponse> missedDeletion(RecordedRequest request) {
    String path = request.getPath();
    long version = watchedFrom(path);
    String collection = collection(path);
    Long changed = collection == null ? null : lastDeletion.get(collection);
    if (version <= 0 || changed == null || version >= changed) {
      return Optional.empty();
    }
    return Optional.of(tooOld(request, version, changed));
  }

  /**
   * The collection a request path names: {@code pods} for {@code /api/v1/pods}, {@code
   * /api/v1/namespaces/shop/pods/db-0/status} and the like, {@code leases} for {@code
   * /apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases}; null for any other path.
   */
  static String collection(String path) {
    int query = path.indexOf('?');
    String[] parts = (query < 0 ? path : path.substring(0, query)).split("/");
    int at;
    if (parts.length > 3 && parts[1].equals("api")) {
      at = 3;
    } else if (parts.length > 4 && parts[1].equals("apis")) {
      at = 4;
    } else {
      return null;
    }
    if (parts[at].equals("namespaces")
        && parts.length > at + 2
        && !parts[at + 2].equals("status")
        && !parts[at + 2].equals("finalize")) {
      at += 2;
    }
    return parts[at];
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
    Optional<MockResponse> gone = expiredWatch(request).or(() -> missedDeletion(request));
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
    MockResponse response = super.dispatch(asMergePatch(request));
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

  /**
   * A strategic merge patch (kubectl patch's default) as a JSON merge patch, the kind the mock
   * server applies: the two agree on every patch that sets fields, and differ only on lists that a
   * strategic merge merges by key (such a list is replaced here).
   */
  static RecordedRequest asMergePatch(RecordedRequest request) {
    String type = request.getHeader("Content-Type");
    if (!"PATCH".equalsIgnoreCase(request.getMethod())
        || type == null
        || !type.startsWith("application/strategic-merge-patch+json")) {
      return request;
    }
    return new RecordedRequest(
        request.getHttpVersion(),
        request.method(),
        request.getPath(),
        request
            .getHeaders()
            .newBuilder()
            .set("Content-Type", "application/merge-patch+json")
            .build(),
        request.getBody());
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
