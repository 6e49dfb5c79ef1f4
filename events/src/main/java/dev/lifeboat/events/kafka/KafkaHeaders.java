package dev.lifeboat.events.kafka;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Kafka record headers as text, the form the codec reads. */
public final class KafkaHeaders {

  private KafkaHeaders() {}

  /** The last value of each header, decoded as UTF-8; headers without a value are left out. */
  public static Map<String, String> asText(Headers headers) {
    Map<String, String> text = new LinkedHashMap<>();
    if (headers == null) {
      return text;
    }
    for (Header header : headers) {
      if (header.value() != null) {
        text.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
      }
    }
    return text;
  }

  /** Replaces each named header with the given text, encoded as UTF-8. */
  public static void put(Headers headers, Map<String, String> values) {
    values.forEach(
        (name, value) -> {
          headers.remove(name);
          headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        });
  }
}
