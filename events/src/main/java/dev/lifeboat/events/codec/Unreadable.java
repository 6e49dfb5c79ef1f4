package dev.lifeboat.events.codec;

/**
 * Why a record could not be read as a message of the contract.
 *
 * @param reason the kind of problem
 * @param detail what exactly is wrong, naming the header or field
 */
public record Unreadable(Reason reason, String detail) {

  /** The kinds of unreadable records. */
  public enum Reason {
    /** A CloudEvents header the contract requires is absent or empty. */
    MISSING_HEADER,
    /** {@code ce_type} names no message type of the contract (or an unsupported version). */
    UNKNOWN_TYPE,
    /** The record has no value. */
    EMPTY_PAYLOAD,
    /** The value is not JSON. */
    MALFORMED_JSON,
    /** The JSON does not fit the type: a field is missing, of the wrong kind or invalid. */
    INVALID_CONTENT,
    /** A header disagrees with the payload ({@code ce_id} vs messageId, ...). */
    HEADER_MISMATCH,
    /** A message of the contract on a topic that does not carry its family. */
    MISROUTED
  }

  /** One line for logs and the dead-letter header: {@code INVALID_CONTENT: node is required}. */
  public String describe() {
    return reason + ": " + detail;
  }
}
