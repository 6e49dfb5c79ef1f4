package dev.lifeboat.audit.cli;

import dev.lifeboat.audit.domain.Entry;
import dev.lifeboat.audit.domain.IncidentProjector;
import dev.lifeboat.audit.domain.IncidentReport;
import dev.lifeboat.audit.domain.Timeline;
import dev.lifeboat.audit.messaging.TopicReader;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.codec.MessageCodec;
import dev.lifeboat.events.codec.ReadResult;
import dev.lifeboat.events.kafka.KafkaHeaders;
import dev.lifeboat.events.node.NodeEvent;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Reads an incident straight from Kafka, with no database, and prints its timeline: what a person
 * runs on a laptop against a copy of the topics.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = "Print an incident's timeline read straight from Lifeboat's Kafka topics.")
public class ReplayCommand implements Callable<Integer> {

  @Option(
      names = "--bootstrap-servers",
      required = true,
      description = "Kafka bootstrap servers, such as localhost:9092")
  String bootstrapServers;

  @Option(
      names = "--incident",
      required = true,
      description = "The incident id, or a node name (its latest incident)")
  String incident;

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "text or markdown (markdown adds the report)")
  String format;

  @Option(
      names = "--topic-prefix",
      defaultValue = Topic.DEFAULT_PREFIX,
      description = "Topic prefix")
  String prefix;

  @Option(names = "--from", description = "Read from this time (ISO-8601) instead of the start")
  String from;

  @Option(
      names = "--command-config",
      description =
          "A Kafka client properties file, as Kafka's own tools take it: security.protocol,"
              + " sasl.mechanism, sasl.jaas.config, ssl.truststore.location, ... (a cluster's"
              + " Kafka wants SCRAM; the file keeps the password off the command line)")
  java.nio.file.Path commandConfig;

  /** Where the timeline goes (standard output). */
  public PrintStream out = System.out;

  /** Where errors go (standard error). */
  public PrintStream err = System.err;

  @Override
  public Integer call() {
    if (!format.equals("text") && !format.equals("markdown")) {
      err.println("--format must be text or markdown, was " + format);
      return 2;
    }
    Map<String, Object> kafka = new java.util.HashMap<>();
    if (commandConfig != null) {
      java.util.Properties properties = new java.util.Properties();
      try (java.io.Reader reader =
          java.nio.file.Files.newBufferedReader(
              commandConfig, java.nio.charset.StandardCharsets.UTF_8)) {
        properties.load(reader);
      } catch (java.io.IOException | IllegalArgumentException e) {
        // The reason only: the file holds secrets, none of it is printed.
        err.println(
            "--command-config "
                + commandConfig
                + " cannot be read: "
                + e.getClass().getSimpleName());
        return 2;
      }
      properties.stringPropertyNames().forEach(key -> kafka.put(key, properties.getProperty(key)));
    }
    kafka.put("bootstrap.servers", bootstrapServers);
    Map<String, List<Entry>> byIncident = new LinkedHashMap<>();
    Map<String, String> latestOfNode = new LinkedHashMap<>();
    Map<String, Instant> latestAt = new LinkedHashMap<>();
    long[] sequence = {0};
    TopicReader.read(
        kafka,
        prefix,
        from == null ? null : Instant.parse(from),
        batch -> {
          for (ConsumerRecord<String, byte[]> record : batch) {
            ReadResult read =
                MessageCodec.read(KafkaHeaders.asText(record.headers()), record.value());
            if (!(read instanceof ReadResult.Read ok)) {
              continue;
            }
            LifeboatMessage message = ok.message();
            byIncident
                .computeIfAbsent(message.incidentId(), id -> new ArrayList<>())
                .add(new Entry(sequence[0]++, record.topic(), message));
            if (message instanceof NodeEvent event) {
              String node = event.node().name();
              Instant seen = latestAt.get(node);
              if (seen == null || message.occurredAt().isAfter(seen)) {
                latestAt.put(node, message.occurredAt());
                latestOfNode.put(node, message.incidentId());
              }
            }
          }
        });
    String id = byIncident.containsKey(incident) ? incident : latestOfNode.get(incident);
    if (id == null) {
      err.println("no incident or node " + incident + " on the topics at " + bootstrapServers);
      return 1;
    }
    List<Entry> entries = byIncident.get(id);
    List<Timeline.Line> lines = Timeline.lines(entries);
    if (format.equals("markdown")) {
      out.print(Timeline.markdown(id, lines));
      out.println();
      out.print(IncidentReport.of(IncidentProjector.project(id, entries)).markdown());
    } else {
      out.println("incident " + id);
      out.print(Timeline.text(lines));
    }
    return 0;
  }
}
