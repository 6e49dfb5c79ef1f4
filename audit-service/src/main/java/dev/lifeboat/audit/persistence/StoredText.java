package dev.lifeboat.audit.persistence;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What PostgreSQL's {@code text} and {@code jsonb} take: UTF-8 without the NUL character. Bytes
 * that are such text are stored as text; anything else is kept exactly, as base64, and shown with
 * its NULs written out.
 */
public final class StoredText {

  private StoredText() {}

  /** The bytes as text, if they are UTF-8 without NUL. */
  public static Optional<String> of(byte[] bytes) {
    if (bytes == null) {
      return Optional.empty();
    }
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      return text.indexOf('\0') >= 0 ? Optional.empty() : Optional.of(text);
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  /** Text to show and store in a text column: NULs written as {@code \u0000}. */
  public static String display(String text) {
    return text == null ? null : text.replace("\0", "\\u0000");
  }

  /** The bytes to show: decoded leniently, NULs written out. */
  public static String display(byte[] bytes) {
    return bytes == null ? null : display(new String(bytes, StandardCharsets.UTF_8));
  }

  /**
   * Headers as a JSON object for a {@code jsonb} column: a value that is text as a string, any
   * other as {@code {"base64": ...}} holding its bytes; names with their NULs written out.
   */
  public static Map<String, Object> headers(List<DeadRecord.Header> headers) {
    Map<String, Object> json = new LinkedHashMap<>();
    for (DeadRecord.Header header : headers) {
      Object value =
          header.value() == null
              ? null
              : of(header.value())
                  .<Object>map(text -> text)
                  .orElseGet(
                      () -> Map.of("base64", Base64.getEncoder().encodeToString(header.value())));
      json.put(display(header.name()), value);
    }
    return json;
  }

  /** Text headers for a {@code jsonb} column, with their NULs written out. */
  public static Map<String, String> textHeaders(Map<String, String> headers) {
    Map<String, String> json = new LinkedHashMap<>();
    headers.forEach((name, value) -> json.put(display(name), display(value)));
    return json;
  }
}
