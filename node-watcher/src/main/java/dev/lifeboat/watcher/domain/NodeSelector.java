package dev.lifeboat.watcher.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which nodes the watcher ignores: those with any of the given labels or annotations (with the
 * given value, or any value when none is given), such as control-plane nodes.
 *
 * @param labels label keys, with a required value or null for any
 * @param annotations annotation keys, with a required value or null for any
 */
public record NodeSelector(Map<String, String> labels, Map<String, String> annotations) {

  /** Parses {@code key} or {@code key=value} items separated by commas. */
  public static Map<String, String> parse(String spec, String configKey) {
    Map<String, String> parsed = new LinkedHashMap<>();
    for (String item : spec.split(",")) {
      String trimmed = item.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      int eq = trimmed.indexOf('=');
      if (eq == 0) {
        throw new IllegalArgumentException(
            "invalid configuration: " + configKey + " has an item without key: '" + item + "'");
      }
      parsed.put(
          eq < 0 ? trimmed : trimmed.substring(0, eq), eq < 0 ? null : trimmed.substring(eq + 1));
    }
    return parsed;
  }

  /** True when the node is excluded. */
  public boolean excludes(NodeFacts node) {
    return matches(labels, node.labels()) || matches(annotations, node.annotations());
  }

  private static boolean matches(Map<String, String> wanted, Map<String, String> present) {
    for (Map.Entry<String, String> entry : wanted.entrySet()) {
      String value = present.get(entry.getKey());
      if (value != null && (entry.getValue() == null || entry.getValue().equals(value))) {
        return true;
      }
    }
    return false;
  }
}
