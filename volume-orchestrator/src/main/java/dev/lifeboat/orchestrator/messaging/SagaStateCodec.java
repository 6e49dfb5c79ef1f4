package dev.lifeboat.orchestrator.messaging;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.events.codec.MessageCodec;
import dev.lifeboat.orchestrator.domain.IncidentState;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The stored form of a saga's state: JSON of its fields, with the contract's own value types
 * (nodes, volumes, pods) written as they are on the topics.
 */
public final class SagaStateCodec {

  private static final ObjectMapper JSON =
      MessageCodec.mapper()
          .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
          .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
          .setVisibility(PropertyAccessor.CREATOR, JsonAutoDetect.Visibility.ANY);

  private SagaStateCodec() {}

  /** The state as JSON bytes. */
  public static byte[] write(IncidentState state) {
    try {
      return JSON.writeValueAsBytes(state);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("saga state cannot be written", e);
    }
  }

  /** The state read from JSON bytes. */
  public static IncidentState read(byte[] bytes) {
    try {
      return JSON.readValue(bytes, IncidentState.class);
    } catch (IOException e) {
      throw new UncheckedIOException("stored saga state cannot be read", e);
    }
  }

  /** A Kafka serde of the state, for the state store. */
  public static Serde<IncidentState> serde() {
    Serializer<IncidentState> serializer = (topic, state) -> state == null ? null : write(state);
    Deserializer<IncidentState> deserializer = (topic, bytes) -> bytes == null ? null : read(bytes);
    return Serdes.serdeFrom(serializer, deserializer);
  }
}
