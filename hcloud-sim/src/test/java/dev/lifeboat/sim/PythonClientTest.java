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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hetzner's official Python client (Debian package {@code python3-hcloud}) against the simulator.
 */
@QuarkusTest
class PythonClientTest {

  private static final String PYTHON = "/usr/bin/python3";

  @TestHTTPResource("/v1")
  URL api;

  @BeforeEach
  void startFromTheDemo() {
    OutsideTools.require(PYTHON, "apt-get install python3");
    CommandRun probe =
        CommandRun.run(List.of(PYTHON, "-c", "import hcloud"), Map.of(), Duration.ofSeconds(30));
    if (probe.exitCode() != 0) {
      OutsideTools.missing(
          "the python3-hcloud module is not installed (apt-get install python3-hcloud)");
    }
    given().post("/_sim/reset").then().statusCode(200);
  }

  @Test
  void pythonClientListsDetachesAndAttachesAndSeesTheLocationError() {
    CommandRun run =
        CommandRun.run(
            List.of(
                PYTHON,
                Path.of("src/test/resources/hcloud_python_client.py").toString(),
                api.toString()),
            Map.of(),
            Duration.ofSeconds(90));

    assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
    assertThat(run.stdout().lines().toList())
        .containsExactly(
            "servers 6",
            "volumes 12",
            "pvc-postgres-0 on 4202",
            "detach success",
            "attach success",
            "pvc-postgres-0 on 4203",
            "poweroff success off",
            "cross-location invalid_input server and volume must be in the same location");
  }
}
