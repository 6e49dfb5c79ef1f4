package dev.lifeboat.adapter.domain;

import java.time.Duration;
import java.util.Collection;
import java.util.TreeSet;

/**
 * When to ask next about the actions in flight. Every poll asks about all of them at once, so an
 * action that may wait (an attach: nothing else waits on it but its own pod) is asked about with
 * the next action that may not (a fence or a detach, which hold up the lost server's next action)
 * when that one is due within the slack, instead of in a poll of its own.
 */
public final class PollPlan {

  /**
   * An action waited on.
   *
   * @param askAt when it is due to be asked about (epoch millis)
   * @param mayWait whether its poll may be put off for another one within the slack
   */
  public record Waiting(long askAt, boolean mayWait) {}

  /** The longest slack allowed: longer would hold an attach's pod back for nothing. */
  public static final Duration LONGEST_SLACK = Duration.ofSeconds(30);

  private PollPlan() {}

  /**
   * The configured slack in millis.
   *
   * @throws IllegalStateException naming {@code lifeboat.hcloud.poll.attach-slack} when it is
   *     negative or longer than {@link #LONGEST_SLACK}
   */
  public static long slackMillis(Duration slack) {
    if (slack.isNegative() || slack.compareTo(LONGEST_SLACK) > 0) {
      throw new IllegalStateException(
          "lifeboat.hcloud.poll.attach-slack must be between 0s (never waits) and "
              + LONGEST_SLACK.toSeconds()
              + "s, not "
              + slack);
    }
    return slack.toMillis();
  }

  /**
   * The time of the next poll: the earliest time any action is due, where an action that may wait
   * counts as due at the first due time of an action that may not, if that comes within {@code
   * slackMillis} after its own.
   *
   * @return epoch millis, or {@link Long#MAX_VALUE} when nothing is waited on
   */
  public static long next(Collection<Waiting> waiting, long slackMillis) {
    TreeSet<Long> pressing = new TreeSet<>();
    for (Waiting w : waiting) {
      if (!w.mayWait()) {
        pressing.add(w.askAt());
      }
    }
    long next = pressing.isEmpty() ? Long.MAX_VALUE : pressing.first();
    for (Waiting w : waiting) {
      if (w.mayWait()) {
        Long along = pressing.ceiling(w.askAt());
        long due = along != null && along - w.askAt() <= slackMillis ? along : w.askAt();
        next = Math.min(next, due);
      }
    }
    return next;
  }
}
