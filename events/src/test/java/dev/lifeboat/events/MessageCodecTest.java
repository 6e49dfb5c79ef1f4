package dev.lifeboat.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeboat.events.cluster.AwaitPodReady;
import dev.lifeboat.events.cluster.DeleteVolumeAttachments;
import dev.lifeboat.events.cluster.ForceDeletePods;
import dev.lifeboat.events.codec.CloudEventHeaders;
import dev.lifeboat.events.codec.MessageCodec;
import dev.lifeboat.events.codec.ReadResult;
import dev.lifeboat.events.codec.Unreadable;
import dev.lifeboat.events.codec.Unreadable.Reason;
import dev.lifeboat.events.codec.UnreadableMessageException;
import dev.lifeboat.events.hcloud.DetachVolume;
import dev.lifeboat.events.hcloud.HcloudCommandAlreadyDone;
import dev.lifeboat.events.kafka.LifeboatMessageDeserializer;
import dev.lifeboat.events.kafka.LifeboatMessageSerializer;
import dev.lifeboat.events.node.NodeGone;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

  private static final ObjectMapper JSON = MessageCodec.mapper();
  private final NodeGone gone = sample(NodeGone.class);

  @Test
  void messageSurvivesWriteAndRead() {
    ReadResult result =
        MessageCodec.read(MessageCodec.headers(gone, "/test"), MessageCodec.payload(gone));

    assertThat(result).isEqualTo(new ReadResult.Read(gone));
  }

  @Test
  void fieldsAddedWithinVersionOneSurviveWriteAndRead() {
    NodeGone labelled =
        new NodeGone(
            gone.messageId(),
            gone.incidentId(),
            gone.occurredAt(),
            gone.node(),
            gone.reason(),
            gone.volumes(),
            gone.eligibleNodes(),
            Map.of("lifeboat.dev/pool", "autoscaled"),
            6);
    HcloudCommandAlreadyDone deleted =
        new HcloudCommandAlreadyDone(
            "m-1",
            gone.incidentId(),
            gone.occurredAt(),
            "c-1",
            "server 4211 no longer exists",
            true);

    ForceDeletePods withDeadline =
        new ForceDeletePods(
            "m-2",
            gone.incidentId(),
            gone.occurredAt(),
            "c-2",
            "worker-2",
            List.of(),
            gone.occurredAt().plusSeconds(30));
    DeleteVolumeAttachments podsFirst =
        new DeleteVolumeAttachments(
            "m-4",
            gone.incidentId(),
            gone.occurredAt(),
            "c-4",
            "worker-2",
            List.of("pvc-3f1d2c4b"),
            List.of(SampleMessages.POD),
            gone.occurredAt().plusSeconds(30));

    AwaitPodReady touchFirst =
        new AwaitPodReady(
            "m-6",
            gone.incidentId(),
            gone.occurredAt(),
            "c-6",
            100123,
            SampleMessages.POD,
            "worker-3",
            Duration.ofMinutes(2),
            "pvc-3f1d2c4b",
            null);

    for (LifeboatMessage message :
        new LifeboatMessage[] {labelled, deleted, withDeadline, podsFirst, touchFirst}) {
      assertThat(
              MessageCodec.read(
                  MessageCodec.headers(message, "/test"), MessageCodec.payload(message)))
          .isEqualTo(new ReadResult.Read(message));
    }
    assertThat(new String(MessageCodec.payload(gone), StandardCharsets.UTF_8))
        .as("an unknown node's labels and count are left out, as version 1 first wrote it")
        .doesNotContain("nodeLabels")
        .doesNotContain("knownNodes");
    assertThat(
            new String(
                MessageCodec.payload(
                    new ForceDeletePods(
                        "m-3", gone.incidentId(), gone.occurredAt(), "c-3", "w", List.of())),
                StandardCharsets.UTF_8))
        .as("a command without a deadline is written as version 1 first wrote it")
        .doesNotContain("notAfter");
    assertThat(new String(MessageCodec.payload(podsFirst), StandardCharsets.UTF_8))
        .contains("\"forceDeleteFirst\"")
        .contains("postgres-0");
    assertThat(
            new String(
                MessageCodec.payload(
                    new DeleteVolumeAttachments(
                        "m-5", gone.incidentId(), gone.occurredAt(), "c-5", "w", List.of("pv"))),
                StandardCharsets.UTF_8))
        .as("a release with no pod to delete first is written as version 1 first wrote it")
        .doesNotContain("forceDeleteFirst");
    assertThat(new String(MessageCodec.payload(touchFirst), StandardCharsets.UTF_8))
        .contains("\"requeueFirst\":\"pvc-3f1d2c4b\"");
    assertThat(
            new String(
                MessageCodec.payload(
                    new AwaitPodReady(
                        "m-7",
                        gone.incidentId(),
                        gone.occurredAt(),
                        "c-7",
                        100123,
                        SampleMessages.POD,
                        "worker-3",
                        Duration.ofMinutes(2))),
                StandardCharsets.UTF_8))
        .as("a wait with nothing to touch first is written as version 1 first wrote it")
        .doesNotContain("requeueFirst");
  }

  @Test
  void headersCarryTheCloudEventsAttributes() {
    Map<String, String> headers = MessageCodec.headers(gone, "/lifeboat/node-watcher");

    assertThat(headers)
        .containsEntry("ce_specversion", "1.0")
        .containsEntry("ce_id", gone.messageId())
        .containsEntry("ce_type", "lifeboat.node.gone.v1")
        .containsEntry("ce_source", "/lifeboat/node-watcher")
        .containsEntry("ce_time", "2026-11-26T03:00:00.250Z")
        .containsEntry("ce_subject", gone.incidentId())
        .containsEntry("content-type", "application/json");
  }

  @Test
  void missingTypeHeaderIsUnreadableNamingTheHeader() {
    Map<String, String> headers = headersOf(gone);
    headers.remove(CloudEventHeaders.TYPE);

    assertThat(unreadable(headers, MessageCodec.payload(gone)))
        .isEqualTo(new Unreadable(Reason.MISSING_HEADER, "header ce_type is missing"));
  }

  @Test
  void unknownTypeIsUnreadable() {
    Map<String, String> headers = headersOf(gone);
    headers.put(CloudEventHeaders.TYPE, "lifeboat.node.gone.v9");

    Unreadable unreadable = unreadable(headers, MessageCodec.payload(gone));

    assertThat(unreadable.reason()).isEqualTo(Reason.UNKNOWN_TYPE);
    assertThat(unreadable.detail()).contains("lifeboat.node.gone.v9");
  }

  @Test
  void emptyPayloadIsUnreadable() {
    assertThat(unreadable(headersOf(gone), new byte[0]).reason()).isEqualTo(Reason.EMPTY_PAYLOAD);
  }

  /**
   * JSON {@code null} is JSON, but no message: before, reading it returned nothing and the header
   * check then threw, so a consumer that read it stalled on it (found by the flood of junk).
   */
  @Test
  void jsonNullIsUnreadableAndReadingItDoesNotThrow() {
    byte[] nothing = "null".getBytes(StandardCharsets.UTF_8);

    Unreadable unreadable = unreadable(headersOf(gone), nothing);

    assertThat(unreadable.reason()).isEqualTo(Reason.INVALID_CONTENT);
    assertThat(unreadable.detail()).contains("JSON null");
  }

  @Test
  void nestingDeeperThanTheParserFollowsIsMalformedNotAStackOverflow() {
    byte[] deep = ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8);

    assertThat(unreadable(headersOf(gone), deep).reason())
        .isIn(Reason.MALFORMED_JSON, Reason.INVALID_CONTENT);
  }

  @Test
  void textThatIsNotJsonIsMalformed() {
    byte[] garbage = "{\"messageId\": oops".getBytes(StandardCharsets.UTF_8);

    assertThat(unreadable(headersOf(gone), garbage).reason()).isEqualTo(Reason.MALFORMED_JSON);
  }

  @Test
  void missingRequiredFieldIsNamed() throws Exception {
    ObjectNode payload = (ObjectNode) JSON.readTree(MessageCodec.payload(gone));
    payload.remove("node");

    Unreadable unreadable = unreadable(headersOf(gone), JSON.writeValueAsBytes(payload));

    assertThat(unreadable.reason()).isEqualTo(Reason.INVALID_CONTENT);
    assertThat(unreadable.detail()).contains("node is required");
  }

  @Test
  void invalidNestedFieldIsNamedWithItsPath() throws Exception {
    ObjectNode payload = (ObjectNode) JSON.readTree(MessageCodec.payload(gone));
    ((ObjectNode) payload.withArray("volumes").get(0)).put("volumeId", "not-a-number");

    Unreadable unreadable = unreadable(headersOf(gone), JSON.writeValueAsBytes(payload));

    assertThat(unreadable.reason()).isEqualTo(Reason.INVALID_CONTENT);
    assertThat(unreadable.detail()).contains("field volumes[0].volumeId");
  }

  @Test
  void unknownEnumValueIsInvalidContent() throws Exception {
    ObjectNode payload = (ObjectNode) JSON.readTree(MessageCodec.payload(gone));
    payload.put("reason", "COSMIC_RAY");

    Unreadable unreadable = unreadable(headersOf(gone), JSON.writeValueAsBytes(payload));

    assertThat(unreadable.reason()).isEqualTo(Reason.INVALID_CONTENT);
    assertThat(unreadable.detail()).contains("field reason").contains("COSMIC_RAY");
  }

  @Test
  void fieldAddedByANewerProducerIsIgnored() throws Exception {
    ObjectNode payload = (ObjectNode) JSON.readTree(MessageCodec.payload(gone));
    payload.put("addedLater", true);

    assertThat(MessageCodec.read(headersOf(gone), JSON.writeValueAsBytes(payload)).orThrow())
        .isEqualTo(gone);
  }

  @Test
  void subjectThatDisagreesWithThePayloadIsAMismatch() {
    Map<String, String> headers = headersOf(gone);
    headers.put(CloudEventHeaders.SUBJECT, "another-incident");

    assertThat(unreadable(headers, MessageCodec.payload(gone)).reason())
        .isEqualTo(Reason.HEADER_MISMATCH);
  }

  @Test
  void nonPositiveHetznerIdIsInvalidContent() throws Exception {
    DetachVolume detach = sample(DetachVolume.class);
    ObjectNode payload = (ObjectNode) JSON.readTree(MessageCodec.payload(detach));
    payload.put("volumeId", 0);

    Unreadable unreadable = unreadable(headersOf(detach), JSON.writeValueAsBytes(payload));

    assertThat(unreadable.detail()).contains("volumeId must be a positive Hetzner id, was 0");
  }

  @Test
  void kafkaSerdeSetsHeadersAndReadsThemBack() {
    LifeboatMessageSerializer serializer = new LifeboatMessageSerializer();
    serializer.configure(Map.of(LifeboatMessageSerializer.SOURCE_CONFIG, "/lifeboat/test"), false);
    RecordHeaders headers = new RecordHeaders();

    byte[] value = serializer.serialize("lifeboat.node-events", headers, gone);

    assertThat(new String(headers.lastHeader("ce_source").value(), StandardCharsets.UTF_8))
        .isEqualTo("/lifeboat/test");
    assertThat(
            new LifeboatMessageDeserializer().deserialize("lifeboat.node-events", headers, value))
        .isEqualTo(gone);
  }

  @Test
  void kafkaDeserializerRaisesTheTypedErrorForUnreadableRecords() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("ce_type", "lifeboat.node.gone.v1".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(
            () -> new LifeboatMessageDeserializer().deserialize("t", headers, new byte[] {1, 2}))
        .isInstanceOfSatisfying(
            UnreadableMessageException.class,
            e -> assertThat(e.unreadable().reason()).isEqualTo(Reason.MISSING_HEADER))
        .hasMessage("MISSING_HEADER: header ce_specversion is missing");
  }

  @Test
  void kafkaDeserializerRefusesAMessageOnATopicThatDoesNotCarryItsFamily() {
    NodeGone gone = sample(NodeGone.class);
    RecordHeaders headers = new RecordHeaders();
    MessageCodec.headers(gone, "/test")
        .forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
    byte[] value = MessageCodec.payload(gone);
    LifeboatMessageDeserializer staging = new LifeboatMessageDeserializer();
    staging.configure(Map.of(LifeboatMessageDeserializer.TOPIC_PREFIX, "staging."), false);

    assertThatThrownBy(
            () ->
                new LifeboatMessageDeserializer()
                    .deserialize("lifeboat.hcloud-commands", headers, value))
        .isInstanceOfSatisfying(
            UnreadableMessageException.class,
            e -> assertThat(e.unreadable().reason()).isEqualTo(Reason.MISROUTED))
        .hasMessage("MISROUTED: NodeGone does not belong on hcloud-commands");
    assertThatThrownBy(() -> staging.deserialize("lifeboat.node-events", headers, value))
        .hasMessage("MISROUTED: lifeboat.node-events is not a Lifeboat topic");
    assertThat(staging.deserialize("staging.node-events", headers, value)).isEqualTo(gone);
  }

  private static Map<String, String> headersOf(LifeboatMessage message) {
    return new HashMap<>(MessageCodec.headers(message, "/test"));
  }

  private static Unreadable unreadable(Map<String, String> headers, byte[] payload) {
    ReadResult result = MessageCodec.read(headers, payload);
    assertThat(result).isInstanceOf(ReadResult.NotRead.class);
    return ((ReadResult.NotRead) result).unreadable();
  }

  private static <T extends LifeboatMessage> T sample(Class<T> type) {
    return SampleMessages.all().stream()
        .filter(type::isInstance)
        .map(type::cast)
        .findFirst()
        .orElseThrow();
  }
}
