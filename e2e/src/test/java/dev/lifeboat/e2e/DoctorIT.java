package dev.lifeboat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.local.Failover;
import dev.lifeboat.local.LocalApis;
import dev.lifeboat.local.Ports;
import dev.lifeboat.local.Stack;
import dev.lifeboat.testkit.CommandRun;
import dev.lifeboat.testkit.OutsideTools;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The doctor on the local run's real processes, before any loss (this class runs before
 * FailoverIT): a run asked for through the audit API compares both sides, warns that losing c-lost
 * would leave its volume unmoved (hel1's other node, c-full, holds 16 volumes already), and reports
 * the data-loss traps of one of c-full's volumes with the command that fixes each; once the
 * official hcloud CLI and kubectl have run those commands, a later run no longer reports them.
 */
class DoctorIT {

  /** c-lost's volume in hel1. */
  private static final long LEDGER = 60007;

  /** The ids of the findings, as stable across runs as what they are about. */
  private static final String NO_ROOM = "no-room-after-loss/node/c-lost";

  /**
   * A volume of c-full, which no scenario loses: FailoverIT checks that no action ever touched
   * c-lost's volume, and the hcloud CLI's fix is an action ({@code change_protection}).
   */
  private static final long ARCHIVE = 60023;

  private static final String UNPROTECTED = "no-delete-protection/volume/" + ARCHIVE;

  private static Stack stack;
  private static Ports ports;
  private static LocalApis apis;

  @BeforeAll
  static void startStack() {
    stack = SharedStack.get();
    ports = stack.settings().ports();
    apis = SharedStack.apis();
  }

  @Test
  void beforeAnyLossTheDoctorWarnsOfTheFullLocationAndItsFixesForTheTrapsWork() {
    Instant asked = Instant.now();
    JsonNode report = refreshedUntil(r -> finding(r, NO_ROOM).isPresent());

    List<JsonNode> reads = apis.hcloudRequestsSince(asked, Failover.ADAPTER_AGENT);
    System.out.printf(
        "doctor run on the e2e world (%d servers, %d volumes): %d Hetzner requests %s%n",
        apis.hcloudState().path("servers").size(),
        apis.hcloudState().path("volumes").size(),
        reads.size(),
        reads.stream()
            .map(r -> r.path("method").asText() + " " + r.path("path").asText())
            .toList());
    JsonNode noRoom = finding(report, NO_ROOM).orElseThrow();
    assertThat(texts(noRoom.path("objects"))).contains("node/c-lost", "volume/" + LEDGER);
    assertThat(noRoom.toString()).contains("c-full", "16");
    assertThat(noRoom.path("repair").isNull() || noRoom.path("repair").isMissingNode()).isTrue();

    JsonNode unprotected = finding(report, UNPROTECTED).orElseThrow();
    String hcloudFix = unprotected.path("fix").asText();
    assertThat(hcloudFix).isEqualTo("hcloud volume enable-protection " + ARCHIVE + " delete");
    String pv =
        texts(unprotected.path("objects")).stream()
            .filter(o -> o.startsWith("pv/"))
            .findFirst()
            .orElseThrow();
    JsonNode reclaim = finding(report, "reclaim-policy-delete/" + pv).orElseThrow();
    String kubectlFix = reclaim.path("fix").asText();
    assertThat(kubectlFix).startsWith("kubectl patch pv ");

    run(
        OutsideTools.require("hcloud", "apt-get install hcloud-cli"),
        hcloudFix,
        Map.of(
            "HCLOUD_ENDPOINT",
            "http://127.0.0.1:" + ports.hcloudSim() + "/v1",
            "HCLOUD_TOKEN",
            Stack.TOKEN));
    run(
        OutsideTools.require("kubectl", "apt-get install kubernetes-client"),
        kubectlFix.replaceFirst("^kubectl ", "kubectl --kubeconfig " + stack.kubeconfig() + " "),
        Map.of());

    String reclaimId = reclaim.path("id").asText();
    JsonNode after =
        refreshedUntil(r -> finding(r, UNPROTECTED).isEmpty() && finding(r, reclaimId).isEmpty());
    assertThat(finding(after, NO_ROOM)).isPresent();
  }

  // ---- drift made outside Lifeboat, and its repair -------------------------------------------

  /**
   * A server in fsn1 that no Node stands for (no k3s agent: cluster-sim registers no Node for it),
   * made by hcloud-sim's drift call.
   */
  private static final long STRAY_SERVER = 6990;

  /** The volume left on it, which a PersistentVolume names. */
  private static final long STRAY_VOLUME = 60990;

  private static final String STRAY_PV = "pv-z-stray";

  private static final String ON_STRAY = "volume-on-server-without-node/volume/" + STRAY_VOLUME;

  /**
   * Kind 1 and its repair, on the real processes: a volume on a server that no Node stands for is
   * reported with the evidence of both sides; while the server runs there is no repair, and a
   * repair asked for after it was reported off, once it runs again, is refused (409) on the fresh
   * run's evidence, detaching nothing; once the server is off (the official hcloud CLI powers it),
   * the repair runs as a saga with its own timeline and detaches the volume, and the next run
   * reports the finding no more. Then kind 4 both ways: the volume, its PV deleted, is an orphan,
   * and a PV naming a volume the project lacks is reported.
   */
  @Test
  void aVolumeLeftOnAServerWithoutANodeIsRepairedOnlyWhileTheServerIsOff() {
    apis.post(
        apis.hcloudSim() + "/_sim/add",
        """
        {"servers": [{"id": %d, "name": "z-stray", "location": "fsn1", "status": "running",
                      "labels": {"cluster-sim/kubelet": "none"}}],
         "volumes": [{"id": %d, "name": "%s", "location": "fsn1", "server": "z-stray"}]}
        """
            .formatted(STRAY_SERVER, STRAY_VOLUME, STRAY_PV));
    apis.createInCluster("/api/v1/persistentvolumes", persistentVolume(STRAY_PV, STRAY_VOLUME));

    JsonNode running =
        finding(refreshedUntil(r -> finding(r, ON_STRAY).isPresent()), ON_STRAY).get();
    assertThat(texts(running.path("objects")))
        .contains("volume/" + STRAY_VOLUME, "server/" + STRAY_SERVER, "pv/" + STRAY_PV);
    assertThat(running.path("hetzner").asText()).contains(Long.toString(STRAY_SERVER));
    assertThat(running.path("repair").isNull() || running.path("repair").isMissingNode()).isTrue();
    assertThat(running.path("noRepairBecause").asText()).contains("running");
    Answer noRepair = repair(ON_STRAY);
    assertThat(noRepair.status()).as(noRepair.body().toString()).isEqualTo(409);

    hcloud("server poweroff " + STRAY_SERVER);
    awaitDetachOffered(Instant.now());
    // The server runs again between the report and the request: the fresh run sees it.
    hcloud("server poweron " + STRAY_SERVER);
    Answer refused = repair(ON_STRAY);
    assertThat(refused.status()).as(refused.body().toString()).isEqualTo(409);
    assertThat(refused.body().path("message").asText()).contains("running");
    assertThat(volumeServer(STRAY_VOLUME)).isEqualTo(STRAY_SERVER);
    assertThat(serverStatus(STRAY_SERVER)).isEqualTo("running");
    assertThat(detachesOf(STRAY_VOLUME)).isZero();

    hcloud("server poweroff " + STRAY_SERVER);
    awaitDetachOffered(Instant.now());
    Instant asked = Instant.now();
    Answer started = repair(ON_STRAY);
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    assertThat(started.body().path("repair").path("action").asText()).isEqualTo("DETACH_VOLUME");
    String saga = started.body().path("incidentId").asText();
    JsonNode repaired = awaitCompleted(saga);
    assertThat(repaired.path("kind").asText()).isEqualTo("repair");
    assertThat(repaired.path("serverId").asLong()).isEqualTo(STRAY_SERVER);
    assertThat(volumeServer(STRAY_VOLUME)).isNull();
    assertThat(serverStatus(STRAY_SERVER)).isEqualTo("off");
    assertThat(detachesOf(STRAY_VOLUME)).isEqualTo(1);
    printRequests("detach repair", asked);
    refreshedUntil(r -> finding(r, ON_STRAY).isEmpty());

    // Kind 4, both ways.
    apis.kubernetesDelete("/api/v1/persistentvolumes/" + STRAY_PV);
    apis.createInCluster("/api/v1/persistentvolumes", persistentVolume("pv-z-ghost", 60999));
    String orphan = "volume-without-persistent-volume/volume/" + STRAY_VOLUME;
    String ghost = "volume-missing-at-hetzner/pv/pv-z-ghost";
    JsonNode kind4 =
        refreshedUntil(r -> finding(r, orphan).isPresent() && finding(r, ghost).isPresent());
    assertThat(finding(kind4, ghost).get().path("cluster").asText()).contains("60999");
    assertThat(finding(kind4, orphan).get().path("hetzner").asText())
        .contains("'" + STRAY_PV + "'")
        .contains("attached to no server");
    assertThat(finding(kind4, orphan).get().path("noRepairBecause").asText())
        .contains("costs money");
    apis.kubernetesDelete("/api/v1/persistentvolumes/pv-z-ghost");
  }

  /**
   * A server in fsn1 that no Node stands for, holding a volume that a pod elsewhere waits for (kind
   * 3's server A).
   */
  private static final long HOLDER_SERVER = 6991;

  /**
   * A worker in fsn1 that registers cordoned, so that the scheduler places none of FailoverIT's
   * replacement pods there; the waiting pod is bound to it by name, as a pod with {@code
   * spec.nodeName} is (kind 3's node B).
   */
  private static final long WAITER_SERVER = 6992;

  private static final String WAITER_NODE = "z-waits";

  private static final long HELD_VOLUME = 60991;

  private static final String HELD_PV = "pv-z-held";

  private static final String WAITS = "multi-attach-wait/volume/" + HELD_VOLUME;

  /**
   * Kind 3 and the move, on the real processes: a pod bound to z-waits waits (ContainerCreating)
   * for a volume that Hetzner has attached to another server, one that no Node stands for. While
   * that server runs, the wait is reported once (not also as kind 1) with no repair, and a repair
   * asked for is refused; once the official hcloud CLI powers it off, the wait offers the move, and
   * the move, asked through the audit API, runs as a saga that detaches the volume from the server
   * that is off and attaches it to z-waits' server, where the pod then runs Ready; the next run
   * reports the wait no more.
   */
  @Test
  void aPodWaitingForAVolumeHeldElsewhereGetsItMovedOnlyOnceThatServerIsOff() {
    apis.post(
        apis.hcloudSim() + "/_sim/add",
        """
        {"servers": [{"id": %d, "name": "z-holds", "location": "fsn1", "status": "running",
                      "labels": {"cluster-sim/kubelet": "none"}},
                     {"id": %d, "name": "%s", "location": "fsn1", "status": "running",
                      "labels": {"role": "worker", "cordoned": "true"}}],
         "volumes": [{"id": %d, "name": "%s", "location": "fsn1", "server": "z-holds"}]}
        """
            .formatted(HOLDER_SERVER, WAITER_SERVER, WAITER_NODE, HELD_VOLUME, HELD_PV));
    apis.createInCluster("/api/v1/persistentvolumes", persistentVolume(HELD_PV, HELD_VOLUME));
    apis.createInCluster(
        "/api/v1/namespaces/default/persistentvolumeclaims",
        """
        {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
         "metadata": {"name": "data-z-held-0", "namespace": "default"},
         "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "10Gi"}},
                  "storageClassName": "hcloud-volumes", "volumeName": "%s"},
         "status": {"phase": "Bound"}}
        """
            .formatted(HELD_PV));
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () -> apis.kubernetesGet("/api/v1/nodes/" + WAITER_NODE).path("metadata").isObject());
    apis.createInCluster(
        "/api/v1/namespaces/default/pods",
        """
        {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": "z-held-0", "namespace": "default"},
         "spec": {"nodeName": "%s", "containers": [{"name": "app", "image": "postgres:17"}],
                  "volumes": [{"name": "data",
                               "persistentVolumeClaim": {"claimName": "data-z-held-0"}}]}}
        """
            .formatted(WAITER_NODE));

    JsonNode running = refreshedUntil(r -> finding(r, WAITS).isPresent());
    JsonNode wait = finding(running, WAITS).get();
    assertThat(texts(wait.path("objects")))
        .contains(
            "pod/default/z-held-0",
            "node/" + WAITER_NODE,
            "volume/" + HELD_VOLUME,
            "server/" + HOLDER_SERVER);
    assertThat(wait.path("cluster").asText()).contains(WAITER_NODE, "ContainerCreating", HELD_PV);
    assertThat(wait.path("hetzner").asText()).contains(Long.toString(HOLDER_SERVER));
    assertThat(wait.path("repair").isNull() || wait.path("repair").isMissingNode()).isTrue();
    assertThat(wait.path("noRepairBecause").asText()).contains("running");
    assertThat(finding(running, "volume-on-server-without-node/volume/" + HELD_VOLUME)).isEmpty();
    Answer refused = repair(WAITS);
    assertThat(refused.status()).as(refused.body().toString()).isEqualTo(409);
    assertThat(volumeServer(HELD_VOLUME)).isEqualTo(HOLDER_SERVER);

    hcloud("server poweroff " + HOLDER_SERVER);
    Instant off = Instant.now();
    JsonNode offered =
        finding(
                refreshedUntil(
                    r ->
                        Instant.parse(r.path("report").path("at").asText()).isAfter(off)
                            && finding(r, WAITS)
                                .map(f -> f.path("repair").isObject())
                                .orElse(false)),
                WAITS)
            .get();
    assertThat(offered.path("repair").path("action").asText()).isEqualTo("MOVE_VOLUME");
    assertThat(offered.path("repair").path("nodeName").asText()).isEqualTo(WAITER_NODE);

    Instant asked = Instant.now();
    Answer started = repair(WAITS);
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    JsonNode moved = awaitCompleted(started.body().path("incidentId").asText());
    assertThat(moved.path("kind").asText()).isEqualTo("repair");
    assertThat(volumeServer(HELD_VOLUME)).isEqualTo(WAITER_SERVER);
    assertThat(serverStatus(HOLDER_SERVER)).isEqualTo("off");
    assertThat(detachesOf(HELD_VOLUME)).isEqualTo(1);
    printRequests("move repair", asked);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> apis.kubernetesGet("/api/v1/namespaces/default/pods/z-held-0"),
            pod -> pod.path("status").path("phase").asText().equals("Running"));
    Instant movedAt = Instant.now();
    refreshedUntil(
        r ->
            Instant.parse(r.path("report").path("at").asText()).isAfter(movedAt)
                && finding(r, WAITS).isEmpty());
  }

  /**
   * Kind 2 and its repair on the real processes: one of c-full's volumes is on no server at once
   * (hcloud-sim's drift call, no action), while its VolumeAttachment still says attached to c-full
   * (the CSI attacher does not notice a detach behind its back) and its pod cannot run. The finding
   * offers to attach it where the attachment says; the repair, asked through the audit API, runs as
   * a saga that attaches it to c-full's server, and the next run reports it no more.
   */
  @Test
  void anAttachmentHetznerNoLongerShowsIsRepairedByAttachingTheVolumeWhereItSays() {
    long volume = 60022;
    long cFull = 5302;
    assertThat(volumeServer(volume)).isEqualTo(cFull);
    Instant lost = Instant.now();
    apis.post(apis.hcloudSim() + "/_sim/volumes/" + volume + "/lose-attachment", "");

    JsonNode report =
        refreshedUntil(
            r ->
                Instant.parse(r.path("report").path("at").asText()).isAfter(lost)
                    && attachmentOf(r, volume).map(f -> f.path("repair").isObject()).orElse(false));
    JsonNode finding = attachmentOf(report, volume).get();
    assertThat(finding.path("cluster").asText()).contains("c-full").contains("server " + cFull);
    assertThat(finding.path("hetzner").asText()).contains("attached to no server");
    assertThat(finding.path("repair").path("action").asText()).isEqualTo("ATTACH_VOLUME");
    assertThat(finding.path("repair").path("serverId").asLong()).isEqualTo(cFull);

    Instant asked = Instant.now();
    Answer started = repair(finding.path("id").asText());
    assertThat(started.status()).as(started.body().toString()).isEqualTo(202);
    String saga = started.body().path("incidentId").asText();
    JsonNode repaired = awaitCompleted(saga);
    assertThat(repaired.path("kind").asText()).isEqualTo("repair");
    assertThat(repaired.path("node").asText()).isEqualTo("c-full");
    assertThat(volumeServer(volume)).isEqualTo(cFull);
    printRequests("attach repair", asked);
    Instant repairedAt = Instant.now();
    refreshedUntil(
        r ->
            Instant.parse(r.path("report").path("at").asText()).isAfter(repairedAt)
                && attachmentOf(r, volume).isEmpty());
  }

  /** The repair's saga once its timeline says COMPLETED. */
  private static JsonNode awaitCompleted(String saga) {
    return await()
        .atMost(Duration.ofSeconds(90))
        .ignoreExceptions()
        .until(
            () -> apis.incidentDetail(saga).orElseThrow(),
            detail -> detail.path("status").asText().equals("COMPLETED"));
  }

  /** Prints the Hetzner requests the adapter made since the repair was asked for. */
  private static void printRequests(String what, Instant since) {
    List<JsonNode> sent = apis.hcloudRequestsSince(since, Failover.ADAPTER_AGENT);
    System.out.printf(
        "%s: %d Hetzner requests (its fresh doctor run included) %s%n",
        what,
        sent.size(),
        sent.stream().map(r -> r.path("method").asText() + " " + r.path("path").asText()).toList());
  }

  /** The kind 2 finding about this volume, if the report has one. */
  private static Optional<JsonNode> attachmentOf(JsonNode doctor, long volumeId) {
    for (JsonNode finding : doctor.path("report").path("findings")) {
      if (finding.path("kind").asText().equals("ATTACHMENT_NOT_AT_HETZNER")
          && texts(finding.path("objects")).contains("volume/" + volumeId)) {
        return Optional.of(finding);
      }
    }
    return Optional.empty();
  }

  /**
   * Kind 6 on the real processes: with the project's budget nearly spent (hcloud-sim's bucket made
   * small), a run warns that moving the biggest node's volumes would take more requests than are
   * left, with both figures; once the budget is whole again, a later run no longer warns.
   */
  @Test
  void aBudgetTooSmallForTheBiggestNodesLossIsReportedUntilItIsWholeAgain() {
    String budgetShort = "rate-budget-short/project";
    JsonNode before = apis.get(apis.hcloudSim() + "/_sim/settings", false).path("rate_limit");
    JsonNode report;
    try {
      apis.put(
          apis.hcloudSim() + "/_sim/settings",
          "{\"rate_limit\": {\"enabled\": true, \"capacity\": 60, \"refill_per_second\": 0.05}}");
      report = refreshedUntil(r -> finding(r, budgetShort).isPresent());
    } finally {
      apis.put(apis.hcloudSim() + "/_sim/settings", "{\"rate_limit\": " + before + "}");
    }
    JsonNode headroom = report.path("report").path("headroom");
    assertThat(headroom.path("limit").asInt()).isEqualTo(60);
    assertThat(headroom.path("remaining").asInt()).isLessThan(headroom.path("needed").asInt());
    JsonNode warning = finding(report, budgetShort).get();
    assertThat(warning.path("cluster").asText())
        .contains(headroom.path("biggestNode").asText())
        .contains(Integer.toString(headroom.path("needed").asInt()));
    assertThat(warning.path("hetzner").asText()).contains("of 60");
    refreshedUntil(r -> finding(r, budgetShort).isEmpty());
  }

  /**
   * Until a report compared after that moment offers the stray volume's detach (a refresh may be
   * answered by a run that was asked for before it).
   */
  private static void awaitDetachOffered(Instant after) {
    refreshedUntil(
        r ->
            Instant.parse(r.path("report").path("at").asText()).isAfter(after)
                && finding(r, ON_STRAY).map(f -> f.path("repair").isObject()).orElse(false));
  }

  /** What the audit answered a repair request with. */
  private record Answer(int status, JsonNode body) {}

  /** {@code POST /api/doctor/findings/{id}/repair} with the local run's token. */
  private static Answer repair(String findingId) {
    try {
      java.net.http.HttpResponse<String> response =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create(
                              apis.audit() + "/api/doctor/findings/" + findingId + "/repair"))
                      .header("Authorization", "Bearer " + Stack.TOKEN)
                      .header("Content-Type", "application/json")
                      .timeout(Duration.ofSeconds(120))
                      .POST(
                          java.net.http.HttpRequest.BodyPublishers.ofString(
                              "{\"requestedBy\": \"doctor-it\"}"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      return new Answer(
          response.statusCode(),
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs the official hcloud CLI against hcloud-sim. */
  private static void hcloud(String arguments) {
    run(
        OutsideTools.require("hcloud", "apt-get install hcloud-cli"),
        "hcloud " + arguments,
        Map.of(
            "HCLOUD_ENDPOINT",
            "http://127.0.0.1:" + ports.hcloudSim() + "/v1",
            "HCLOUD_TOKEN",
            Stack.TOKEN));
  }

  private static Long volumeServer(long volumeId) {
    for (JsonNode volume : apis.hcloudState().path("volumes")) {
      if (volume.path("id").asLong() == volumeId) {
        return volume.path("server").isNumber() ? volume.path("server").asLong() : null;
      }
    }
    throw new AssertionError("volume " + volumeId + " is not in hcloud-sim");
  }

  private static String serverStatus(long serverId) {
    for (JsonNode server : apis.hcloudState().path("servers")) {
      if (server.path("id").asLong() == serverId) {
        return server.path("status").asText();
      }
    }
    throw new AssertionError("server " + serverId + " is not in hcloud-sim");
  }

  private static long detachesOf(long volumeId) {
    long count = 0;
    for (JsonNode action : apis.hcloudState().path("actions")) {
      if (action.path("command").asText().equals("detach_volume")
          && action.toString().contains(Long.toString(volumeId))) {
        count++;
      }
    }
    return count;
  }

  /** A PersistentVolume of the hcloud CSI driver in fsn1 naming this Hetzner volume. */
  private static String persistentVolume(String name, long volumeId) {
    return """
        {"apiVersion": "v1", "kind": "PersistentVolume",
         "metadata": {"name": "%s"},
         "spec": {"capacity": {"storage": "10Gi"}, "accessModes": ["ReadWriteOnce"],
                  "persistentVolumeReclaimPolicy": "Retain",
                  "csi": {"driver": "csi.hetzner.cloud", "volumeHandle": "%d"},
                  "nodeAffinity": {"required": {"nodeSelectorTerms": [{"matchExpressions":
                      [{"key": "csi.hetzner.cloud/location", "operator": "In", "values": ["fsn1"]}]}]}}}}
        """
        .formatted(name, volumeId);
  }

  /**
   * Asks for runs through {@code GET /api/doctor?refresh=true} until one's report matches (here
   * every refresh is a run of its own: the stack sets {@code lifeboat.audit.doctor-join=0s}).
   */
  private static JsonNode refreshedUntil(java.util.function.Predicate<JsonNode> wanted) {
    return await()
        .atMost(Duration.ofSeconds(150))
        .pollInterval(Duration.ofSeconds(5))
        .ignoreExceptions()
        .until(() -> apis.get(apis.audit() + "/api/doctor?refresh=true", true), wanted);
  }

  private static Optional<JsonNode> finding(JsonNode doctor, String id) {
    for (JsonNode finding : doctor.path("report").path("findings")) {
      if (finding.path("id").asText().equals(id)) {
        return Optional.of(finding);
      }
    }
    return Optional.empty();
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(node -> texts.add(node.asText()));
    return texts;
  }

  /** Runs a finding's fix as a shell would split it (its only quoting: one '-quoted word). */
  private static void run(Path tool, String command, Map<String, String> env) {
    List<String> args = new ArrayList<>();
    for (String word : command.split(" ")) {
      args.add(
          word.length() > 1 && word.startsWith("'") && word.endsWith("'")
              ? word.substring(1, word.length() - 1)
              : word);
    }
    args.set(0, tool.toString());
    CommandRun result = CommandRun.run(args, env, Duration.ofSeconds(60));
    assertThat(result.exitCode()).as(command + ": " + result.stderr()).isZero();
  }
}
