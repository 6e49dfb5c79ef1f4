package dev.lifeboat.audit.persistence;

import java.util.Map;

/**
 * A record as read from a topic, before it is known to be a message of the contract.
 *
 * @param topic its topic
 * @param partition its partition
 * @param offset its offset
 * @param key its key
 * @param headers its headers as text (last value of each)
 * @param value its value
 */
public record RawRecord(
    String topic,
    int partition,
    long offset,
    String key,
    Map<String, String> headers,
    byte[] value) {}
