package dev.lifeboat.testkit;

import static org.awaitility.Awaitility.await;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.codec.MessageCodec;
import dev.lifeboat.events.codec.ReadResult;
import dev.lifeboat.events.kafka.KafkaHeaders;
import dev.lifeboat.events.kafka.LifeboatMessageSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Typed test access to Lifeboat's topics on a real broker: send a message where the contract puts
 * it, send raw records (to test bad input), and wait for records or messages to appear.
 */
public final class LifeboatTopics implements AutoCloseable {

  /** How long a test waits for a record before it fails. */
  public static final Duration WAIT = Duration.ofSeconds(30);

  private final String bootstrapServers;
  private final String prefix;
  private final KafkaProducer<String, LifeboatMessage> messages;
  private final KafkaProducer<String, byte[]> raw;

  public LifeboatTopics(String bootstrapServers, String prefix) {
    this.bootstrapServers = bootstrapServers;
    this.prefix = prefix;
    this.messages =
        new KafkaProducer<>(
            producerConfig(
                Map.of(
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                    LifeboatMessageSerializer.class.getName(),
                    LifeboatMessageSerializer.SOURCE_CONFIG,
                    "/lifeboat/test")));
    this.raw =
        new KafkaProducer<>(
            producerConfig(
                Map.of(
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                    ByteArraySerializer.class.getName())));
  }

  /** Topics on the shared test broker, under the default prefix. */
  public static LifeboatTopics onSharedBroker() {
    return new LifeboatTopics(TestKafka.shared().bootstrapServers(), Topic.DEFAULT_PREFIX);
  }

  /** The full name of a topic. */
  public String name(Topic topic) {
    return topic.nameWith(prefix);
  }

  /** Sends a message to its topic, keyed by incident id, and waits until the broker has it. */
  public RecordMetadata send(LifeboatMessage message) {
    return acknowledged(
        messages.send(new ProducerRecord<>(name(Topic.of(message)), message.incidentId(), message)),
        WAIT);
  }

  /** Sends any bytes with any headers, to test how services treat records that break the rules. */
  public RecordMetadata sendRaw(
      Topic topic, String key, Map<String, String> headers, byte[] value) {
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(name(topic), key, value);
    KafkaHeaders.put(record.headers(), headers);
    return acknowledged(raw.send(record), WAIT);
  }

  /**
   * Sends every junk record to the topic under one key, and waits until the broker has them all.
   */
  public void sendJunk(Topic topic, String key, List<JunkRecords.Junk> junk) {
    sendJunk(topic, junk.stream().map(j -> key).toList(), junk);
  }

  /** Sends the junk records to the topic, each with its own key, and waits for every ack. */
  public void sendJunk(Topic topic, List<String> keys, List<JunkRecords.Junk> junk) {
    if (keys.size() != junk.size()) {
      throw new IllegalArgumentException(keys.size() + " keys for " + junk.size() + " records");
    }
    List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
    for (int i = 0; i < junk.size(); i++) {
      JunkRecords.Junk record = junk.get(i);
      ProducerRecord<String, byte[]> out =
          new ProducerRecord<>(name(topic), keys.get(i), record.value());
      KafkaHeaders.put(out.headers(), record.headers());
      sent.add(raw.send(out));
    }
    raw.flush();
    sent.forEach(future -> acknowledged(future, WAIT));
  }

  /**
   * The records on the topic (read from its beginning) that match, once {@code count} of them are
   * there or the time given has passed, whichever comes first: the caller's assertions say what is
   * missing.
   */
  public List<ConsumerRecord<String, byte[]>> recordsWithin(
      Topic topic, Predicate<ConsumerRecord<String, byte[]>> match, int count, Duration within) {
    try (KafkaConsumer<String, byte[]> consumer = consumerFromBeginning(topic)) {
      List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
      long deadline = System.nanoTime() + within.toNanos();
      while (found.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (match.test(record)) {
            found.add(record);
          }
        }
      }
      return found;
    }
  }

  /** Sends text with the CloudEvents headers of the given message (useful to break its payload). */
  public RecordMetadata sendWithHeadersOf(LifeboatMessage message, String payload) {
    return sendRaw(
        Topic.of(message),
        message.incidentId(),
        MessageCodec.headers(message, "/lifeboat/test"),
        payload.getBytes(StandardCharsets.UTF_8));
  }

  /** Waits for a record on the topic (read from its beginning) that matches, and returns it. */
  public ConsumerRecord<String, byte[]> awaitRecord(
      Topic topic, Predicate<ConsumerRecord<String, byte[]>> match) {
    try (KafkaConsumer<String, byte[]> consumer = consumerFromBeginning(topic)) {
      List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                for (ConsumerRecord<String, byte[]> record :
                    consumer.poll(Duration.ofMillis(200))) {
                  if (match.test(record)) {
                    found.add(record);
                  }
                }
                return !found.isEmpty();
              });
      return found.get(0);
    }
  }

  /** Waits for a message of this type on the topic that matches, and returns it. */
  public <T extends LifeboatMessage> T awaitMessage(
      Topic topic, Class<T> type, Predicate<T> match) {
    ConsumerRecord<String, byte[]> record =
        awaitRecord(topic, candidate -> read(candidate, type).filter(match).isPresent());
    return read(record, type).orElseThrow();
  }

  /**
   * All records on the topic now, read from its beginning; however many there are, as long as each
   * {@link #WAIT} brings some (a topic of hundreds of megabytes, a chaos round's dead letters,
   * takes longer than that to read).
   */
  public List<ConsumerRecord<String, byte[]>> records(Topic topic) {
    try (KafkaConsumer<String, byte[]> consumer = consumerFromBeginning(topic)) {
      List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
      Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
      long quietUntil = System.nanoTime() + WAIT.toNanos();
      while (!end.entrySet().stream()
          .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
        var polled = consumer.poll(Duration.ofMillis(200));
        polled.forEach(records::add);
        if (!polled.isEmpty()) {
          quietUntil = System.nanoTime() + WAIT.toNanos();
        } else if (System.nanoTime() > quietUntil) {
          throw new IllegalStateException(
              "no record of " + name(topic) + " for " + WAIT + " before its end " + end);
        }
      }
      return records;
    }
  }

  /** The text of a header of a record, if it has the header. */
  public static Optional<String> header(ConsumerRecord<?, ?> record, String name) {
    return Optional.ofNullable(record.headers().lastHeader(name))
        .map(header -> new String(header.value(), StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    messages.close(Duration.ofSeconds(5));
    raw.close(Duration.ofSeconds(5));
  }

  /** The record's message, if it is one of this type. */
  public static <T extends LifeboatMessage> Optional<T> read(
      ConsumerRecord<String, byte[]> record, Class<T> type) {
    ReadResult result = MessageCodec.read(KafkaHeaders.asText(record.headers()), record.value());
    return result instanceof ReadResult.Read read && type.isInstance(read.message())
        ? Optional.of(type.cast(read.message()))
        : Optional.empty();
  }

  private KafkaConsumer<String, byte[]> consumerFromBeginning(Topic topic) {
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG,
                "lifeboat-test-" + UUID.randomUUID(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                // Whole topics are read: large fetches (junk records of 200 kB among them).
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                16 * 1024 * 1024,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG,
                64 * 1024 * 1024,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                5000));
    List<TopicPartition> partitions =
        consumer.partitionsFor(name(topic), WAIT).stream()
            .map(info -> new TopicPartition(info.topic(), info.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return consumer;
  }

  private Map<String, Object> producerConfig(Map<String, Object> extra) {
    Map<String, Object> config = new HashMap<>(extra);
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Duration.ofMinutes(2).toMillis());
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) WAIT.toMillis());
    return config;
  }

  private static RecordMetadata acknowledged(Future<RecordMetadata> sent, Duration wait) {
    try {
      return sent.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending", e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("the broker did not acknowledge the record: " + cause, e);
    }
  }
}
