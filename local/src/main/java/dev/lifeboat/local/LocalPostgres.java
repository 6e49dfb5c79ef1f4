package dev.lifeboat.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The local run's PostgreSQL: a real server (zonky's binaries from Maven Central) on a fixed port,
 * with database {@code lifeboat} owned by user {@code lifeboat} (password {@code lifeboat}); writes
 * its ready file once both exist. Arguments: data dir, port, ready file.
 */
public final class LocalPostgres {

  private LocalPostgres() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: LocalPostgres <data dir> <port> <ready file>");
      System.exit(2);
    }
    Path data = Path.of(args[0]).toAbsolutePath();
    Files.createDirectories(data);
    EmbeddedPostgres postgres =
        EmbeddedPostgres.builder()
            .setPort(Integer.parseInt(args[1]))
            .setOverrideWorkingDirectory(data.resolve("binaries").toFile())
            .setDataDirectory(data.resolve("data").toFile())
            .setCleanDataDirectory(false)
            // zonky turns it off for speed; a commit the audit was told of must outlive a kill -9
            // of the server (the chaos rounds kill it), as it does on a production PostgreSQL.
            .setServerConfig("synchronous_commit", "on")
            .start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    postgres.close();
                  } catch (Exception e) {
                    System.err.println("PostgreSQL did not stop cleanly: " + e.getMessage());
                  }
                },
                "postgres-stop"));
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement sql = connection.createStatement()) {
      try (ResultSet role = sql.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = 'lifeboat'")) {
        if (!role.next()) {
          sql.execute("CREATE ROLE lifeboat LOGIN PASSWORD 'lifeboat'");
        }
      }
      try (ResultSet db =
          sql.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'lifeboat'")) {
        if (!db.next()) {
          sql.execute("CREATE DATABASE lifeboat OWNER lifeboat");
        }
      }
    }
    String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/lifeboat";
    Files.writeString(Path.of(args[2]), url);
    System.out.println("PostgreSQL serves " + url + ", data in " + data);
    Thread.currentThread().join();
  }
}
