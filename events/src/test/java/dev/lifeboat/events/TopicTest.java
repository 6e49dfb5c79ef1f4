package dev.lifeboat.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.events.codec.MessageTypes;
import org.junit.jupiter.api.Test;

class TopicTest {

  @Test
  void everySampleBelongsToTheTopicOfItsFamily() {
    for (LifeboatMessage sample : SampleMessages.all()) {
      Topic topic = Topic.of(sample);
      assertThat(topic.family()).get().matches(family -> family.isInstance(sample));
      String type = MessageTypes.typeOf(sample.getClass());
      String expectedPrefix =
          switch (topic) {
            case NODE_EVENTS -> "lifeboat.node.";
            case CLUSTER_COMMANDS, CLUSTER_RESULTS -> "lifeboat.cluster.";
            case HCLOUD_COMMANDS, HCLOUD_RESULTS -> "lifeboat.hcloud.";
            case SAGA_EVENTS -> "lifeboat.saga.";
            case CONTROL -> "lifeboat.control.";
            case FENCING_PERMITS -> "lifeboat.permit.";
            case NODE_INVENTORY -> "lifeboat.inventory.";
            case DOCTOR -> "lifeboat.doctor.";
            case DEAD_LETTERS -> "none";
          };
      assertThat(type).startsWith(expectedPrefix);
    }
  }

  @Test
  void aMessageOnTheWrongTopicIsRefusedNamingBoth() {
    LifeboatMessage nodeEvent = SampleMessages.all().get(0);

    assertThat(Topic.NODE_EVENTS.requireCarried(nodeEvent)).isSameAs(nodeEvent);
    assertThatThrownBy(() -> Topic.HCLOUD_COMMANDS.requireCarried(nodeEvent))
        .hasMessage("NodeSuspected does not belong on hcloud-commands");
  }

  @Test
  void arrivalOnAnUnknownTopicIsRefusedNamingIt() {
    LifeboatMessage nodeEvent = SampleMessages.all().get(0);

    assertThat(Topic.carrying("lifeboat.", "lifeboat.node-events", nodeEvent))
        .isEqualTo(Topic.NODE_EVENTS);
    assertThatThrownBy(() -> Topic.carrying("lifeboat.", "other.node-events", nodeEvent))
        .hasMessage("other.node-events is not a Lifeboat topic");
  }

  @Test
  void topicNamesFollowTheConfiguredPrefix() {
    assertThat(Topic.NODE_EVENTS.defaultName()).isEqualTo("lifeboat.node-events");
    assertThat(Topic.DEAD_LETTERS.nameWith("staging.lifeboat."))
        .isEqualTo("staging.lifeboat.dead-letters");
  }
}
