package dev.lifeboat.orchestrator.config;

import dev.lifeboat.events.doctor.FindingKind;
import dev.lifeboat.events.saga.Step;
import dev.lifeboat.orchestrator.domain.BudgetShare;
import dev.lifeboat.orchestrator.domain.Doctor;
import dev.lifeboat.orchestrator.domain.DoctorRuns;
import dev.lifeboat.orchestrator.domain.Drill;
import dev.lifeboat.orchestrator.domain.FencePolicy;
import dev.lifeboat.orchestrator.domain.IncidentSaga;
import dev.lifeboat.orchestrator.domain.SagaPolicy;
import dev.lifeboat.orchestrator.domain.StepPolicy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The domain objects the service runs with, made from {@link SagaConfig}: the saga's policy (every
 * value checked first: a bad value stops the service at start with a message that names its key),
 * the saga, the drill, and the clock.
 */
public class DomainProducers {

  private static final String PREFIX = "lifeboat.saga.";

  @Produces
  @Singleton
  SagaPolicy policy(SagaConfig config) {
    return policyOf(config);
  }

  @Produces
  @Singleton
  BudgetShare budgetShare(SagaConfig config) {
    return budgetShareOf(config);
  }

  /** The budget's share of flows, or an error naming the bad key. */
  public static BudgetShare budgetShareOf(SagaConfig config) {
    SagaConfig.Budget budget = config.budget();
    atLeast(budget.requestsPerVolume(), 1, "budget.requests-per-volume");
    positive(budget.horizon(), "budget.horizon");
    if (budget.horizon().compareTo(config.timeout().detach()) >= 0) {
      throw invalid(
          "budget.horizon",
          "must be shorter than timeout.detach ("
              + config.timeout().detach()
              + "): the flows it admits must finish their detaches in time",
          budget.horizon());
    }
    return new BudgetShare(budget.requestsPerVolume(), budget.horizon());
  }

  @Produces
  @Singleton
  IncidentSaga saga(SagaPolicy policy) {
    return new IncidentSaga(policy);
  }

  @Produces
  @Singleton
  Drill drill(SagaPolicy policy, SagaConfig config) {
    SagaConfig.DrillTimes times = config.drill();
    return new Drill(
        policy,
        new Drill.ActionTimes(
            times.poweroff(), times.delete(), times.detach(), times.attach(), times.cluster()));
  }

  @Produces
  @Singleton
  Doctor doctor(DoctorConfig config) {
    return new Doctor(doctorSettingsOf(config));
  }

  /** The doctor's settings, or an error naming the bad key. */
  public static Doctor.Settings doctorSettingsOf(DoctorConfig config) {
    if (config.interval().isNegative()) {
      throw invalidDoctor("interval", "must be 0s (no schedule) or positive", config.interval());
    }
    if (config.answerWithin().isNegative() || config.answerWithin().isZero()) {
      throw invalidDoctor("answer-within", "must be a positive duration", config.answerWithin());
    }
    if (config.settle().isNegative()) {
      throw invalidDoctor("settle", "must not be negative", config.settle());
    }
    if (config.multiAttachAfter().isNegative()) {
      throw invalidDoctor("multi-attach-after", "must not be negative", config.multiAttachAfter());
    }
    autoRepairOf(config);
    return new Doctor.Settings(config.settle(), config.multiAttachAfter());
  }

  /**
   * The kinds repaired unasked ({@code lifeboat.doctor.auto-repair}), or an error naming the key:
   * an unknown kind, or one whose repair does not run as a saga.
   */
  public static Set<FindingKind> autoRepairOf(DoctorConfig config) {
    Set<FindingKind> kinds = EnumSet.noneOf(FindingKind.class);
    String value = config.autoRepair().orElse("");
    for (String word : value.split(",")) {
      String name = word.trim().toUpperCase(Locale.ROOT).replace('-', '_');
      if (name.isEmpty()) {
        continue;
      }
      FindingKind kind;
      try {
        kind = FindingKind.valueOf(name);
      } catch (IllegalArgumentException e) {
        throw invalidDoctor(
            "auto-repair",
            "names an unknown kind '"
                + word.trim()
                + "' (kinds: "
                + List.of(FindingKind.values())
                + ")",
            value);
      }
      if (!DoctorRuns.REPAIRED_UNASKED.contains(kind)) {
        throw invalidDoctor(
            "auto-repair",
            "may name only kinds whose repair runs as a saga "
                + DoctorRuns.REPAIRED_UNASKED
                + ", not "
                + kind,
            value);
      }
      kinds.add(kind);
    }
    return kinds;
  }

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  /** The policy, or an error naming the first bad key. */
  public static SagaPolicy policyOf(SagaConfig config) {
    FencePolicy fencing = fencing(config.fencing().policy());
    Map<String, String> deletePool =
        labels(config.fencing().deletePoolSelector().orElse(""), "fencing.delete-pool-selector");
    if (fencing == FencePolicy.DELETE && deletePool.isEmpty()) {
      throw invalid(
          "fencing.delete-pool-selector",
          "is required with fencing.policy=delete (only nodes of disposable pools may be deleted)",
          "");
    }
    atLeast(config.maxParallelVolumes(), 1, "max-parallel-volumes");
    atLeast(config.maxActiveFlows(), 1, "max-active-flows");
    if (!(config.maxFencingShare() > 0 && config.maxFencingShare() <= 1)) {
      throw invalid("max-fencing-share", "must be in (0, 1]", config.maxFencingShare());
    }
    positive(config.pauseRecheck(), "pause-recheck");
    positive(config.tickInterval(), "tick-interval");
    positive(config.retention(), "retention");
    SagaConfig.Retry retry = config.retry();
    atLeast(retry.maxAttempts(), 1, "retry.max-attempts");
    if (retry.initialBackoff().isNegative()) {
      throw invalid("retry.initial-backoff", "must not be negative", retry.initialBackoff());
    }
    if (retry.maxBackoff().compareTo(retry.initialBackoff()) < 0) {
      throw invalid(
          "retry.max-backoff",
          "must not be shorter than retry.initial-backoff",
          retry.maxBackoff());
    }
    if (!(retry.jitter() >= 0 && retry.jitter() <= 1)) {
      throw invalid("retry.jitter", "must be between 0 and 1", retry.jitter());
    }
    SagaConfig.Timeout timeout = config.timeout();
    Map<Step, StepPolicy> steps = new EnumMap<>(Step.class);
    steps.put(Step.FENCE, step(timeout.fence(), "timeout.fence", retry));
    steps.put(Step.DETACH, step(timeout.detach(), "timeout.detach", retry));
    steps.put(Step.RELEASE, step(timeout.release(), "timeout.release", retry));
    steps.put(Step.RESCHEDULE, step(timeout.reschedule(), "timeout.reschedule", retry));
    steps.put(Step.ATTACH, step(timeout.attach(), "timeout.attach", retry));
    steps.put(Step.VERIFY, step(timeout.verify(), "timeout.verify", retry));
    positive(timeout.evict(), "timeout.evict");
    positive(config.removal().budgetPatience(), "removal.budget-patience");
    steps.put(
        Step.EVICT,
        StepPolicy.patient(
            timeout.evict(),
            config.removal().budgetPatience(),
            retry.initialBackoff(),
            retry.maxBackoff(),
            retry.jitter()));
    steps.put(Step.FINISH, step(timeout.finish(), "timeout.finish", retry));
    return new SagaPolicy(
        fencing == FencePolicy.DELETE ? FencePolicy.POWEROFF : fencing,
        deletePool,
        steps,
        config.maxParallelVolumes(),
        config.maxActiveFlows(),
        config.maxFencingShare(),
        config.pauseRecheck(),
        config.dryRun());
  }

  private static StepPolicy step(Duration timeout, String key, SagaConfig.Retry retry) {
    positive(timeout, key);
    return new StepPolicy(
        timeout, retry.maxAttempts(), retry.initialBackoff(), retry.maxBackoff(), retry.jitter());
  }

  private static FencePolicy fencing(String value) {
    try {
      return FencePolicy.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid("fencing.policy", "must be poweroff, delete or none", value);
    }
  }

  private static Map<String, String> labels(String selector, String key) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (String part : selector.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq <= 0 || eq == part.length() - 1) {
        throw invalid(key, "must be key=value pairs separated by commas", selector);
      }
      labels.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
    }
    return labels;
  }

  private static void atLeast(int value, int min, String key) {
    if (value < min) {
      throw invalid(key, "must be at least " + min, value);
    }
  }

  private static void positive(Duration value, String key) {
    if (value.isNegative() || value.isZero()) {
      throw invalid(key, "must be a positive duration", value);
    }
  }

  private static IllegalArgumentException invalidDoctor(String key, String rule, Object value) {
    return new IllegalArgumentException(
        "invalid configuration: lifeboat.doctor." + key + " " + rule + ", was '" + value + "'");
  }

  private static IllegalArgumentException invalid(String key, String rule, Object value) {
    return new IllegalArgumentException(
        "invalid configuration: " + PREFIX + key + " " + rule + ", was '" + value + "'");
  }
}
