package dev.lifeboat.adapter;

import static dev.lifeboat.adapter.AdapterTestSupport.powerOff;
import static dev.lifeboat.adapter.AdapterTestSupport.requests;
import static dev.lifeboat.adapter.AdapterTestSupport.result;
import static dev.lifeboat.adapter.AdapterTestSupport.server;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.hcloud.HcloudCommandSucceeded;
import dev.lifeboat.events.hcloud.HcloudResult;
import dev.lifeboat.events.hcloud.PowerOffServer;
import dev.lifeboat.events.kafka.LifeboatMessageSerializer;
import dev.lifeboat.testkit.HcloudSimProcess;
import dev.lifeboat.testkit.KafkaBrokerResource;
import dev.lifeboat.testkit.TestKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Only committed commands are executed: a PowerOffServer in an orchestrator transaction that was
 * aborted (a crash, a rebalance, a zombie instance) never powers a server off.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(HcloudSimProcess.Resource.class)
class UncommittedCommandTest extends WithTopics {

  @BeforeEach
  void demo() {
    HcloudSimProcess.shared().reset(null);
  }

  @Test
  void aCommandOfAnAbortedTransactionIsNeverExecuted() {
    PowerOffServer aborted = powerOff(4206);
    PowerOffServer committed = powerOff(4205);
    try (KafkaProducer<String, LifeboatMessage> orchestrator = transactionalProducer()) {
      orchestrator.initTransactions();
      orchestrator.beginTransaction();
      send(orchestrator, aborted);
      orchestrator.flush();
      orchestrator.abortTransaction();
      orchestrator.beginTransaction();
      send(orchestrator, committed);
      orchestrator.commitTransaction();
    }

    // The committed command, behind the aborted one on the same topic, is carried out...
    HcloudResult done = result(topics, committed);
    assertThat(done).isInstanceOf(HcloudCommandSucceeded.class);
    assertThat(server(4205).get("status").asText()).isEqualTo("off");
    // ...and the aborted one never was: the server runs, no request ever named it.
    assertThat(server(4206).get("status").asText()).isEqualTo("running");
    assertThat(requests()).noneMatch(line -> line.contains("/servers/4206"));
    assertThat(topics.records(Topic.HCLOUD_RESULTS))
        .noneMatch(r -> new String(r.value()).contains(aborted.commandId()));
  }

  private static void send(
      KafkaProducer<String, LifeboatMessage> producer, PowerOffServer command) {
    producer.send(
        new ProducerRecord<>(
            Topic.HCLOUD_COMMANDS.defaultName(), command.incidentId(), (LifeboatMessage) command));
  }

  private static KafkaProducer<String, LifeboatMessage> transactionalProducer() {
    LifeboatMessageSerializer values = new LifeboatMessageSerializer();
    values.configure(
        Map.of(LifeboatMessageSerializer.SOURCE_CONFIG, "/lifeboat/volume-orchestrator"), false);
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            TestKafka.shared().bootstrapServers(),
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            "test-orchestrator-" + UUID.randomUUID()),
        new StringSerializer(),
        values);
  }
}
