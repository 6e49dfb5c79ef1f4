package dev.lifeboat.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.SampleMessages;
import dev.lifeboat.events.codec.MessageCodec;
import dev.lifeboat.events.inventory.InventoryReport;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Messages for tests: the contract's sample of a type, made unique (new message id, incident id and
 * command id) so that tests sharing a broker never see each other's records.
 */
public final class TestMessages {

  private static final ObjectMapper JSON = MessageCodec.mapper();

  private TestMessages() {}

  /** A unique copy of the sample of this message type. */
  public static <T extends LifeboatMessage> T fresh(Class<T> type) {
    T sample =
        SampleMessages.all().stream()
            .filter(type::isInstance)
            .map(type::cast)
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no sample of " + type));
    ObjectNode tree = JSON.valueToTree(sample);
    tree.put("messageId", MessageIds.random());
    if (!(sample instanceof InventoryReport)) {
      tree.put("incidentId", "test-" + MessageIds.random()); // an inventory's key is its node
    }
    if (tree.has("commandId")) {
      tree.put("commandId", MessageIds.random());
    }
    try {
      return JSON.treeToValue(tree, type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the sample of " + type, e);
    }
  }
}
