package dev.lifeboat.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Quarkus test resource: the test JVM's real PostgreSQL ({@link EmbeddedDatabase}), handed to the
 * application as its default JDBC datasource.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

  @Override
  public Map<String, String> start() {
    return Map.of(
        "quarkus.datasource.db-kind", "postgresql",
        "quarkus.datasource.jdbc.url", EmbeddedDatabase.jdbcUrl(),
        "quarkus.datasource.username", "postgres",
        "quarkus.datasource.password", "postgres",
        "quarkus.datasource.devservices.enabled", "false");
  }

  @Override
  public void stop() {
    // The server serves every test of this JVM; it stops with the JVM.
  }
}
