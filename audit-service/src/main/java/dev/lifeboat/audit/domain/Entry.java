package dev.lifeboat.audit.domain;

import dev.lifeboat.events.LifeboatMessage;

/**
 * A stored message with where it came from: the unit of the timeline.
 *
 * @param sequence the order in which the audit service stored it (ties of {@code occurredAt})
 * @param topic the topic it was read from
 * @param message the message
 */
public record Entry(long sequence, String topic, LifeboatMessage message) {}
