package dev.lifeboat.audit.persistence;

import java.util.List;

/**
 * A record of the dead-letter topic as the bytes it was: whatever a poison record carries (a NUL
 * byte, bytes that are not UTF-8) must be kept, never refused again.
 *
 * @param key the key's bytes, or null
 * @param headers every header in order, values as bytes (null for a header without value)
 * @param value the payload's bytes, or null
 */
public record DeadRecord(
    String topic, int partition, long offset, byte[] key, List<Header> headers, byte[] value) {

  /** A header as it came. */
  public record Header(String name, byte[] value) {}

  /** The text of the last header of that name, for display; null when there is none. */
  public String headerText(String name) {
    String text = null;
    for (Header header : headers) {
      if (header.name().equals(name) && header.value() != null) {
        text = StoredText.display(header.value());
      }
    }
    return text;
  }
}
