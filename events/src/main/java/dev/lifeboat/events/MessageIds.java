package dev.lifeboat.events;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Ways to make message and command ids. */
public final class MessageIds {

  private MessageIds() {}

  /** A new random id, for facts observed once. */
  public static String random() {
    return UUID.randomUUID().toString();
  }

  /**
   * An id that is the same every time for the same parts, for messages a deterministic process (the
   * saga) emits again after a restart: {@code derived(incidentId, "fence", "1")}.
   */
  public static String derived(String... parts) {
    return UUID.nameUUIDFromBytes(String.join("\u001f", parts).getBytes(StandardCharsets.UTF_8))
        .toString();
  }
}
