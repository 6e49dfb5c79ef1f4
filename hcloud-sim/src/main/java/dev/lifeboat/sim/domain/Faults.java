package dev.lifeboat.sim.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** Injected failures: error answers and latency per endpoint, and actions that end in error. */
public final class Faults {

  /**
   * Answers to requests of an endpoint.
   *
   * @param endpoint {@code METHOD /path} with {@code {id}} for ids, such as {@code POST
   *     /volumes/{id}/actions/attach}, or {@code *} for every endpoint
   * @param code the error code to answer with, or null for latency only
   * @param rate the share of matching requests that get the error (0 to 1)
   * @param latencyMs milliseconds added to every matching request before it is carried out
   * @param answerLatencyMs milliseconds added to every matching request after it is carried out:
   *     its answer tells how the world was that long before it arrives
   * @param times how many errors (or, for a rule without a code, slow answers) to give before the
   *     rule is spent; null for no end
   * @param loseAnswer whether the request is carried out first and only its answer is lost: the
   *     client gets a 504 without the API's JSON, as from a proxy that gave up, although the action
   *     started (with {@code code} unset; {@code rate} and {@code times} count lost answers)
   */
  public record Rule(
      String endpoint,
      String code,
      double rate,
      long latencyMs,
      long answerLatencyMs,
      Integer times,
      boolean loseAnswer) {
    public Rule {
      if (loseAnswer && code != null) {
        throw ApiError.invalidInput(
            "lose_answer", "cannot be combined with code: the request either fails or is lost");
      }
      if (endpoint == null || endpoint.isBlank()) {
        throw ApiError.invalidInput("endpoint", "is required (METHOD /path, or *)");
      }
      if (code != null && ErrorCode.of(code).isEmpty()) {
        throw ApiError.invalidInput("code", "unknown error code '" + code + "'");
      }
      if (rate < 0 || rate > 1) {
        throw ApiError.invalidInput("rate", "must be between 0 and 1");
      }
      if (latencyMs < 0) {
        throw ApiError.invalidInput("latency_ms", "must not be negative");
      }
      if (answerLatencyMs < 0) {
        throw ApiError.invalidInput("answer_latency_ms", "must not be negative");
      }
    }

    boolean matches(String requestEndpoint) {
      return endpoint.equals("*") || endpoint.equals(requestEndpoint);
    }
  }

  /**
   * Actions of a command that end in {@code error}.
   *
   * @param command the action command, such as {@code attach_volume}
   * @param code the action's error code (default {@code action_failed})
   * @param message the action's error message
   * @param times how many actions fail; null for every one
   */
  public record ActionFailure(String command, String code, String message, Integer times) {
    public ActionFailure {
      if (!Settings.COMMANDS.contains(command)) {
        throw ApiError.invalidInput("command", "must be one of " + Settings.COMMANDS);
      }
      code = code == null ? "action_failed" : code;
      message = message == null ? "action failed (injected by hcloud-sim)" : message;
    }
  }

  /**
   * What to do with one request.
   *
   * @param latencyMs wait this long before carrying it out
   * @param answerLatencyMs hold its answer this long after carrying it out
   * @param loseAnswer carry the request out, then answer 504 without the result
   */
  public record Decision(
      long latencyMs, long answerLatencyMs, Optional<ErrorCode> error, boolean loseAnswer) {}

  private final List<Rule> rules = new ArrayList<>();
  private final List<Integer> ruleErrorsLeft = new ArrayList<>();
  private final List<ActionFailure> actionFailures = new ArrayList<>();
  private final List<Integer> actionFailuresLeft = new ArrayList<>();

  /** Replaces every rule and action failure. */
  public synchronized void set(List<Rule> newRules, List<ActionFailure> newActionFailures) {
    clear();
    for (Rule rule : newRules) {
      rules.add(rule);
      ruleErrorsLeft.add(rule.times());
    }
    for (ActionFailure failure : newActionFailures) {
      actionFailures.add(failure);
      actionFailuresLeft.add(failure.times());
    }
  }

  /** Removes every fault. */
  public synchronized void clear() {
    rules.clear();
    ruleErrorsLeft.clear();
    actionFailures.clear();
    actionFailuresLeft.clear();
  }

  /** The rules in force, with the errors each has left (null: no end). */
  public synchronized List<Rule> rules() {
    List<Rule> current = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      Rule rule = rules.get(i);
      current.add(
          new Rule(
              rule.endpoint(),
              rule.code(),
              rule.rate(),
              rule.latencyMs(),
              rule.answerLatencyMs(),
              ruleErrorsLeft.get(i),
              rule.loseAnswer()));
    }
    return current;
  }

  /** The action failures in force, with the failures each has left (null: no end). */
  public synchronized List<ActionFailure> actionFailures() {
    List<ActionFailure> current = new ArrayList<>();
    for (int i = 0; i < actionFailures.size(); i++) {
      ActionFailure failure = actionFailures.get(i);
      current.add(
          new ActionFailure(
              failure.command(), failure.code(), failure.message(), actionFailuresLeft.get(i)));
    }
    return current;
  }

  /** The latencies and error (if any) for one request of this endpoint. */
  public synchronized Decision decide(String endpoint) {
    long latency = 0;
    long answerLatency = 0;
    Optional<ErrorCode> error = Optional.empty();
    boolean lose = false;
    for (int i = 0; i < rules.size(); i++) {
      Rule rule = rules.get(i);
      if (!rule.matches(endpoint)) {
        continue;
      }
      Integer left = ruleErrorsLeft.get(i);
      boolean spent = left != null && left <= 0;
      boolean latencyOnly = rule.code() == null && !rule.loseAnswer();
      // A latency-only rule with times: that many slow answers, then none.
      if (!(latencyOnly && spent)) {
        latency += rule.latencyMs();
        answerLatency += rule.answerLatencyMs();
      }
      if (spent) {
        continue;
      }
      if (rule.loseAnswer()) {
        if (!lose && ThreadLocalRandom.current().nextDouble() < rule.rate()) {
          lose = true;
          spendOne(i);
        }
      } else if (latencyOnly) {
        spendOne(i);
      } else if (error.isEmpty() && ThreadLocalRandom.current().nextDouble() < rule.rate()) {
        error = ErrorCode.of(rule.code());
        spendOne(i);
      }
    }
    return new Decision(latency, answerLatency, error, lose && error.isEmpty());
  }

  /** One of the rule's counted answers used (a rule without a count has no end). */
  private void spendOne(int rule) {
    Integer left = ruleErrorsLeft.get(rule);
    if (left != null) {
      ruleErrorsLeft.set(rule, left - 1);
    }
  }

  /** The failure the next action of this command ends in, if one is injected. */
  synchronized Optional<Views.ActionError> nextActionFailure(String command) {
    for (int i = 0; i < actionFailures.size(); i++) {
      ActionFailure failure = actionFailures.get(i);
      Integer left = actionFailuresLeft.get(i);
      if (failure.command().equals(command) && (left == null || left > 0)) {
        if (left != null) {
          actionFailuresLeft.set(i, left - 1);
        }
        return Optional.of(new Views.ActionError(failure.code(), failure.message()));
      }
    }
    return Optional.empty();
  }
}
