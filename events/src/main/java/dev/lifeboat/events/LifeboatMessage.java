package dev.lifeboat.events;

import java.time.Instant;

/**
 * A message on one of Lifeboat's topics: every fact, command, result and saga event carries these.
 */
public interface LifeboatMessage {

  /** Unique id of this message; it becomes the CloudEvents {@code ce_id}. */
  String messageId();

  /** The incident this message belongs to; it is the Kafka key and {@code ce_subject}. */
  String incidentId();

  /** When the fact happened or the request was made; it becomes {@code ce_time}. */
  Instant occurredAt();
}
