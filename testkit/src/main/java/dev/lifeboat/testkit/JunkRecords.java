package dev.lifeboat.testkit;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.codec.CloudEventHeaders;
import dev.lifeboat.events.codec.MessageCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Records no Lifeboat service can read, as a broken or hostile producer sends them (kcat, a bug, a
 * tool on the wrong topic): made from a seed, so that a flood can be sent again as it was. Most
 * carry the CloudEvents headers of a message the consumer accepts, each with an id of its own, so
 * that they reach the payload's parser; the rest have no headers or a type nobody knows.
 */
public final class JunkRecords {

  /** What is wrong with a record. */
  public enum Kind {
    /** Control characters, NUL among them, raw inside a JSON string (JSON forbids them). */
    NUL_BYTES,
    /** Random bytes. */
    RANDOM_BYTES,
    /** A message's JSON cut short. */
    TRUNCATED_JSON,
    /** Valid JSON of the wrong shape (an array, a number, an object without the fields). */
    WRONG_SHAPE,
    /** Nothing at all: zero bytes. */
    EMPTY,
    /** Bytes that are not UTF-8. */
    INVALID_UTF8,
    /** Arrays nested deeper than any parser should follow. */
    DEEP_NESTING,
    /** 200 kB of text in a field that never ends. */
    HUGE_FIELD,
    /** A message's JSON without any CloudEvents header. */
    NO_HEADERS,
    /** A message's JSON whose type header names no Lifeboat type. */
    UNKNOWN_TYPE
  }

  /**
   * One junk record.
   *
   * @param kind what is wrong with it
   * @param headers its headers (text values)
   * @param value its bytes
   */
  public record Junk(Kind kind, Map<String, String> headers, byte[] value) {}

  private JunkRecords() {}

  /**
   * {@code count} junk records of every kind in turn, shaped after a message the consumer accepts.
   *
   * @param template a message of a type the consumer reads
   * @param count how many
   * @param seed the seed of the random parts
   */
  public static List<Junk> flood(LifeboatMessage template, int count, long seed) {
    Random random = new Random(seed);
    Map<String, String> headers = MessageCodec.headers(template, "/lifeboat/junk");
    String json = new String(MessageCodec.payload(template), StandardCharsets.UTF_8);
    Kind[] kinds = Kind.values();
    List<Junk> junk = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Kind kind = kinds[i % kinds.length];
      Map<String, String> own = new HashMap<>(headers);
      own.put(CloudEventHeaders.ID, "junk-" + seed + "-" + i);
      junk.add(
          switch (kind) {
            case NUL_BYTES ->
                new Junk(
                    kind,
                    own,
                    ("{\"messageId\":\"a\u0000b\u0001c\",\"n\":" + i + "}")
                        .getBytes(StandardCharsets.UTF_8));
            case RANDOM_BYTES -> new Junk(kind, own, randomBytes(random, 1 + random.nextInt(300)));
            case TRUNCATED_JSON ->
                new Junk(
                    kind,
                    own,
                    json.substring(0, 1 + random.nextInt(json.length() - 1))
                        .getBytes(StandardCharsets.UTF_8));
            case WRONG_SHAPE ->
                new Junk(
                    kind,
                    own,
                    List.of("[]", "42", "\"text\"", "{}", "{\"messageId\":" + i + "}", "null")
                        .get(random.nextInt(6))
                        .getBytes(StandardCharsets.UTF_8));
            case EMPTY -> new Junk(kind, own, new byte[0]);
            case INVALID_UTF8 ->
                new Junk(kind, own, new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
            case DEEP_NESTING ->
                new Junk(
                    kind,
                    own,
                    ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8));
            case HUGE_FIELD ->
                new Junk(
                    kind,
                    own,
                    ("{\"messageId\":\"" + "x".repeat(200_000)).getBytes(StandardCharsets.UTF_8));
            case NO_HEADERS ->
                // A newline after the JSON tells its bytes apart from UNKNOWN_TYPE's.
                new Junk(kind, Map.of(), (json + "\n").getBytes(StandardCharsets.UTF_8));
            case UNKNOWN_TYPE -> {
              own.put(CloudEventHeaders.TYPE, "dev.lifeboat.nothing.v" + i);
              yield new Junk(kind, own, json.getBytes(StandardCharsets.UTF_8));
            }
          });
    }
    return junk;
  }

  private static byte[] randomBytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }
}
