package dev.lifeboat.sim.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The rules of the simulated project, on a clock the test moves. */
class CloudTest {

  private static final Duration ACTION = Duration.ofSeconds(3);

  private final TestClock clock = new TestClock();
  private final Faults faults = new Faults();
  private final Cloud cloud = new Cloud(clock, settings(ACTION), faults, twoLocations());

  @Test
  void attachTakesEffectOnlyWhenItsActionFinishes() {
    Views.Action attach = cloud.attach(volumeId("spare-fsn1"), serverId("worker-fsn1-b"));

    assertThat(attach.status()).isEqualTo("running");
    assertThat(cloud.volume(volumeId("spare-fsn1")).server()).isNull();
    clock.advance(Duration.ofMillis(1500));
    assertThat(cloud.action(attach.id()).progress()).isEqualTo(50);
    assertThat(cloud.server(serverId("worker-fsn1-b")).locked()).isTrue();

    clock.advance(Duration.ofMillis(1500));

    Views.Action done = cloud.action(attach.id());
    assertThat(done.status()).isEqualTo("success");
    assertThat(done.progress()).isEqualTo(100);
    assertThat(done.finished()).isEqualTo("2026-11-26T03:00:03.000+00:00");
    assertThat(cloud.volume(volumeId("spare-fsn1")).server()).isEqualTo(serverId("worker-fsn1-b"));
    assertThat(cloud.server(serverId("worker-fsn1-b")).volumes()).contains(volumeId("spare-fsn1"));
    assertThat(cloud.server(serverId("worker-fsn1-b")).locked()).isFalse();
  }

  @Test
  void aLockedServerRefusesASecondActionUntilTheFirstEnds() {
    cloud.detach(volumeId("data-fsn1-1"));

    assertThatThrownBy(() -> cloud.detach(volumeId("data-fsn1-2")))
        .isInstanceOfSatisfying(
            ApiError.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LOCKED));
    assertThatThrownBy(() -> cloud.powerOff(serverId("worker-fsn1-a")))
        .isInstanceOfSatisfying(
            ApiError.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LOCKED));

    clock.advance(ACTION);

    assertThat(cloud.detach(volumeId("data-fsn1-2")).status()).isEqualTo("running");
  }

  @Test
  void aVolumeAttachesToOneServerOnly() {
    assertThatThrownBy(() -> cloud.attach(volumeId("data-fsn1-1"), serverId("worker-fsn1-b")))
        .isInstanceOfSatisfying(
            ApiError.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.VOLUME_ALREADY_ATTACHED);
              assertThat(e.getMessage())
                  .isEqualTo("volume is already attached to a server, please detach it first");
            });
  }

  @Test
  void aVolumeAttachesOnlyInItsOwnLocation() {
    assertThatThrownBy(() -> cloud.attach(volumeId("spare-fsn1"), serverId("worker-nbg1")))
        .isInstanceOfSatisfying(
            ApiError.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
              assertThat(e.getMessage())
                  .isEqualTo("server and volume must be in the same location");
            });
  }

  @Test
  void aServerTakesAtMostSixteenVolumes() {
    List<Scenario.VolumeSpec> volumes =
        IntStream.rangeClosed(1, 17)
            .mapToObj(
                i ->
                    new Scenario.VolumeSpec(
                        null, "v" + i, "fsn1", 10, i <= 16 ? "full" : null, null, Map.of(), null))
            .toList();
    cloud.reset(
        new Scenario(
            List.of("fsn1"),
            List.of(new Scenario.ServerSpec(null, "full", "fsn1", null, null, Map.of())),
            volumes,
            List.of(),
            List.of()));

    assertThat(cloud.server(serverId("full")).volumes()).hasSize(16);
    assertThatThrownBy(() -> cloud.attach(volumeId("v17"), serverId("full")))
        .isInstanceOfSatisfying(
            ApiError.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_LIMIT_EXCEEDED));
  }

  @Test
  void poweroffTurnsTheServerOffAndAHungServerStaysRunningUntilThen() {
    long server = serverId("worker-fsn1-a");
    cloud.hang(server);
    assertThat(cloud.server(server).status()).isEqualTo("running");
    assertThat(hungServers()).containsExactly(server);

    Views.Action off = cloud.powerOff(server);
    assertThat(cloud.server(server).status()).isEqualTo("stopping");
    clock.advance(ACTION);

    assertThat(cloud.action(off.id()).status()).isEqualTo("success");
    assertThat(cloud.server(server).status()).isEqualTo("off");
    assertThat(hungServers()).isEmpty();
  }

  @Test
  void shutdownOnlyAsksAndAHungOsDoesNotObey() {
    long server = serverId("worker-fsn1-a");
    cloud.hang(server);

    Views.Action shutdown = cloud.shutdown(server);
    clock.advance(ACTION);

    assertThat(cloud.action(shutdown.id()).status()).isEqualTo("success");
    assertThat(cloud.server(server).status()).as("not a fence").isEqualTo("running");
  }

  @Test
  void deletingAServerDetachesItsVolumesWhichSurvive() {
    long server = serverId("worker-fsn1-a");

    cloud.deleteServer(server);
    assertThat(cloud.server(server).status()).isEqualTo("deleting");
    clock.advance(ACTION);

    assertThatThrownBy(() -> cloud.server(server))
        .isInstanceOfSatisfying(
            ApiError.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    assertThat(cloud.volume(volumeId("data-fsn1-1")).server()).isNull();
    assertThat(cloud.volume(volumeId("data-fsn1-2")).server()).isNull();
  }

  @Test
  void aServerDeletedOutsideIsGoneAtOnce() {
    cloud.deleteOutside(serverId("worker-fsn1-a"));

    assertThat(cloud.volume(volumeId("data-fsn1-1")).server()).isNull();
    assertThat(cloud.servers(ListQuery.all()).items())
        .extracting(Views.Server::name)
        .doesNotContain("worker-fsn1-a");
  }

  @Test
  void aDeadServerIsOffWithoutAnAction() {
    cloud.die(serverId("worker-fsn1-a"));

    assertThat(cloud.server(serverId("worker-fsn1-a")).status()).isEqualTo("off");
    assertThat(cloud.serverActions(serverId("worker-fsn1-a"), ListQuery.all()).items()).isEmpty();
  }

  @Test
  void injectedActionFailureEndsInErrorAndChangesNothing() {
    faults.set(List.of(), List.of(new Faults.ActionFailure("detach_volume", null, null, 1)));

    Views.Action failed = cloud.detach(volumeId("data-fsn1-1"));
    clock.advance(ACTION);

    assertThat(cloud.action(failed.id()).status()).isEqualTo("error");
    assertThat(cloud.action(failed.id()).error())
        .isEqualTo(
            new Views.ActionError("action_failed", "action failed (injected by hcloud-sim)"));
    assertThat(cloud.volume(volumeId("data-fsn1-1")).server()).isEqualTo(serverId("worker-fsn1-a"));

    Views.Action retried = cloud.detach(volumeId("data-fsn1-1"));
    clock.advance(ACTION);
    assertThat(cloud.action(retried.id()).status())
        .as("the failure was for one action")
        .isEqualTo("success");
  }

  @Test
  void latencyRuleWithTimesSlowsThatManyAnswers() {
    faults.set(List.of(new Faults.Rule("GET /volumes/{id}", null, 0, 500, 0, 2, false)), List.of());

    List<Long> latencies =
        IntStream.range(0, 3)
            .mapToObj(i -> faults.decide("GET /volumes/{id}").latencyMs())
            .toList();

    assertThat(latencies).containsExactly(500L, 500L, 0L);
  }

  @Test
  void batchOfActionsLeavesUnknownIdsOut() {
    Views.Action one = cloud.detach(volumeId("data-fsn1-1"));
    Views.Action two = cloud.powerOff(serverId("worker-nbg1"));

    Views.Page<Views.Action> page =
        cloud.actions(List.of(one.id(), 999_999L, two.id()), ListQuery.all());

    assertThat(page.items()).extracting(Views.Action::id).containsExactly(one.id(), two.id());
    assertThat(page.meta().pagination().totalEntries()).isEqualTo(2);
  }

  @Test
  void actionsKeepTheirTimesSoOrderCanBeChecked() {
    Views.Action off = cloud.powerOff(serverId("worker-fsn1-a"));
    clock.advance(ACTION);
    Views.Action detach = cloud.detach(volumeId("data-fsn1-1"));

    assertThat(cloud.action(off.id()).finished()).isLessThanOrEqualTo(detach.started());
  }

  @Test
  void zeroDurationActionsFinishAtOnce() {
    cloud.settings(settings(Duration.ZERO));

    Views.Action detach = cloud.detach(volumeId("data-fsn1-1"));

    assertThat(cloud.action(detach.id()).status()).isEqualTo("success");
    assertThat(cloud.volume(volumeId("data-fsn1-1")).server()).isNull();
  }

  private long serverId(String name) {
    return cloud.servers(new ListQuery(name, null, null, null, null, null)).items().get(0).id();
  }

  private long volumeId(String name) {
    return cloud.volumes(new ListQuery(name, null, null, null, null, null)).items().get(0).id();
  }

  static Settings settings(Duration every) {
    return new Settings(
        Map.of(
            "attach_volume", every,
            "detach_volume", every,
            "stop_server", every,
            "shutdown_server", every,
            "start_server", every,
            "delete_server", every),
        new Settings.RateLimit(true, 3600, 1),
        true,
        422);
  }

  static Scenario twoLocations() {
    return new Scenario(
        List.of("fsn1", "nbg1"),
        List.of(
            new Scenario.ServerSpec(
                null, "worker-fsn1-a", "fsn1", null, null, Map.of("role", "worker")),
            new Scenario.ServerSpec(
                null, "worker-fsn1-b", "fsn1", null, null, Map.of("role", "worker")),
            new Scenario.ServerSpec(
                null, "worker-nbg1", "nbg1", null, null, Map.of("role", "worker"))),
        List.of(
            new Scenario.VolumeSpec(
                null, "data-fsn1-1", "fsn1", 10, "worker-fsn1-a", "ext4", Map.of(), null),
            new Scenario.VolumeSpec(
                null, "data-fsn1-2", "fsn1", 10, "worker-fsn1-a", "ext4", Map.of(), null),
            new Scenario.VolumeSpec(null, "spare-fsn1", "fsn1", 10, null, null, Map.of(), null)),
        List.of(),
        List.of());
  }

  /** The hung servers, as the state cluster-sim reads shows them. */
  @SuppressWarnings("unchecked") // dump() holds the id list under this key
  private java.util.List<Long> hungServers() {
    return (java.util.List<Long>) cloud.dump().get("hung_servers");
  }
}
