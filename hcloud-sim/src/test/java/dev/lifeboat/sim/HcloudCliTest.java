package dev.lifeboat.sim;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.testkit.CommandRun;
import dev.lifeboat.testkit.OutsideTools;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official Hetzner CLI (Debian package {@code hcloud-cli}) against the simulator: it must not
 * tell the difference.
 */
@QuarkusTest
class HcloudCliTest {

  @TestHTTPResource("/v1")
  URL api;

  private Path hcloud;

  @BeforeEach
  void startFromTheDemo() {
    hcloud = OutsideTools.require("hcloud", "apt-get install hcloud-cli");
    given().post("/_sim/reset").then().statusCode(200);
  }

  @Test
  void serverListShowsEveryServer() {
    CommandRun run = hcloud("server", "list");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout().lines().findFirst())
        .get()
        .asString()
        .startsWith("ID")
        .contains("NAME", "STATUS", "DATACENTER");
    assertThat(run.stdout())
        .contains("4202   demo-worker-fsn1-1   running")
        .contains("fsn1-dc14")
        .contains("nbg1-dc3");
    assertThat(run.stdout().lines().count()).isEqualTo(7);
  }

  @Test
  void volumeListShowsServersAndLocations() {
    CommandRun run = hcloud("volume", "list");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout())
        .containsPattern("100001\\s+pvc-postgres-0\\s+20 GB\\s+demo-worker-fsn1-1\\s+fsn1");
    assertThat(run.stdout()).containsPattern("100006\\s+pvc-uploads\\s+10 GB\\s+-\\s+fsn1");
    assertThat(run.stdout().lines().count()).isEqualTo(13);
  }

  @Test
  void volumeDescribeShowsItsServerAndDevice() {
    CommandRun run = hcloud("volume", "describe", "pvc-postgres-0");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout())
        .contains("Name:\t\tpvc-postgres-0")
        .contains("Linux Device:\t/dev/disk/by-id/scsi-0HC_Volume_100001")
        .contains("Name:\t\tdemo-worker-fsn1-1");
  }

  @Test
  void volumeDetachThenAttachToAnotherServerOfItsLocation() {
    CommandRun detach = hcloud("volume", "detach", "pvc-postgres-0");
    CommandRun attach =
        hcloud("volume", "attach", "--server", "demo-worker-fsn1-2", "pvc-postgres-0");

    assertThat(detach.exitCode()).as(detach.stderr()).isZero();
    assertThat(detach.stdout()).contains("Volume 100001 detached");
    assertThat(attach.exitCode()).as(attach.stderr()).isZero();
    assertThat(attach.stdout()).contains("Volume 100001 attached to server demo-worker-fsn1-2");
    given()
        .header("Authorization", "Bearer t")
        .get("/v1/volumes/100001")
        .then()
        .body("volume.server", org.hamcrest.Matchers.equalTo(4203));
  }

  /** The command the doctor gives for a volume without delete protection (docs/doctor.md). */
  @Test
  void volumeEnableProtectionProtectsItFromDeletion() {
    CommandRun run = hcloud("volume", "enable-protection", "pvc-redis-0", "delete");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    given()
        .header("Authorization", "Bearer t")
        .get("/v1/volumes/100003")
        .then()
        .body("volume.protection.delete", org.hamcrest.Matchers.equalTo(true));
  }

  @Test
  void serverPoweroffStopsTheServer() {
    CommandRun run = hcloud("server", "poweroff", "demo-worker-nbg1-2");

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.stdout()).contains("Server 4206 stopped");
    given()
        .header("Authorization", "Bearer t")
        .get("/v1/servers/4206")
        .then()
        .body("server.status", org.hamcrest.Matchers.equalTo("off"));
  }

  @Test
  void attachAcrossLocationsFailsWithTheClisErrorLine() {
    CommandRun run = hcloud("volume", "attach", "--server", "demo-worker-nbg1-1", "pvc-uploads");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stderr().strip())
        .isEqualTo("hcloud: server and volume must be in the same location (invalid_input)");
  }

  private CommandRun hcloud(String... args) {
    List<String> command = new ArrayList<>();
    command.add(hcloud.toString());
    command.addAll(List.of(args));
    return CommandRun.run(
        command,
        Map.of(
            "HCLOUD_ENDPOINT", api.toString(),
            "HCLOUD_TOKEN", "cli-test-token",
            "HCLOUD_CONFIG", Path.of("target", "hcloud-cli.toml").toAbsolutePath().toString()),
        Duration.ofSeconds(60));
  }
}
