package dev.lifeboat.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Outside programs some tests drive (the {@code hcloud} CLI, Chromium, kcat). Where one is missing
 * the test is skipped with a printed reason, unless the environment variable {@value #REQUIRE} is
 * {@code true} (as in CI), which turns the skip into a failure.
 */
public final class OutsideTools {

  /** Environment variable that makes a missing tool fail the test instead of skipping it. */
  public static final String REQUIRE = "LIFEBOAT_REQUIRE_TOOLS";

  private OutsideTools() {}

  /**
   * The path of an executable, searched on {@code PATH} (or taken as given when absolute); skips or
   * fails the calling test when it is not there.
   *
   * @param command the executable, such as {@code hcloud} or {@code /usr/bin/python3}
   * @param installHint how to get it, such as {@code apt-get install hcloud-cli}
   */
  public static Path require(String command, String installHint) {
    Optional<Path> found = find(command);
    if (found.isEmpty()) {
      missing(command + " is not installed (" + installHint + ")");
    }
    return found.orElseThrow();
  }

  /** Skips or fails the calling test because something it needs is missing. */
  public static void missing(String reason) {
    if (Boolean.parseBoolean(System.getenv(REQUIRE))) {
      Assertions.fail(reason + "; " + REQUIRE + "=true requires it");
    }
    System.out.println("SKIPPED: " + reason);
    Assumptions.abort(reason);
  }

  /**
   * The path of an executable, searched on {@code PATH} (or taken as given when absolute), for a
   * test that does without it where it is missing.
   */
  public static Optional<Path> find(String command) {
    if (command.contains(File.separator)) {
      Path path = Path.of(command);
      return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
    }
    String pathVariable = Optional.ofNullable(System.getenv("PATH")).orElse("");
    for (String dir : pathVariable.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, command);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
