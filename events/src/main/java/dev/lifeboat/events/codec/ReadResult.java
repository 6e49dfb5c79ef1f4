package dev.lifeboat.events.codec;

import dev.lifeboat.events.LifeboatMessage;

/** The outcome of reading a record: a message of the contract, or why it is not one. */
public sealed interface ReadResult {

  /** The record is a message. */
  record Read(LifeboatMessage message) implements ReadResult {}

  /** The record is not a message. */
  record NotRead(Unreadable unreadable) implements ReadResult {}

  /** The message, or an {@link UnreadableMessageException} with the reason. */
  default LifeboatMessage orThrow() {
    if (this instanceof Read read) {
      return read.message();
    }
    throw new UnreadableMessageException(((NotRead) this).unreadable());
  }
}
