package dev.lifeboat.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class EmbeddedDatabaseTest {

  @Test
  void realPostgresql17StoresAndReturnsRows() throws Exception {
    try (Connection connection =
            DriverManager.getConnection(EmbeddedDatabase.jdbcUrl(), "postgres", "postgres");
        Statement statement = connection.createStatement()) {
      statement.execute("create table if not exists probe (id bigint primary key, body jsonb)");
      statement.execute(
          "insert into probe values (1, '{\"volume\": 100123}') on conflict (id) do nothing");

      try (ResultSet version = statement.executeQuery("show server_version")) {
        version.next();
        assertThat(version.getString(1)).startsWith("17.");
      }
      try (ResultSet rows =
          statement.executeQuery("select body->>'volume' from probe where id = 1")) {
        rows.next();
        assertThat(rows.getString(1)).isEqualTo("100123");
      }
    }
  }

  @Test
  void resourceHandsTheServerToQuarkusAsItsDatasource() {
    var config = new PostgresResource().start();

    assertThat(config)
        .containsEntry("quarkus.datasource.db-kind", "postgresql")
        .containsEntry("quarkus.datasource.jdbc.url", EmbeddedDatabase.jdbcUrl());
  }
}
