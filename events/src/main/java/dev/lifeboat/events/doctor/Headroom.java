package dev.lifeboat.events.doctor;

/**
 * The project's rate budget against what the biggest node's loss would cost.
 *
 * @param limit requests an hour; null when no answer has told yet
 * @param remaining requests left at the last answer; null when no answer has told yet
 * @param biggestNode the node holding the most Hetzner volumes; null in a cluster without any
 * @param volumes how many it holds
 * @param needed the requests moving them would take, at most
 */
public record Headroom(
    Integer limit, Integer remaining, String biggestNode, int volumes, int needed) {}
