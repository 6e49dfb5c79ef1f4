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
import dev.lifeboat.watcher.messaging.Reports;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@WithKubernetesTestServer(crud = true)
class NodeWatcherMessagingTest extends MessagingContractTest {

  @Inject Reports reports;

  @Override
  protected Topic consumedTopic() {
    return Topic.CLUSTER_COMMANDS;
  }

  @Override
  protected Class<? extends LifeboatMessage> acceptedType() {
    return TaintNodeOutOfService.class;
  }

  @Test
  void nodeEventIsPublishedKeyedByIncidentWithCloudEventsHeaders() {
    NodeGone gone = TestMessages.fresh(NodeGone.class);

    reports.publish(gone);

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
  void clusterResultIsPublishedOnItsTopic() {
    ClusterCommandFailed failed = TestMessages.fresh(ClusterCommandFailed.class);

    reports.publish(failed);

    assertThat(
            topics.awaitMessage(Topic.CLUSTER_RESULTS, ClusterCommandFailed.class, failed::equals))
        .isEqualTo(failed);
  }
}
