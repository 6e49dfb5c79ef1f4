package dev.lifeboat.events.node;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a planned removal does with the node's server once no volume is attached to it. */
public enum ServerDisposal {
  /** Delete the server, then the Node object. */
  DELETE,
  /** Power the server off and keep it (and its Node object, cordoned). */
  POWEROFF,
  /** Leave the server running, empty and cordoned. */
  KEEP;

  /** The word people write for it: {@code delete}, {@code poweroff} or {@code keep}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The disposal a word names, ignoring case and surrounding blanks; empty for any other word. */
  public static Optional<ServerDisposal> of(String word) {
    if (word == null) {
      return Optional.empty();
    }
    String wanted = word.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(value -> value.word().equals(wanted)).findFirst();
  }

  /** The words allowed, for messages: {@code delete, poweroff, keep}. */
  public static String words() {
    return Arrays.stream(values()).map(ServerDisposal::word).collect(Collectors.joining(", "));
  }
}
