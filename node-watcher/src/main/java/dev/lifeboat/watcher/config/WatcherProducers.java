package dev.lifeboat.watcher.config;

import dev.lifeboat.watcher.domain.DetectionRules;
import dev.lifeboat.watcher.domain.NodeSelector;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The watcher's configuration as domain values, checked when they are made: a bad value stops the
 * service at start with a message that names its key.
 */
public class WatcherProducers {

  @Produces
  @Singleton
  DetectionRules rules(WatcherConfig config) {
    return new DetectionRules(
        config.leaseSuspect(),
        config.leaseGrace(),
        config.leaseRenewPeriod(),
        config.notReadyGrace(),
        config.storm().maxLostShare(),
        config.storm().window());
  }

  @Produces
  @Singleton
  NodeSelector excluded(WatcherConfig config) {
    return new NodeSelector(
        NodeSelector.parse(config.excludeLabels(), "lifeboat.watcher.exclude-labels"),
        NodeSelector.parse(config.excludeAnnotations(), "lifeboat.watcher.exclude-annotations"));
  }

  @Produces
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }
}
