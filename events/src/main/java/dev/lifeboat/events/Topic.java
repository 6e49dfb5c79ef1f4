package dev.lifeboat.events;

import dev.lifeboat.events.cluster.ClusterCommand;
import dev.lifeboat.events.cluster.ClusterResult;
import dev.lifeboat.events.control.ControlRequest;
import dev.lifeboat.events.doctor.DoctorMessage;
import dev.lifeboat.events.hcloud.HcloudCommand;
import dev.lifeboat.events.hcloud.HcloudResult;
import dev.lifeboat.events.inventory.InventoryReport;
import dev.lifeboat.events.node.NodeEvent;
import dev.lifeboat.events.permit.PermitMessage;
import dev.lifeboat.events.saga.SagaEvent;
import java.util.Arrays;
import java.util.Optional;

/**
 * Lifeboat's topics. Each carries one family of messages, keyed by incident id; all have the same
 * partition count so that an incident stays on one partition everywhere. The one exception: the
 * requests and releases on {@link #FENCING_PERMITS} are keyed by {@link
 * PermitMessage#AUTHORITY_KEY}, so that one partition's owner decides them all in order, and the
 * doctor's by {@link DoctorMessage#KEY}.
 */
public enum Topic {
  NODE_EVENTS("node-events", NodeEvent.class),
  CLUSTER_COMMANDS("cluster-commands", ClusterCommand.class),
  CLUSTER_RESULTS("cluster-results", ClusterResult.class),
  HCLOUD_COMMANDS("hcloud-commands", HcloudCommand.class),
  HCLOUD_RESULTS("hcloud-results", HcloudResult.class),
  SAGA_EVENTS("saga-events", SagaEvent.class),
  CONTROL("control", ControlRequest.class),
  FENCING_PERMITS("fencing-permits", PermitMessage.class),
  /**
   * Each node as node-watcher sees it, compacted: keyed by node name (not by incident), the latest
   * report per node kept.
   */
  NODE_INVENTORY("node-inventory", InventoryReport.class),
  /**
   * Doctor runs (docs/doctor.md): requests, the two snapshots and the reports, all keyed by {@link
   * DoctorMessage#KEY}, so that a run's messages stand on one partition in order.
   */
  DOCTOR("doctor", DoctorMessage.class),
  /** Records that could not be read, with the reason in headers; raw bytes, no family. */
  DEAD_LETTERS("dead-letters", null);

  /** The prefix of every topic name unless configured otherwise. */
  public static final String DEFAULT_PREFIX = "lifeboat.";

  private final String suffix;
  private final Class<? extends LifeboatMessage> family;

  Topic(String suffix, Class<? extends LifeboatMessage> family) {
    this.suffix = suffix;
    this.family = family;
  }

  /** The topic's name under the given prefix, such as {@code lifeboat.node-events}. */
  public String nameWith(String prefix) {
    return prefix + suffix;
  }

  /** The topic's name under {@link #DEFAULT_PREFIX}. */
  public String defaultName() {
    return nameWith(DEFAULT_PREFIX);
  }

  /**
   * True for a topic that keeps the latest record per key ({@code cleanup.policy=compact}) rather
   * than every record for a time: {@link #NODE_INVENTORY}.
   */
  public boolean compacted() {
    return this == NODE_INVENTORY;
  }

  /** The sealed interface whose records this topic carries; empty for the dead-letter topic. */
  public Optional<Class<? extends LifeboatMessage>> family() {
    return Optional.ofNullable(family);
  }

  /**
   * The message, if this topic carries its family; otherwise an error naming both, for a message
   * that was sent to the wrong topic.
   */
  public LifeboatMessage requireCarried(LifeboatMessage message) {
    if (family == null || !family.isInstance(message)) {
      throw new IllegalArgumentException(
          message.getClass().getSimpleName() + " does not belong on " + suffix);
    }
    return message;
  }

  /**
   * The topic a message arrived on, checked: an error names the topic when it is not Lifeboat's or
   * does not carry the message's family.
   */
  public static Topic carrying(String prefix, String topicName, LifeboatMessage message) {
    Topic topic =
        named(prefix, topicName)
            .orElseThrow(
                () -> new IllegalArgumentException(topicName + " is not a Lifeboat topic"));
    topic.requireCarried(message);
    return topic;
  }

  /** The topic of this name under the prefix, if it is one of Lifeboat's. */
  public static Optional<Topic> named(String prefix, String topicName) {
    return Arrays.stream(values())
        .filter(topic -> topic.nameWith(prefix).equals(topicName))
        .findFirst();
  }

  /** The topic a message belongs on, by its family. */
  public static Topic of(LifeboatMessage message) {
    return Arrays.stream(values())
        .filter(topic -> topic.family != null && topic.family.isInstance(message))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    message.getClass().getName() + " belongs to no topic family"));
  }
}
