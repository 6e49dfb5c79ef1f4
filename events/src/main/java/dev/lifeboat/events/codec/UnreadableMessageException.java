package dev.lifeboat.events.codec;

/**
 * Thrown by the Kafka deserializer for a record that is not a message of the contract, so the
 * consumer's failure strategy can send it to the dead-letter topic with {@link #unreadable()}'s
 * reason.
 */
public class UnreadableMessageException extends RuntimeException {

  private final transient Unreadable unreadable;

  public UnreadableMessageException(Unreadable unreadable) {
    super(unreadable.describe());
    this.unreadable = unreadable;
  }

  /** What is wrong with the record. */
  public Unreadable unreadable() {
    return unreadable;
  }
}
