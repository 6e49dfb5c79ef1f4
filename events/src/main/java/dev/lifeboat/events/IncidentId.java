package dev.lifeboat.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The incident id rule: one incident per Node object, derived from its name and UID, so that a
 * repeated detection, a restarted watcher or a second replica all name the same incident.
 */
public final class IncidentId {

  private static final int HASH_CHARS = 12;
  private static final int MAX_NAME_CHARS = 63;

  private IncidentId() {}

  /**
   * The incident id of the loss of the node with this name and UID: the name (shortened to 63
   * characters) and 12 hex characters of the SHA-256 of {@code name/uid}. The name keeps it
   * readable; the hash keeps a node re-created under the same name apart.
   */
  public static String forNode(String nodeName, String nodeUid) {
    Require.text(nodeName, "nodeName");
    Require.text(nodeUid, "nodeUid");
    String readable = nodeName.toLowerCase(Locale.ROOT);
    if (readable.length() > MAX_NAME_CHARS) {
      readable = readable.substring(0, MAX_NAME_CHARS);
    }
    return readable + "-" + sha256Hex(nodeName + "/" + nodeUid).substring(0, HASH_CHARS);
  }

  private static String sha256Hex(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      // Every Java runtime must provide SHA-256 (java.security.MessageDigest Javadoc).
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }
}
