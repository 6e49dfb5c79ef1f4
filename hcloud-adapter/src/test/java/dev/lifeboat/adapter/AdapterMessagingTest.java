package dev.lifeboat.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.adapter.messaging.HcloudResults;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.codec.CloudEventHeaders;
import dev.lifeboat.events.hcloud.HcloudCommandAlreadyDone;
import dev.lifeboat.events.hcloud.PowerOffServer;
import dev.lifeboat.testkit.HcloudSimProcess;
import dev.lifeboat.testkit.KafkaBrokerResource;
import dev.lifeboat.testkit.LifeboatTopics;
import dev.lifeboat.testkit.MessagingContractTest;
import dev.lifeboat.testkit.MonitoringQueries;
import dev.lifeboat.testkit.TestMessages;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(HcloudSimProcess.Resource.class)
class AdapterMessagingTest extends MessagingContractTest {

  @Inject HcloudResults results;

  @Override
  protected Topic consumedTopic() {
    return Topic.HCLOUD_COMMANDS;
  }

  @Override
  protected Class<? extends LifeboatMessage> acceptedType() {
    return PowerOffServer.class;
  }

  @Test
  void resultIsPublishedKeyedByIncidentWithTheAdaptersSource() throws Exception {
    HcloudCommandAlreadyDone done = TestMessages.fresh(HcloudCommandAlreadyDone.class);

    results.publish(done).toCompletableFuture().get(30, TimeUnit.SECONDS);

    ConsumerRecord<String, byte[]> record =
        topics.awaitRecord(
            Topic.HCLOUD_RESULTS,
            r ->
                LifeboatTopics.header(r, CloudEventHeaders.ID)
                    .filter(done.messageId()::equals)
                    .isPresent());
    assertThat(record.key()).isEqualTo(done.incidentId());
    assertThat(LifeboatTopics.header(record, CloudEventHeaders.SOURCE))
        .contains("/lifeboat/hcloud-adapter");
    assertThat(
            topics.awaitMessage(Topic.HCLOUD_RESULTS, HcloudCommandAlreadyDone.class, done::equals))
        .isEqualTo(done);
  }

  @Test
  void everyMetricTheAlertsAndTheDashboardQueryIsExported() {
    MonitoringQueries.assertExported(MonitoringQueries.ADAPTER);
  }
}
