package dev.lifeboat.testkit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.codec.CloudEventHeaders;
import dev.lifeboat.events.codec.MessageCodec;
import dev.lifeboat.events.codec.MessageTypes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What every Lifeboat service must do with a topic it consumes, against the real broker: read
 * messages of the contract, send anything else to the dead-letter topic with the reason while
 * staying healthy, and expose readiness (Kafka included) and Prometheus metrics. A service's
 * {@code @QuarkusTest} extends it and names one topic it consumes.
 */
public abstract class MessagingContractTest {

  /** Header that SmallRye's dead-letter strategy sets to the failure's message. */
  public static final String DEAD_LETTER_REASON = "dead-letter-reason";

  /** Header that SmallRye's dead-letter strategy sets to the record's original topic. */
  public static final String DEAD_LETTER_TOPIC = "dead-letter-topic";

  /** The counter every service keeps of the messages it received. */
  public static final String RECEIVED_METRIC = "lifeboat_messages_received_total";

  protected static LifeboatTopics topics;

  /** A topic the service consumes. */
  protected abstract Topic consumedTopic();

  /** A message type the service accepts on that topic. */
  protected abstract Class<? extends LifeboatMessage> acceptedType();

  @BeforeAll
  static void openTopics() {
    topics = LifeboatTopics.onSharedBroker();
  }

  @AfterAll
  static void closeTopics() {
    topics.close();
  }

  @Test
  void messageFromTheBrokerIsReceivedAndCounted() {
    String type = MessageTypes.typeOf(acceptedType());
    double before = receivedCount(type);

    topics.send(TestMessages.fresh(acceptedType()));

    await()
        .atMost(LifeboatTopics.WAIT)
        .untilAsserted(() -> assertThat(receivedCount(type)).isEqualTo(before + 1));
  }

  @Test
  void malformedPayloadGoesToDeadLettersWithItsReasonAndTheServiceStaysHealthy() {
    LifeboatMessage message = TestMessages.fresh(acceptedType());

    topics.sendWithHeadersOf(message, "{\"messageId\": no json here");

    ConsumerRecord<String, byte[]> dead = awaitDeadLetter(message.messageId());
    assertThat(LifeboatTopics.header(dead, DEAD_LETTER_REASON))
        .get()
        .asString()
        .startsWith("MALFORMED_JSON: " + MessageTypes.typeOf(acceptedType()));
    assertThat(LifeboatTopics.header(dead, DEAD_LETTER_TOPIC))
        .contains(topics.name(consumedTopic()));
    assertThat(new String(dead.value(), StandardCharsets.UTF_8))
        .as("the original bytes are kept")
        .isEqualTo("{\"messageId\": no json here");
    assertThat(dead.key()).isEqualTo(message.incidentId());

    messageFromTheBrokerIsReceivedAndCounted();
    given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
  }

  /**
   * A flood of records nobody can read, of every kind {@link JunkRecords} makes (NUL bytes, random
   * bytes, cut JSON, zero bytes, deep nesting, 200 kB, no headers, unknown types): each one reaches
   * the dead-letter topic as the bytes it was, with a reason; the consumer never stops, reads the
   * good message sent after the flood, and the service stays ready.
   */
  @Test
  void aFloodOfJunkGoesToDeadLettersRecordForRecordAndTheConsumerGoesOn() {
    String key = "flood-" + java.util.UUID.randomUUID();
    List<JunkRecords.Junk> flood =
        JunkRecords.flood(TestMessages.fresh(acceptedType()), FLOOD, key.hashCode());

    topics.sendJunk(consumedTopic(), key, flood);
    messageFromTheBrokerIsReceivedAndCounted();

    List<ConsumerRecord<String, byte[]>> dead =
        topics.recordsWithin(
            Topic.DEAD_LETTERS, record -> key.equals(record.key()), FLOOD, Duration.ofMinutes(2));
    Map<String, JunkRecords.Kind> kindOf = new HashMap<>();
    flood.forEach(
        junk -> kindOf.put(Base64.getEncoder().encodeToString(junk.value()), junk.kind()));
    Map<String, Long> deadByKind =
        dead.stream()
            .map(record -> Base64.getEncoder().encodeToString(record.value()))
            .collect(
                Collectors.groupingBy(
                    bytes -> String.valueOf(kindOf.get(bytes)),
                    TreeMap::new,
                    Collectors.counting()));
    assertThat(deadByKind)
        .as("every junk record, once, as the bytes it was (counted by kind)")
        .isEqualTo(
            flood.stream()
                .collect(
                    Collectors.groupingBy(
                        junk -> junk.kind().name(),
                        TreeMap<String, Long>::new,
                        Collectors.counting())));
    assertThat(dead)
        .allSatisfy(
            record ->
                assertThat(LifeboatTopics.header(record, DEAD_LETTER_REASON))
                    .as("the reason of a dead letter")
                    .hasValueSatisfying(reason -> assertThat(reason).isNotBlank()));
    given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
  }

  /** How many junk records the flood test sends: every kind, many times over. */
  static final int FLOOD = 500;

  @Test
  void messageOfAnotherTopicsFamilyGoesToDeadLetters() {
    LifeboatMessage misrouted = TestMessages.fresh(messageOfAnotherFamily());

    topics.sendRaw(
        consumedTopic(),
        misrouted.incidentId(),
        MessageCodec.headers(misrouted, "/lifeboat/test"),
        MessageCodec.payload(misrouted));

    ConsumerRecord<String, byte[]> dead = awaitDeadLetter(misrouted.messageId());
    assertThat(LifeboatTopics.header(dead, DEAD_LETTER_REASON))
        .get()
        .asString()
        .contains("does not belong on");
  }

  @Test
  void readinessIncludesKafka() {
    given()
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body(containsString("Kafka connection health check"));
  }

  @Test
  void prometheusMetricsIncludeReceivedMessages() {
    messageFromTheBrokerIsReceivedAndCounted();

    given()
        .when()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString(RECEIVED_METRIC + "{"));
  }

  /** A message type of a family that the consumed topic does not carry. */
  private Class<? extends LifeboatMessage> messageOfAnotherFamily() {
    return Arrays.stream(Topic.values())
        .filter(topic -> topic != consumedTopic())
        .flatMap(topic -> topic.family().stream())
        .flatMap(family -> MessageTypes.ofFamily(family).stream())
        .findFirst()
        .orElseThrow();
  }

  private static ConsumerRecord<String, byte[]> awaitDeadLetter(String messageId) {
    return topics.awaitRecord(
        Topic.DEAD_LETTERS,
        record ->
            LifeboatTopics.header(record, CloudEventHeaders.ID)
                .filter(messageId::equals)
                .isPresent());
  }

  /** The service's count of received messages of a type, as Prometheus reads it. */
  protected static double receivedCount(String type) {
    String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    return metrics
        .lines()
        .filter(
            line ->
                line.startsWith(RECEIVED_METRIC + "{") && line.contains("type=\"" + type + "\""))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }
}
