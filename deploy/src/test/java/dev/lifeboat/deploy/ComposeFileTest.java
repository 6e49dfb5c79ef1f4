package dev.lifeboat.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.lifeboat.events.Topic;
import dev.lifeboat.local.Ports;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code docker-compose.yml} is a valid Compose file, every long-running service has a health
 * check, everything that waits on another waits for it healthy (or for a one-shot job to finish),
 * and the ports are the local run's.
 */
class ComposeFileTest {

  private static JsonNode compose;

  @BeforeAll
  static void read() throws Exception {
    compose =
        new ObjectMapper(new YAMLFactory())
            .readTree(Files.readString(Repo.root().resolve("docker-compose.yml")));
  }

  @Test
  void itValidatesAgainstTheComposeSpecificationsSchema() throws Exception {
    JsonSchema schema = composeSchema();

    Set<ValidationMessage> errors = schema.validate(compose);

    assertThat(errors).extracting(ValidationMessage::getMessage).isEmpty();
  }

  @Test
  void theTopicsJobCreatesEveryTopicOfTheContract() {
    String job = compose.path("services").path("kafka-topics").path("command").toString();

    for (Topic topic : Topic.values()) {
      assertThat(job)
          .as("the kafka-topics job creates " + topic.defaultName())
          .containsPattern("\\b" + Pattern.quote(topic.nameWith("")) + "\\b");
    }
  }

  @Test
  void theValidatorRefusesWhatComposeRefuses() throws Exception {
    JsonSchema schema = composeSchema();
    JsonNode broken = compose.deepCopy();
    ((ObjectNode) broken.path("services").path("kafka")).put("healthcheck", "always");
    ((ObjectNode) broken.path("services").path("postgres")).put("restart_policy", "always");

    assertThat(schema.validate(broken)).hasSizeGreaterThanOrEqualTo(2);
  }

  /**
   * The schema under draft 2019-09, as it declares. Its {@code "id"} members are a draft-04 habit
   * and no keyword in 2019-09 (a validator must ignore them); this validator refuses keywords it
   * does not know, so they are taken out before it reads the schema.
   */
  private static JsonSchema composeSchema() throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode schema = json.readTree(ComposeSpec.schema());
    withoutIds(schema);
    // It declares draft 2019-09 by its old http address; the factory's default is that draft.
    ((ObjectNode) schema).remove("$schema");
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V201909).getSchema(schema);
  }

  private static void withoutIds(JsonNode node) {
    if (node instanceof ObjectNode object) {
      if (object.path("id").isTextual()) {
        object.remove("id");
      }
      object.forEach(ComposeFileTest::withoutIds);
    } else if (node.isArray()) {
      node.forEach(ComposeFileTest::withoutIds);
    }
  }

  @Test
  void everyLongRunningServiceHasAHealthCheckAndIsAwaitedHealthy() {
    JsonNode services = compose.path("services");
    Set<String> oneShot = new java.util.HashSet<>();
    services
        .fields()
        .forEachRemaining(
            s -> {
              if ("no".equals(s.getValue().path("restart").asText())) {
                oneShot.add(s.getKey());
              }
            });
    assertThat(oneShot).containsExactly("kafka-topics");
    services
        .fields()
        .forEachRemaining(
            service -> {
              if (!oneShot.contains(service.getKey())) {
                assertThat(service.getValue().path("healthcheck").path("test").isArray())
                    .as(service.getKey() + " has a health check")
                    .isTrue();
              }
              service
                  .getValue()
                  .path("depends_on")
                  .fields()
                  .forEachRemaining(
                      dependency ->
                          assertThat(dependency.getValue().path("condition").asText())
                              .as(service.getKey() + " waits for " + dependency.getKey())
                              .isEqualTo(
                                  oneShot.contains(dependency.getKey())
                                      ? "service_completed_successfully"
                                      : "service_healthy"));
            });
  }

  @Test
  void eachServicePublishesTheLocalRunsPort() {
    Ports local = Ports.fromEnvironment(Map.of());
    Map<String, List<Integer>> expected = new HashMap<>();
    expected.put("kafka", List.of(local.kafka()));
    expected.put("postgres", List.of(local.postgres()));
    expected.put("hcloud-sim", List.of(local.hcloudSim()));
    expected.put("cluster-sim", List.of(local.kubernetes(), local.clusterSim()));
    expected.put("audit-service", List.of(local.audit()));
    expected.put("volume-orchestrator", List.of(local.orchestrator()));
    expected.put("node-watcher", List.of(local.watcher()));
    expected.put("hcloud-adapter", List.of(local.adapter()));
    expected.put("kafka-topics", List.of());

    Map<String, List<Integer>> published = new HashMap<>();
    compose
        .path("services")
        .fields()
        .forEachRemaining(
            service -> {
              List<Integer> ports = new ArrayList<>();
              for (JsonNode port : service.getValue().path("ports")) {
                String[] hostPortAndContainer = port.asText().split(":");
                assertThat(hostPortAndContainer)
                    .as(service.getKey() + " publishes on this machine only: 127.0.0.1:port:port")
                    .hasSize(3);
                assertThat(hostPortAndContainer[0]).isEqualTo("127.0.0.1");
                assertThat(hostPortAndContainer[1])
                    .as(service.getKey() + " publishes on the container's own port")
                    .isEqualTo(hostPortAndContainer[2]);
                ports.add(Integer.parseInt(hostPortAndContainer[1]));
              }
              published.put(service.getKey(), ports);
            });

    assertThat(published).isEqualTo(expected);
    // The apps' health checks ask them on the same port.
    compose
        .path("services")
        .fields()
        .forEachRemaining(
            service -> {
              String test =
                  java.util.stream.StreamSupport.stream(
                          service.getValue().path("healthcheck").path("test").spliterator(), false)
                      .map(JsonNode::asText)
                      .collect(Collectors.joining(" "));
              if (test.contains("curl")) {
                assertThat(expected.get(service.getKey()))
                    .as(service.getKey())
                    .anyMatch(port -> test.contains("localhost:" + port + "/q/health"));
              }
            });
  }
}
