package dev.lifeboat.adapter;

import static dev.lifeboat.adapter.AdapterTestSupport.clearLog;
import static dev.lifeboat.adapter.AdapterTestSupport.requests;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.adapter.hcloud.ProjectSnapshots;
import dev.lifeboat.events.doctor.HetznerSnapshot;
import dev.lifeboat.testkit.HcloudSimProcess;
import dev.lifeboat.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The doctor's view of the project: every server and volume from the lists, with what the doctor
 * compares, and what it costs in requests.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(HcloudSimProcess.Resource.class)
class ProjectSnapshotsTest {

  @Inject ProjectSnapshots snapshots;

  @Test
  void aProjectOfTwoHundredVolumesIsReadInOneRequestPerFiftyOfEach() {
    StringBuilder world = new StringBuilder("locations: [fsn1, nbg1]\nservers:\n");
    for (int s = 1; s <= 26; s++) {
      world.append("  - {id: ").append(7000 + s).append(", name: node-").append(s);
      world.append(", location: ").append(s <= 13 ? "fsn1" : "nbg1");
      world.append(s == 26 ? ", status: off" : "").append("}\n");
    }
    world.append("volumes:\n");
    for (int v = 1; v <= 200; v++) {
      int server = 1 + (v - 1) % 26;
      world.append("  - {id: ").append(80000 + v).append(", name: data-").append(v);
      world.append(", location: ").append(server <= 13 ? "fsn1" : "nbg1");
      world.append(v <= 180 ? ", server: node-" + server : "");
      world.append(v % 2 == 0 ? ", delete_protection: true" : "").append("}\n");
    }
    HcloudSimProcess.shared().reset(world.toString());
    clearLog();

    HetznerSnapshot project = snapshots.take().await().atMost(Duration.ofSeconds(30));

    assertThat(project.servers()).hasSize(26);
    assertThat(project.servers())
        .filteredOn(s -> s.id() == 7026)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.status()).isEqualTo("off");
              assertThat(s.location()).isEqualTo("nbg1");
              assertThat(s.name()).isEqualTo("node-26");
            });
    assertThat(project.volumes()).hasSize(200);
    assertThat(project.volumes())
        .filteredOn(v -> v.id() == 80014)
        .singleElement()
        .isEqualTo(new HetznerSnapshot.Volume(80014, "data-14", "nbg1", 7014L, true));
    assertThat(project.volumes())
        .filteredOn(v -> v.id() == 80199)
        .singleElement()
        .isEqualTo(new HetznerSnapshot.Volume(80199, "data-199", "nbg1", null, false));
    assertThat(project.budget()).isNotNull();
    assertThat(project.budget().limit()).isEqualTo(3600);
    assertThat(project.budget().remaining()).isBetween(1, 3600);
    assertThat(requests().stream().filter(r -> r.contains("?page=")))
        .as("one page of servers, four of volumes")
        .containsExactly(
            "GET /v1/servers?page=1&per_page=50 200",
            "GET /v1/volumes?page=1&per_page=50 200",
            "GET /v1/volumes?page=2&per_page=50 200",
            "GET /v1/volumes?page=3&per_page=50 200",
            "GET /v1/volumes?page=4&per_page=50 200");
  }
}
