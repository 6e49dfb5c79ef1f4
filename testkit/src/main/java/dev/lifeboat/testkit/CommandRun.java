package dev.lifeboat.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an outside program to its end and keeps what it printed.
 *
 * @param exitCode the program's exit status
 * @param stdout what it printed on standard output
 * @param stderr what it printed on standard error
 */
public record CommandRun(int exitCode, String stdout, String stderr) {

  /** Runs the command with extra environment variables; fails if it takes longer than the limit. */
  public static CommandRun run(
      List<String> command, Map<String, String> environment, Duration limit) {
    try {
      Path out = Files.createTempFile(Path.of("target"), "command-", ".out");
      Path err = Files.createTempFile(Path.of("target"), "command-", ".err");
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.environment().putAll(environment);
      Process process = builder.start();
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(command + " did not end within " + limit);
      }
      return new CommandRun(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }
}
