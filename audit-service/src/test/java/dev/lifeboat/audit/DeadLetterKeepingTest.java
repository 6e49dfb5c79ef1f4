package dev.lifeboat.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.events.Topic;
import dev.lifeboat.events.codec.MessageCodec;
import dev.lifeboat.events.saga.StepStarted;
import dev.lifeboat.service.DeadLetters;
import dev.lifeboat.testkit.KafkaBrokerResource;
import dev.lifeboat.testkit.PostgresResource;
import dev.lifeboat.testkit.TestKafka;
import dev.lifeboat.testkit.TestMessages;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * A poison record never stops the audit service: a dead letter holding a NUL byte and bytes that
 * are not UTF-8, in its key, a header and its payload, is kept as the bytes it was, the letters
 * after it are kept too, and a message of the contract carrying such a header is stored.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
class DeadLetterKeepingTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @Inject DataSource dataSource;

  @Test
  void aDeadLetterWithANulByteIsKeptAsItWasAndTheLettersAfterItToo() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    byte[] key = {'k', 0, (byte) 0xff};
    byte[] junk = {0, 1, (byte) 0xfe};
    byte[] payload = {'{', 0, (byte) 0xc3, '}'};
    double countedBefore = deadLettersCounted();
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      ProducerRecord<byte[], byte[]> poison =
          new ProducerRecord<>(Topic.DEAD_LETTERS.nameWith(Topic.DEFAULT_PREFIX), key, payload);
      poison.headers().add(DeadLetters.REASON, ("poison " + run + " \0 here").getBytes(UTF8));
      poison.headers().add(DeadLetters.TOPIC, "lifeboat.saga-events".getBytes(UTF8));
      poison.headers().add("x-junk", junk);
      producer.send(poison).get();
      ProducerRecord<byte[], byte[]> after =
          new ProducerRecord<>(
              Topic.DEAD_LETTERS.nameWith(Topic.DEFAULT_PREFIX),
              "after".getBytes(UTF8),
              "{}".getBytes(UTF8));
      after.headers().add(DeadLetters.REASON, ("after " + run).getBytes(UTF8));
      producer.send(after).get();

      // A message of the contract with a header holding a NUL byte, on a topic the timeline reads.
      StepStarted step = TestMessages.fresh(StepStarted.class);
      ProducerRecord<byte[], byte[]> message =
          new ProducerRecord<>(
              Topic.SAGA_EVENTS.nameWith(Topic.DEFAULT_PREFIX),
              step.incidentId().getBytes(UTF8),
              MessageCodec.payload(step));
      MessageCodec.headers(step, "/lifeboat/test")
          .forEach((name, value) -> message.headers().add(name, value.getBytes(UTF8)));
      message.headers().add("x-junk", junk);
      producer.send(message).get();

      await()
          .atMost(WAIT)
          .untilAsserted(
              () ->
                  assertThat(
                          given()
                              .get("/api/dead-letters")
                              .then()
                              .statusCode(200)
                              .extract()
                              .jsonPath()
                              .getList("reason", String.class))
                      .contains("after " + run, "poison " + run + " \\u0000 here"));
      await().atMost(WAIT).until(() -> stored(step.messageId()));
    }
    // Counted for the alert on dead letters growing (other tests' letters may add to it).
    assertThat(deadLettersCounted()).isGreaterThanOrEqualTo(countedBefore + 2);

    try (Connection db = dataSource.getConnection();
        PreparedStatement select =
            db.prepareStatement(
                "select record_key, record_key_bytes, payload, headers->'x-junk'->>'base64',"
                    + " original_topic from dead_letter where reason like ?")) {
      select.setString(1, "poison " + run + "%");
      try (ResultSet row = select.executeQuery()) {
        assertThat(row.next()).isTrue();
        assertThat(row.getString(1)).as("shown as text").startsWith("k\\u0000");
        assertThat(row.getBytes(2)).as("the key's bytes").isEqualTo(key);
        assertThat(row.getBytes(3)).as("the payload's bytes").isEqualTo(payload);
        assertThat(Base64.getDecoder().decode(row.getString(4))).isEqualTo(junk);
        assertThat(row.getString(5)).isEqualTo("lifeboat.saga-events");
      }
    }
    given().get("/q/health/ready").then().statusCode(200);
  }

  /** The audit's counter of dead letters stored, as Prometheus reads it. */
  private static double deadLettersCounted() {
    java.util.regex.Matcher line =
        java.util.regex.Pattern.compile(
                "(?m)^lifeboat_audit_dead_letters_total(?:\\{[^}]*})? (\\S+)$")
            .matcher(given().get("/q/metrics").asString());
    assertThat(line.find()).as("lifeboat_audit_dead_letters_total is exported").isTrue();
    return Double.parseDouble(line.group(1));
  }

  private boolean stored(String messageId) throws Exception {
    try (Connection db = dataSource.getConnection();
        PreparedStatement select =
            db.prepareStatement("select headers->>'x-junk' from message where message_id = ?")) {
      select.setString(1, messageId);
      try (ResultSet row = select.executeQuery()) {
        return row.next() && row.getString(1).startsWith("\\u0000");
      }
    }
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  private static KafkaProducer<byte[], byte[]> producer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            TestKafka.shared().bootstrapServers(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class.getName(),
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class.getName()));
  }
}
