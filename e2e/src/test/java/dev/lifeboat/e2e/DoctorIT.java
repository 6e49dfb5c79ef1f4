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

  /**
   * Asks for runs through {@code GET /api/doctor?refresh=true} until one's report matches (a
   * refresh within 30 s of the last joins that run, so a changed world shows up in a later one).
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
