package dev.lifeboat.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lifeboat.events.doctor.FindingKind;
import dev.lifeboat.events.saga.Step;
import dev.lifeboat.orchestrator.domain.BudgetShare;
import dev.lifeboat.orchestrator.domain.Doctor;
import dev.lifeboat.orchestrator.domain.FencePolicy;
import dev.lifeboat.orchestrator.domain.SagaPolicy;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A bad value stops the service at start, naming its key; good values make the policy. */
class DomainProducersTest {

  @Test
  void defaultsMakeLifeboatsDefaultPolicy() {
    SagaPolicy policy = policy(Map.of());

    assertThat(policy.fencing()).isEqualTo(FencePolicy.POWEROFF);
    assertThat(policy.maxParallelVolumes()).isEqualTo(8);
    assertThat(policy.step(Step.RESCHEDULE).timeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(policy.step(Step.ATTACH).maxAttempts()).isEqualTo(5);
    assertThat(policy.fencingCap(9)).isEqualTo(3);
    assertThat(policy.fencingCap(6)).isEqualTo(2);
    assertThat(policy.fencingCap(2)).isEqualTo(1);
  }

  @Test
  void aDeleteSelectorChoosesDeletionForItsNodesOnly() {
    SagaPolicy policy =
        policy(
            Map.of(
                "lifeboat.saga.fencing.policy", "delete",
                "lifeboat.saga.fencing.delete-pool-selector", "pool=autoscaled, tier=spot"));

    assertThat(policy.fencingFor(Map.of("pool", "autoscaled", "tier", "spot")))
        .isEqualTo(FencePolicy.DELETE);
    assertThat(policy.fencingFor(Map.of("pool", "autoscaled"))).isEqualTo(FencePolicy.POWEROFF);
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "lifeboat.saga.fencing.policy, reboot",
    "lifeboat.saga.fencing.policy, delete",
    "lifeboat.saga.fencing.delete-pool-selector, pool",
    "lifeboat.saga.max-parallel-volumes, 0",
    "lifeboat.saga.max-fencing-share, 1.5",
    "lifeboat.saga.retry.max-attempts, 0",
    "lifeboat.saga.retry.initial-backoff, -1s",
    "lifeboat.saga.retry.max-backoff, 100ms",
    "lifeboat.saga.retry.jitter, 2",
    "lifeboat.saga.timeout.attach, -5s",
    "lifeboat.saga.timeout.verify, 0s",
    "lifeboat.saga.tick-interval, 0s",
    "lifeboat.saga.budget.requests-per-volume, 0",
    "lifeboat.saga.budget.horizon, 0s",
    "lifeboat.saga.budget.horizon, 90s",
  })
  void aBadValueIsRefusedNamingItsKey(String key, String value) {
    String named =
        key.equals("lifeboat.saga.fencing.policy") && value.equals("delete")
            ? "lifeboat.saga.fencing.delete-pool-selector"
            : key;

    assertThatThrownBy(() -> policy(Map.of(key, value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(named);
  }

  private static SagaPolicy policy(Map<String, String> properties) {
    SagaConfig config =
        new SmallRyeConfigBuilder()
            .withMapping(SagaConfig.class)
            .withSources(new PropertiesConfigSource(properties, "test", 500))
            .withConverter(Duration.class, 100, new DurationConverter())
            .build()
            .getConfigMapping(SagaConfig.class);
    DomainProducers.budgetShareOf(config);
    return DomainProducers.policyOf(config);
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "lifeboat.doctor.interval, -1m",
    "lifeboat.doctor.answer-within, 0s",
    "lifeboat.doctor.settle, -1s",
    "lifeboat.doctor.multi-attach-after, -5m",
  })
  void aBadDoctorValueIsRefusedNamingItsKey(String key, String value) {
    assertThatThrownBy(() -> DomainProducers.doctorSettingsOf(doctorConfig(Map.of(key, value))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(key);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "no-such-kind | unknown kind",
        "NO_DELETE_PROTECTION | only kinds whose repair runs as a saga",
        "multi-attach-wait | only kinds whose repair runs as a saga",
      })
  void anAutoRepairOfAKindWithoutASagaStopsTheServiceNamingTheKey(String value, String why) {
    assertThatThrownBy(
            () ->
                DomainProducers.doctorSettingsOf(
                    doctorConfig(Map.of("lifeboat.doctor.auto-repair", value))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lifeboat.doctor.auto-repair")
        .hasMessageContaining(why);
  }

  @Test
  void nothingIsRepairedUnaskedUnlessAKindIsNamedInEitherSpelling() {
    assertThat(DomainProducers.autoRepairOf(doctorConfig(Map.of()))).isEmpty();
    assertThat(
            DomainProducers.autoRepairOf(
                doctorConfig(
                    Map.of("lifeboat.doctor.auto-repair", " volume-on-server-without-node "))))
        .containsExactly(FindingKind.VOLUME_ON_SERVER_WITHOUT_NODE);
    assertThat(
            DomainProducers.autoRepairOf(
                doctorConfig(
                    Map.of("lifeboat.doctor.auto-repair", "VOLUME_ON_SERVER_WITHOUT_NODE"))))
        .containsExactly(FindingKind.VOLUME_ON_SERVER_WITHOUT_NODE);
  }

  @Test
  void theDoctorRunsEveryTenMinutesAndReportsWhatLastedTwo() {
    DoctorConfig config = doctorConfig(Map.of());

    assertThat(config.interval()).isEqualTo(Duration.ofMinutes(10));
    assertThat(DomainProducers.doctorSettingsOf(config)).isEqualTo(Doctor.Settings.defaults());
    assertThat(
            DomainProducers.doctorSettingsOf(
                doctorConfig(Map.of("lifeboat.doctor.interval", "0s"))))
        .isEqualTo(Doctor.Settings.defaults());
  }

  private static DoctorConfig doctorConfig(Map<String, String> properties) {
    return new SmallRyeConfigBuilder()
        .withMapping(DoctorConfig.class)
        .withSources(new PropertiesConfigSource(properties, "test", 500))
        .withConverter(Duration.class, 100, new DurationConverter())
        .build()
        .getConfigMapping(DoctorConfig.class);
  }

  @Test
  void theBudgetsShareDefaultsToFourRequestsAVolumePaidWithin45Seconds() {
    SagaConfig config =
        new SmallRyeConfigBuilder()
            .withMapping(SagaConfig.class)
            .withConverter(Duration.class, 100, new DurationConverter())
            .build()
            .getConfigMapping(SagaConfig.class);

    assertThat(DomainProducers.budgetShareOf(config))
        .isEqualTo(new BudgetShare(4, Duration.ofSeconds(45)));
  }
}
