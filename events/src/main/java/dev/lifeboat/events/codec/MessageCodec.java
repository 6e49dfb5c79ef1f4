package dev.lifeboat.events.codec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.codec.ReadResult.NotRead;
import dev.lifeboat.events.codec.ReadResult.Read;
import dev.lifeboat.events.codec.Unreadable.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Turns messages into Kafka record values and CloudEvents binary-mode headers, and back. Reading
 * never throws: a record that is not a message of the contract reads as {@link NotRead} with the
 * reason.
 */
public final class MessageCodec {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          // Tolerant reader: a field added by a newer producer does not make a message unreadable.
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .build();

  private MessageCodec() {}

  /** The JSON mapper of the contract, for tests and tools that read payloads as trees. */
  public static ObjectMapper mapper() {
    return MAPPER.copy();
  }

  /** The record value of a message: its JSON. */
  public static byte[] payload(LifeboatMessage message) {
    try {
      return MAPPER.writeValueAsBytes(message);
    } catch (JsonProcessingException e) {
      // Every contract record is a plain record of serializable fields; this is a programming
      // error.
      throw new UncheckedIOException("cannot write " + message.getClass().getSimpleName(), e);
    }
  }

  /** The CloudEvents binary-mode headers of a message, in a stable order. */
  public static Map<String, String> headers(LifeboatMessage message, String source) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
    headers.put(CloudEventHeaders.ID, message.messageId());
    headers.put(CloudEventHeaders.TYPE, MessageTypes.typeOf(message.getClass()));
    headers.put(CloudEventHeaders.SOURCE, source);
    headers.put(CloudEventHeaders.TIME, message.occurredAt().toString());
    headers.put(CloudEventHeaders.SUBJECT, message.incidentId());
    headers.put(CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
    return headers;
  }

  /**
   * Reads a record that arrived on a topic: as {@link #read}, and {@code MISROUTED} when the topic
   * is not one of Lifeboat's or does not carry the message's family. Every consumer of Lifeboat's
   * topics reads through here, so a message on the wrong topic is a dead letter like any other.
   */
  public static ReadResult readFrom(
      String topicPrefix, String topic, Map<String, String> headers, byte[] payload) {
    ReadResult read = read(headers, payload);
    if (read instanceof Read ok) {
      try {
        Topic.carrying(topicPrefix, topic, ok.message());
      } catch (IllegalArgumentException misrouted) {
        return notRead(Reason.MISROUTED, misrouted.getMessage());
      }
    }
    return read;
  }

  /** Reads a record from its headers (name to UTF-8 text) and value. */
  public static ReadResult read(Map<String, String> headers, byte[] payload) {
    for (String required :
        new String[] {
          CloudEventHeaders.SPEC_VERSION,
          CloudEventHeaders.ID,
          CloudEventHeaders.TYPE,
          CloudEventHeaders.SOURCE,
          CloudEventHeaders.SUBJECT
        }) {
      String value = headers.get(required);
      if (value == null || value.isBlank()) {
        return notRead(Reason.MISSING_HEADER, "header " + required + " is missing");
      }
    }
    String type = headers.get(CloudEventHeaders.TYPE);
    Optional<Class<? extends LifeboatMessage>> messageClass = MessageTypes.classOf(type);
    if (messageClass.isEmpty()) {
      return notRead(
          Reason.UNKNOWN_TYPE, "ce_type " + type + " is not a message type of this contract");
    }
    if (payload == null || payload.length == 0) {
      return notRead(Reason.EMPTY_PAYLOAD, type + " has no payload");
    }
    LifeboatMessage message;
    try {
      message = MAPPER.readValue(payload, messageClass.get());
    } catch (StreamReadException e) {
      return notRead(Reason.MALFORMED_JSON, type + " payload is not JSON: " + firstLine(e));
    } catch (JsonMappingException e) {
      return notRead(Reason.INVALID_CONTENT, type + " " + describe(e));
    } catch (IOException e) {
      return notRead(Reason.MALFORMED_JSON, type + " payload cannot be read: " + e.getMessage());
    } catch (RuntimeException e) {
      // Whatever a record holds, reading it never throws: a poison record must not stop a consumer.
      return notRead(Reason.INVALID_CONTENT, type + " payload cannot be read: " + e);
    }
    if (message == null) {
      return notRead(Reason.INVALID_CONTENT, type + " payload is JSON null, not a message");
    }
    return matchesHeaders(message, headers)
        .<ReadResult>map(mismatch -> notRead(Reason.HEADER_MISMATCH, type + " " + mismatch))
        .orElse(new Read(message));
  }

  private static Optional<String> matchesHeaders(
      LifeboatMessage message, Map<String, String> headers) {
    if (!message.messageId().equals(headers.get(CloudEventHeaders.ID))) {
      return Optional.of("ce_id does not match messageId " + message.messageId());
    }
    if (!message.incidentId().equals(headers.get(CloudEventHeaders.SUBJECT))) {
      return Optional.of("ce_subject does not match incidentId " + message.incidentId());
    }
    String time = headers.get(CloudEventHeaders.TIME);
    if (time != null) {
      try {
        if (!Instant.parse(time).equals(message.occurredAt())) {
          return Optional.of("ce_time does not match occurredAt " + message.occurredAt());
        }
      } catch (DateTimeParseException e) {
        return Optional.of("ce_time is not an ISO-8601 instant: " + time);
      }
    }
    return Optional.empty();
  }

  private static String describe(JsonMappingException e) {
    String path =
        e.getPath().stream()
            .map(
                ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
            .collect(Collectors.joining("."))
            .replace(".[", "[");
    String problem =
        e instanceof ValueInstantiationException && e.getCause() != null
            ? e.getCause().getMessage()
            : firstLine(e);
    return path.isEmpty() ? "payload is invalid: " + problem : "field " + path + ": " + problem;
  }

  private static String firstLine(JacksonException e) {
    String message = e.getOriginalMessage();
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static ReadResult notRead(Reason reason, String detail) {
    return new NotRead(new Unreadable(reason, detail));
  }
}
