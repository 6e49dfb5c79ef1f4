package dev.lifeboat.watcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.cluster.ClusterCommandFailed;
import dev.lifeboat.events.cluster.TaintNodeOutOfService;
import dev.lifeboat.events.codec.CloudEventHeaders;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.testkit.KafkaBrokerResource;
import dev.lifeboat.testkit.LifeboatTopics;
import dev.lifeboat.testkit.MessagingContractTest;
import dev.lifeboat.testkit.TestMessages;
import dev.lifeboat.watcher.messaging.ClusterReports;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class NodeWatcherMessagingTest extends MessagingContractTest {

  @Inject ClusterReports reports;

  @Override
  protected Topic consumedTopic() {
    return Topic.CLUSTER_COMMANDS;
  }

  @Override
  protected Class<? extends LifeboatMessage> acceptedType() {
    return TaintNodeOutOfService.class;
  }

  @Test
  void nodeEventIsPublishedKeyedByIncidentWithCloudEventsHeaders() throws Exception {
    NodeGone gone = TestMessages.fresh(NodeGone.class);

    reports.publish(gone).toCompletableFuture().get(30, TimeUnit.SECONDS);

    ConsumerRecord<String, byte[]> record =
        topics.awaitRecord(
            Topic.NODE_EVENTS,
            r ->
                LifeboatTopics.header(r, CloudEventHeaders.ID)
                    .filter(gone.messageId()::equals)
                    .isPresent());
    assertThat(record.key()).isEqualTo(gone.incidentId());
    assertThat(LifeboatTopics.header(record, CloudEventHeaders.SOURCE))
        .contains("/lifeboat/node-watcher");
    assertThat(LifeboatTopics.header(record, CloudEventHeaders.TYPE))
        .contains("lifeboat.node.gone.v1");
    assertThat(topics.awaitMessage(Topic.NODE_EVENTS, NodeGone.class, gone::equals))
        .isEqualTo(gone);
  }

  @Test
  void clusterResultIsPublishedOnItsTopic() throws Exception {
    ClusterCommandFailed failed = TestMessages.fresh(ClusterCommandFailed.class);

    reports.publish(failed).toCompletableFuture().get(30, TimeUnit.SECONDS);

    assertThat(
            topics.awaitMessage(Topic.CLUSTER_RESULTS, ClusterCommandFailed.class, failed::equals))
        .isEqualTo(failed);
  }
}
