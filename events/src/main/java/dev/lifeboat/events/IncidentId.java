package dev.lifeboat.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The incident id rule: one incident per loss of a Node object, derived from its name, its UID and
 * the moment its silence began (the last renewal of its Lease, or when it stopped being Ready), so
 * that a repeated detection, a restarted watcher or a new leader all name the same incident, while
 * a node lost again after it came back gets a new one.
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

  /**
   * The incident id of one loss of the node: as {@link #forNode}, with the moment the loss began in
   * the hash; without that moment (a Node deleted with no Lease known), {@link #forNode}.
   */
  public static String forLoss(String nodeName, String nodeUid, Instant lossBegan) {
    if (lossBegan == null) {
      return forNode(nodeName, nodeUid);
    }
    String node = forNode(nodeName, nodeUid);
    String readable = node.substring(0, node.length() - HASH_CHARS - 1);
    return readable
        + "-"
        + sha256Hex(nodeName + "/" + nodeUid + "/" + lossBegan.toEpochMilli())
            .substring(0, HASH_CHARS);
  }

  /**
   * The id of the planned removal of the node with this name and UID: {@code removal-}, the name
   * (shortened to 63 characters) and 12 hex characters of a hash of name, UID and the word {@code
   * removal}. One per Node object, so the annotation seen again after a restart, and the API asked
   * twice, name the same removal; a removal asked for again after it was cancelled or stopped
   * continues under the same id.
   */
  public static String forRemoval(String nodeName, String nodeUid) {
    String node = forNode(nodeName, nodeUid);
    String readable = node.substring(0, node.length() - HASH_CHARS - 1);
    return "removal-"
        + readable
        + "-"
        + sha256Hex(nodeName + "/" + nodeUid + "/removal").substring(0, HASH_CHARS);
  }

  /**
   * The id of the saga that repairs a doctor's finding: {@code repair-} and 12 hex characters of a
   * hash of the repair's id, so that the repair answered twice (a new owner of the doctor after a
   * crash) opens one saga.
   */
  public static String forRepair(String repairId) {
    Require.text(repairId, "repairId");
    return "repair-" + sha256Hex("repair/" + repairId).substring(0, HASH_CHARS);
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
