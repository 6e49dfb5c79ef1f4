package dev.lifeboat.events;

import java.util.List;
import java.util.Map;

/** Checks of message fields, so that a record never exists in an invalid state. */
public final class Require {

  private Require() {}

  /** Checks the fields every message carries. */
  public static void envelope(String messageId, String incidentId, java.time.Instant occurredAt) {
    text(messageId, "messageId");
    text(incidentId, "incidentId");
    present(occurredAt, "occurredAt");
  }

  /** Checks the fields every command and result carries. */
  public static void envelope(
      String messageId, String incidentId, java.time.Instant occurredAt, String commandId) {
    envelope(messageId, incidentId, occurredAt);
    text(commandId, "commandId");
  }

  /** The value, or an error naming the field when it is null. */
  public static <T> T present(T value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    return value;
  }

  /** The text, or an error naming the field when it is null or blank. */
  public static String text(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " is required and must not be blank");
    }
    return value;
  }

  /** The Hetzner id, or an error naming the field when it is not a positive number. */
  public static long id(long value, String field) {
    if (value <= 0) {
      throw new IllegalArgumentException(field + " must be a positive Hetzner id, was " + value);
    }
    return value;
  }

  /** The Hetzner id when present; an error naming the field when it is given but not positive. */
  public static Long optionalId(Long value, String field) {
    return value == null ? null : id(value, field);
  }

  /** The attempt number, counted from 1. */
  public static int attempt(int value, String field) {
    if (value < 1) {
      throw new IllegalArgumentException(field + " counts from 1, was " + value);
    }
    return value;
  }

  /** An unmodifiable copy of the list; null reads as empty. */
  public static <T> List<T> list(List<T> value) {
    return value == null ? List.of() : List.copyOf(value);
  }

  /** An unmodifiable copy of the map; null reads as empty. */
  public static <K, V> Map<K, V> map(Map<K, V> value) {
    return value == null ? Map.of() : Map.copyOf(value);
  }
}
