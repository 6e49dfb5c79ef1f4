package dev.lifeboat.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.strimzi.api.kafka.model.common.UnknownPropertyPreserving;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Strimzi resources read into Strimzi's own model of the release the guide pins (0.49.1): the
 * {@code v1} API, no field the model does not know, no field it marks deprecated, and a Kafka
 * version that release runs.
 */
class StrimziResourcesTest {

  /** The Kafka versions Strimzi 0.49.1 runs (its release notes). */
  static final Set<String> KAFKA_VERSIONS = Set.of("4.0.0", "4.0.1", "4.1.0", "4.1.1");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static final Map<String, Class<? extends HasMetadata>> MODELS =
      Map.of(
          "Kafka", Kafka.class,
          "KafkaNodePool", KafkaNodePool.class,
          "KafkaTopic", KafkaTopic.class,
          "KafkaUser", KafkaUser.class);

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"production", "dry-run"})
  void everyStrimziResourceIsV1AndReadsIntoStrimzisModelWithNothingUnknownOrDeprecated(
      String overlay) throws Exception {
    List<HasMetadata> strimzi =
        ManifestsTest.render(overlay).stream()
            .filter(o -> o.getApiVersion().startsWith("kafka.strimzi.io/"))
            .toList();

    assertThat(strimzi).extracting(HasMetadata::getKind).containsAll(MODELS.keySet());
    for (HasMetadata resource : strimzi) {
      String name = resource.getKind() + " " + resource.getMetadata().getName();
      String yaml = YAML.writeValueAsString(resource);
      assertThat(problems(yaml)).as(name).isEmpty();
      if (read(yaml) instanceof Kafka kafka) {
        assertThat(KAFKA_VERSIONS)
            .as(name + " runs")
            .contains(kafka.getSpec().getKafka().getVersion());
      }
    }
  }

  @Test
  void theCheckFindsAnUnknownFieldADeprecatedOneAndAnOldApiVersion() throws Exception {
    List<String> problems =
        problems(
            """
            apiVersion: kafka.strimzi.io/v1beta2
            kind: KafkaUser
            metadata: {name: someone}
            spec:
              authentication: {type: scram-sha-512}
              authorisation: {type: simple}
              authorization:
                type: simple
                acls:
                  - resource: {type: topic, name: t, patternType: literal}
                    operation: Read
            """);

    assertThat(problems)
        .anySatisfy(p -> assertThat(p).contains("apiVersion kafka.strimzi.io/v1beta2"))
        .anySatisfy(p -> assertThat(p).contains("unknown field authorisation"))
        .anySatisfy(p -> assertThat(p).contains("deprecated field operation"));
  }

  private static HasMetadata read(String yaml) throws Exception {
    String kind = YAML.readTree(yaml).path("kind").asText();
    return YAML.copy()
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
        .readValue(yaml, MODELS.get(kind));
  }

  /**
   * What is wrong with the resource: an API version other than {@code v1} (read from the text: the
   * model always answers its own), every field the model keeps as unknown, and every deprecated one
   * that is set, each with its path.
   */
  static List<String> problems(String yaml) throws Exception {
    List<String> problems = new ArrayList<>();
    String apiVersion = YAML.readTree(yaml).path("apiVersion").asText();
    if (!apiVersion.equals("kafka.strimzi.io/v1")) {
      problems.add("apiVersion " + apiVersion + ", not kafka.strimzi.io/v1");
    }
    walk(read(yaml), "", problems, new IdentityHashMap<>());
    return problems;
  }

  private static void walk(
      Object node, String path, List<String> problems, IdentityHashMap<Object, Boolean> seen)
      throws Exception {
    if (node == null || seen.put(node, Boolean.TRUE) != null) {
      return;
    }
    if (node instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        walk(item, path + "[" + i++ + "]", problems, seen);
      }
      return;
    }
    if (!node.getClass().getName().startsWith("io.strimzi.")) {
      return;
    }
    if (node instanceof UnknownPropertyPreserving preserving
        && preserving.getAdditionalProperties() != null) {
      preserving
          .getAdditionalProperties()
          .keySet()
          .forEach(key -> problems.add("unknown field " + key + " at " + path));
    }
    for (Method getter : node.getClass().getMethods()) {
      if (getter.getParameterCount() != 0
          || Modifier.isStatic(getter.getModifiers())
          || !getter.getName().startsWith("get")
          || getter.getName().equals("getAdditionalProperties")
          || getter.getDeclaringClass().getName().startsWith("java.")) {
        continue;
      }
      Object value = getter.invoke(node);
      String field =
          Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
      if (value != null && getter.isAnnotationPresent(Deprecated.class)) {
        problems.add("deprecated field " + field + " at " + path);
      }
      walk(value, path + "." + field, problems, seen);
    }
  }
}
