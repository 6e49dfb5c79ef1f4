package dev.lifeboat.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeboat.events.codec.MessageCodec;
import dev.lifeboat.events.codec.MessageTypes;
import dev.lifeboat.events.codec.ReadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps old messages readable: every message type and version has a golden file (headers and
 * payload of a record as it stands on a topic), today's code must read every golden file ever
 * written, and today's writer must produce the golden file of the current version exactly.
 *
 * <p>A new type's golden file is written by running this test once with {@code
 * -Dlifeboat.golden.write=true}; an existing golden file is never rewritten.
 */
class GoldenFilesTest {

  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final String SOURCE = "/lifeboat/golden";
  private static final ObjectMapper JSON = MessageCodec.mapper();

  static Stream<LifeboatMessage> samples() {
    return SampleMessages.all().stream();
  }

  static Stream<Path> goldenFiles() throws IOException {
    try (Stream<Path> files = Files.list(GOLDEN)) {
      return files.filter(file -> file.toString().endsWith(".json")).sorted().toList().stream();
    }
  }

  @Test
  void everyMessageTypeHasASample() {
    assertThat(samples().map(sample -> MessageTypes.typeOf(sample.getClass())))
        .containsExactlyInAnyOrderElementsOf(MessageTypes.all());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void sampleIsWrittenExactlyAsItsGoldenFile(LifeboatMessage sample) throws IOException {
    String type = MessageTypes.typeOf(sample.getClass());
    Path golden = GOLDEN.resolve(type + ".json");
    ObjectNode written = JSON.createObjectNode();
    written.set("headers", JSON.valueToTree(MessageCodec.headers(sample, SOURCE)));
    written.set("payload", JSON.readTree(MessageCodec.payload(sample)));
    if (!Files.exists(golden) && Boolean.getBoolean("lifeboat.golden.write")) {
      Files.createDirectories(GOLDEN);
      JSON.writerWithDefaultPrettyPrinter().writeValue(golden.toFile(), written);
    }

    assertThat(golden)
        .as("golden file of %s (create it with -Dlifeboat.golden.write=true)", type)
        .exists();
    assertThat(written).isEqualTo(JSON.readTree(golden.toFile()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenFiles")
  void goldenFileIsReadByTodaysCode(Path golden) throws IOException {
    JsonNode record = JSON.readTree(golden.toFile());
    Map<String, String> headers = new LinkedHashMap<>();
    record
        .get("headers")
        .fields()
        .forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
    String type = golden.getFileName().toString().replace(".json", "");

    ReadResult result = MessageCodec.read(headers, JSON.writeValueAsBytes(record.get("payload")));

    assertThat(result).isInstanceOf(ReadResult.Read.class);
    LifeboatMessage message = result.orThrow();
    assertThat(MessageTypes.typeOf(message.getClass())).isEqualTo(type);
    assertThat(message)
        .isEqualTo(
            SampleMessages.all().stream()
                .filter(sample -> MessageTypes.typeOf(sample.getClass()).equals(type))
                .findFirst()
                .orElseThrow());
  }
}
