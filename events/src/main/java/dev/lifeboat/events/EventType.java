package dev.lifeboat.events;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The CloudEvents type of a message record: {@code name} plus a version suffix, as in {@code
 * lifeboat.node.gone.v1}. A change that old readers cannot follow gets a new version.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface EventType {

  /** The type without its version, such as {@code lifeboat.node.gone}. */
  String name();

  /** The schema version of the payload. */
  int version();
}
