package dev.lifeboat.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifeboat.events.Topic;
import dev.lifeboat.testkit.LifeboatTopics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Looks for a secret (the Hetzner token a run was given) everywhere Lifeboat writes: every log file
 * of the stack, every record of every Lifeboat topic (values and headers) and the APIs' answers
 * about every incident (the orchestrator's list, the audit's reports and timelines).
 */
public final class TokenSweep {

  /**
   * Where the secret was found, and how much was read.
   *
   * @param found each place it was found, in words; empty when nowhere
   * @param logFiles log files read
   * @param records records read
   * @param incidents incidents whose answers were read
   */
  public record Result(List<String> found, int logFiles, int records, int incidents) {}

  private TokenSweep() {}

  /** Sweeps the stack's logs, topics and APIs for the secret. */
  public static Result sweep(String secret, Stack stack) {
    Map<Topic, List<ConsumerRecord<String, byte[]>>> records = new EnumMap<>(Topic.class);
    try (LifeboatTopics topics =
        new LifeboatTopics("127.0.0.1:" + stack.settings().ports().kafka(), Stack.TOPIC_PREFIX)) {
      for (Topic topic : Topic.values()) {
        records.put(topic, topics.records(topic));
      }
    }
    return sweep(secret, stack, records);
  }

  /** Sweeps the stack's logs and APIs, and these records of every topic, for the secret. */
  public static Result sweep(
      String secret, Stack stack, Map<Topic, List<ConsumerRecord<String, byte[]>>> everyTopic) {
    List<String> found = new ArrayList<>();
    Path logs = stack.settings().home().resolve("logs");
    List<Path> files;
    try (Stream<Path> listed = Files.list(logs)) {
      files = listed.toList();
      for (Path log : files) {
        if (new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1).contains(secret)) {
          found.add("log " + log.getFileName());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the logs in " + logs, e);
    }
    int records = 0;
    {
      for (Topic topic : Topic.values()) {
        for (ConsumerRecord<String, byte[]> record : everyTopic.getOrDefault(topic, List.of())) {
          records++;
          if (record.value() != null
              && new String(record.value(), StandardCharsets.ISO_8859_1).contains(secret)) {
            found.add(topic + " record at offset " + record.offset());
          }
          for (Header header : record.headers()) {
            if (header.value() != null
                && new String(header.value(), StandardCharsets.ISO_8859_1).contains(secret)) {
              found.add(topic + " header " + header.key() + " at offset " + record.offset());
            }
          }
        }
      }
    }
    LocalApis apis = new LocalApis(stack.settings().ports());
    JsonNode incidents = apis.incidents();
    if (incidents.toString().contains(secret)) {
      found.add("the orchestrator's incident list");
    }
    for (JsonNode incident : incidents) {
      String id = incident.path("incidentId").asText();
      if (apis.report(id).map(JsonNode::toString).orElse("").contains(secret)) {
        found.add("the audit's report of " + id);
      }
      if (apis.timeline(id).map(JsonNode::toString).orElse("").contains(secret)) {
        found.add("the audit's timeline of " + id);
      }
    }
    return new Result(List.copyOf(found), files.size(), records, incidents.size());
  }
}
