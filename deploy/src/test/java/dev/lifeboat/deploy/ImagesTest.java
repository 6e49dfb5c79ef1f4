package dev.lifeboat.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.local.Images;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * Images: every one the overlays render names its registry (none can resolve to someone else's
 * Docker Hub namespace), all four of Lifeboat's come from the one component both overlays use, and
 * {@code ./lifeboat images} pins them there by digest.
 */
class ImagesTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"production", "dry-run"})
  void everyImageNamesItsRegistryAndLifeboatsComeFromTheImagesComponent(String overlay) {
    Map<String, String> images = images(ManifestsTest.render(overlay));

    assertThat(images).containsOnlyKeys(Images.SERVICES);
    images.forEach(
        (container, image) -> {
          String host = image.split("/")[0];
          assertThat(host)
              .as(container + "'s image " + image + " names a registry host")
              .matches(h -> h.contains(".") || h.contains(":"));
          assertThat(image).isEqualTo(Images.PLACEHOLDER + "/" + container + ":0.1.0");
        });
  }

  @Test
  void theImagesCommandPinsEveryImageByDigestForBothOverlays(@TempDir Path root) throws Exception {
    copy(Repo.root().resolve("k8s"), root.resolve("k8s"));
    Map<String, String> digests = new HashMap<>();
    for (String service : Images.SERVICES) {
      String digest = "sha256:" + String.format("%064x", Math.abs((long) service.hashCode()));
      digests.put(service, digest);
      Path metadata = root.resolve(service).resolve("target/image-metadata.json");
      Files.createDirectories(metadata.getParent());
      Files.writeString(metadata, "{\"containerimage.digest\":\"" + digest + "\"}");
    }
    ByteArrayOutputStream printed = new ByteArrayOutputStream();

    int exit =
        new CommandLine(new Images(new PrintStream(printed, true, StandardCharsets.UTF_8), root))
            .execute("--registry", "ghcr.io/you/lifeboat", "--pin-only");

    assertThat(exit).as(printed.toString(StandardCharsets.UTF_8)).isZero();
    for (String overlay : List.of("production", "dry-run")) {
      Map<String, String> images =
          images(ManifestsTest.render(root.resolve("k8s/overlays/" + overlay)));
      assertThat(images).containsOnlyKeys(Images.SERVICES);
      images.forEach(
          (container, image) ->
              assertThat(image)
                  .as(overlay)
                  .isEqualTo("ghcr.io/you/lifeboat/" + container + "@" + digests.get(container)));
    }
  }

  /** The image of each container of the Deployments, by container name. */
  private static Map<String, String> images(List<HasMetadata> objects) {
    Map<String, String> images = new HashMap<>();
    for (HasMetadata object : objects) {
      if (object instanceof Deployment deployment) {
        for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
          images.put(container.getName(), container.getImage());
        }
      }
    }
    return images;
  }

  private static void copy(Path from, Path to) throws Exception {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
  }
}
