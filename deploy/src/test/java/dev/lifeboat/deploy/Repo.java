package dev.lifeboat.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's root, found from the module's folder. */
final class Repo {

  private Repo() {}

  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("k8s").resolve("base"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no k8s/base above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
