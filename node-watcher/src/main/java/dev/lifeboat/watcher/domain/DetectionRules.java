package dev.lifeboat.watcher.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * The thresholds of detection.
 *
 * @param leaseSuspect a Lease older than this makes its node suspected (kubelets renew every 10 s)
 * @param leaseGrace a Lease older than this makes its node gone, but never before {@link
 *     #declareAfter}
 * @param leaseRenewPeriod how often kubelets renew their Lease (Kubernetes: every 10 s)
 * @param notReadyGrace Ready not True for longer than this makes the node gone
 * @param maxLostShare the share of the watched nodes that may be lost within {@code stormWindow};
 *     past it nodes are only suspected and a person decides
 * @param stormWindow how long a declared loss counts against the share
 */
public record DetectionRules(
    Duration leaseSuspect,
    Duration leaseGrace,
    Duration leaseRenewPeriod,
    Duration notReadyGrace,
    double maxLostShare,
    Duration stormWindow) {

  public DetectionRules {
    positive(leaseSuspect, "lease-suspect");
    positive(leaseGrace, "lease-grace");
    positive(leaseRenewPeriod, "lease-renew-period");
    positive(notReadyGrace, "not-ready-grace");
    positive(stormWindow, "storm.window");
    if (leaseSuspect.compareTo(leaseGrace) > 0) {
      throw new IllegalArgumentException(
          "invalid configuration: lifeboat.watcher.lease-suspect must not exceed"
              + " lifeboat.watcher.lease-grace, was "
              + leaseSuspect);
    }
    if (!(maxLostShare > 0 && maxLostShare <= 1)) {
      throw new IllegalArgumentException(
          "invalid configuration: lifeboat.watcher.storm.max-lost-share must be in (0, 1], was "
              + maxLostShare);
    }
  }

  /**
   * How many of {@code known} nodes may be lost at once: at least one, so that a small cluster can
   * fail over at all. A share written in decimals (0.3333) means the fraction it stands for, so a
   * hundredth of a node is given to rounding.
   */
  public int allowedLosses(int known) {
    return Math.max(1, (int) Math.floor(maxLostShare * known + 0.01));
  }

  /**
   * How long a Lease must be silent before its node is declared gone: the grace, and at least long
   * enough that every node that went silent within one renewal period of it (the same switch, the
   * same host) has missed a renewal and shows as suspected, so that a correlated loss is judged as
   * one by the storm guard instead of node by node. With the defaults (suspect 12 s, renewal 10 s,
   * grace 20 s) that is 22 s: 2 s more than the grace for a single loss.
   */
  public Duration declareAfter() {
    Duration correlated = leaseSuspect.plus(leaseRenewPeriod);
    return correlated.compareTo(leaseGrace) > 0 ? correlated : leaseGrace;
  }

  /**
   * True when a Lease renewed then is overdue now (its node is suspected, and takes no volumes);
   * false for a node without a Lease, which is judged by its Ready condition.
   */
  public boolean leaseOverdue(Instant renewed, Instant now) {
    return renewed != null && Duration.between(renewed, now).compareTo(leaseSuspect) > 0;
  }

  /**
   * True when a watch of the API server was down less than the Lease grace ago ({@code
   * watchTrouble}, null if never): the cache may still show the outage, not the cluster.
   */
  public boolean watchesShaky(Instant watchTrouble, Instant now) {
    return watchTrouble != null && now.isBefore(watchTrouble.plus(leaseGrace));
  }

  private static void positive(Duration value, String key) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(
          "invalid configuration: lifeboat.watcher."
              + key
              + " must be a positive duration, was "
              + value);
    }
  }
}
