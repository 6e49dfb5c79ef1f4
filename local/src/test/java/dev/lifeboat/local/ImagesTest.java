package dev.lifeboat.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesTest {

  @Test
  void aRegistryWithoutAHostIsRefusedBecauseItWouldMeanDockerHub() {
    assertThatThrownBy(() -> Images.registry("lifeboat"))
        .hasMessageContaining("Docker Hub")
        .hasMessageContaining("--registry lifeboat");
    assertThatThrownBy(() -> Images.registry("someone/lifeboat"))
        .hasMessageContaining("Docker Hub");
    assertThatThrownBy(() -> Images.registry(Images.PLACEHOLDER))
        .hasMessageContaining("placeholder");
    assertThatThrownBy(() -> Images.registry("ghcr.io/You/Lifeboat"))
        .hasMessageContaining("not a registry path");

    assertThat(Images.registry("ghcr.io/you/lifeboat/")).isEqualTo("ghcr.io/you/lifeboat");
    assertThat(Images.registry("localhost:5000/lifeboat")).isEqualTo("localhost:5000/lifeboat");
  }

  @Test
  void aDigestIsReadFromBuildxMetadataAndAnythingElseIsRefused(@TempDir Path dir) throws Exception {
    Path metadata = dir.resolve("image-metadata.json");
    String digest = "sha256:" + "ab".repeat(32);
    Files.writeString(
        metadata,
        "{\"containerimage.digest\":\"" + digest + "\",\"image.name\":\"ghcr.io/you/x:0.1.0\"}");
    assertThat(Images.digest("node-watcher", metadata)).isEqualTo(digest);

    Files.writeString(metadata, "{\"containerimage.digest\":\"sha256:short\"}");
    assertThatThrownBy(() -> Images.digest("node-watcher", metadata))
        .hasMessageContaining("containerimage.digest");
    assertThatThrownBy(() -> Images.digest("node-watcher", dir.resolve("none.json")))
        .hasMessageContaining("build and push node-watcher first");
  }

  @Test
  void theComponentRenamesEveryBaseImageIntoTheRegistryByDigest() {
    String text =
        Images.component(
            "ghcr.io/you/lifeboat",
            "0.1.0",
            Map.of(
                "node-watcher", "sha256:1",
                "volume-orchestrator", "sha256:2",
                "hcloud-adapter", "sha256:3",
                "audit-service", "sha256:4"));

    assertThat(text)
        .contains("kind: Component")
        .contains(
            "  - name: registry.example.com/lifeboat/hcloud-adapter\n"
                + "    newName: ghcr.io/you/lifeboat/hcloud-adapter\n"
                + "    digest: sha256:3\n")
        .doesNotContain("newTag");
  }
}
