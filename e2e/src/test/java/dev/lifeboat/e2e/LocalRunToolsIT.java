package dev.lifeboat.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.local.LocalApis;
import dev.lifeboat.local.Ports;
import dev.lifeboat.local.Stack;
import dev.lifeboat.testkit.CommandRun;
import dev.lifeboat.testkit.OutsideTools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With the local run up, the tools a user points at it work: kubectl with its kubeconfig, the
 * official hcloud CLI with {@code HCLOUD_ENDPOINT}, kcat against its broker, and the audit API.
 */
class LocalRunToolsIT {

  private static Stack stack;
  private static Ports ports;

  @BeforeAll
  static void startStack() {
    stack = SharedStack.get();
    ports = stack.settings().ports();
  }

  @Test
  void kubectlListsTheSimulatedNodes() {
    Path kubectl = OutsideTools.require("kubectl", "apt-get install kubernetes-client");
    CommandRun run =
        CommandRun.run(
            List.of(
                kubectl.toString(), "--kubeconfig", stack.kubeconfig().toString(), "get", "nodes"),
            Map.of(),
            Duration.ofSeconds(60));
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout()).contains("NAME", "e2e-master", "a-spare", "f-spare");
  }

  @Test
  void theHcloudCliListsTheSimulatedVolumes() {
    Path hcloud = OutsideTools.require("hcloud", "apt-get install hcloud-cli");
    CommandRun run =
        CommandRun.run(
            List.of(
                hcloud.toString(),
                "volume",
                "list",
                "-o",
                "noheader",
                "-o",
                "columns=name,location"),
            Map.of(
                "HCLOUD_ENDPOINT",
                "http://127.0.0.1:" + ports.hcloudSim() + "/v1",
                "HCLOUD_TOKEN",
                Stack.TOKEN),
            Duration.ofSeconds(60));
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout()).contains("pvc-orders-0", "pvc-archive-15", "hel1");
  }

  @Test
  void kcatSeesTheBrokerAndEveryLifeboatTopic() {
    Path kcat = OutsideTools.require("kcat", "apt-get install kcat");
    CommandRun run =
        CommandRun.run(
            List.of(kcat.toString(), "-b", "127.0.0.1:" + ports.kafka(), "-L"),
            Map.of(),
            Duration.ofSeconds(60));
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout())
        .contains(
            "1 brokers",
            "lifeboat.node-events",
            "lifeboat.hcloud-commands",
            "lifeboat.dead-letters");
  }

  @Test
  void theAuditApiAnswersWithItsIncidentPage() {
    LocalApis apis = SharedStack.apis();
    JsonNode page = apis.get(apis.audit() + "/api/incidents", false);
    assertThat(page.has("items")).isTrue();
    assertThat(page.path("size").asInt()).isEqualTo(50);
  }
}
