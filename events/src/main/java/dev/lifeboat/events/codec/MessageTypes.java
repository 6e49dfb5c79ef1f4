package dev.lifeboat.events.codec;

import dev.lifeboat.events.EventType;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.Topic;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every message type of the contract, found from the sealed family of each {@link Topic}: adding a
 * record to a family registers it.
 */
public final class MessageTypes {

  private static final Map<String, Class<? extends LifeboatMessage>> BY_TYPE = scan();

  private MessageTypes() {}

  /** All CloudEvents types, such as {@code lifeboat.node.gone.v1}. */
  public static Set<String> all() {
    return BY_TYPE.keySet();
  }

  /** The record class of a CloudEvents type, if the contract has it. */
  public static Optional<Class<? extends LifeboatMessage>> classOf(String ceType) {
    return Optional.ofNullable(BY_TYPE.get(ceType));
  }

  /**
   * The record classes of a family (a topic's sealed interface), in the order they are declared.
   */
  public static List<Class<? extends LifeboatMessage>> ofFamily(
      Class<? extends LifeboatMessage> family) {
    return BY_TYPE.values().stream().filter(family::isAssignableFrom).toList();
  }

  /** The CloudEvents type of a message class, such as {@code lifeboat.node.gone.v1}. */
  public static String typeOf(Class<? extends LifeboatMessage> messageClass) {
    EventType type = messageClass.getAnnotation(EventType.class);
    if (type == null) {
      throw new IllegalArgumentException(
          messageClass.getName() + " has no @EventType: it is not a message of the contract");
    }
    return type.name() + ".v" + type.version();
  }

  private static Map<String, Class<? extends LifeboatMessage>> scan() {
    Map<String, Class<? extends LifeboatMessage>> types = new LinkedHashMap<>();
    for (Topic topic : Topic.values()) {
      topic.family().ifPresent(family -> collect(family, types));
    }
    return Collections.unmodifiableMap(types);
  }

  @SuppressWarnings("unchecked") // permitted subclasses of a LifeboatMessage family are messages
  private static void collect(
      Class<? extends LifeboatMessage> family, Map<String, Class<? extends LifeboatMessage>> out) {
    for (Class<?> permitted : family.getPermittedSubclasses()) {
      Class<? extends LifeboatMessage> messageClass = (Class<? extends LifeboatMessage>) permitted;
      if (permitted.isInterface()) {
        collect(messageClass, out);
        continue;
      }
      Class<?> previous = out.put(typeOf(messageClass), messageClass);
      if (previous != null) {
        throw new IllegalStateException(
            "two records claim " + typeOf(messageClass) + ": " + previous + ", " + permitted);
      }
    }
  }
}
