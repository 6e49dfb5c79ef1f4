package dev.lifeboat.audit.persistence;

import dev.lifeboat.service.DeadLetters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * Stores dead letters once each (by topic, partition and offset), and counts them ({@value
 * #STORED}, at 0 from the start, for the alert on dead letters growing).
 */
@Startup
@ApplicationScoped
public class DeadLetterStore {

  /** Counter of dead letters stored (each once). */
  public static final String STORED = "lifeboat.audit.dead.letters";

  private final DataSource dataSource;
  private final Counter stored;

  DeadLetterStore(DataSource dataSource, MeterRegistry registry) {
    this.dataSource = dataSource;
    this.stored =
        Counter.builder(STORED)
            .description("dead letters stored, from every service and topic")
            .register(registry);
  }

  /**
   * Stores a dead letter with where it came from and why it was refused, as the bytes it was: key
   * and payload as bytes, headers that are not text as base64 ({@link StoredText}); nothing in it
   * can make the insert fail. While the database does not answer, tried again as {@link
   * Ingest#store} is (the insert is idempotent).
   */
  @Retry(maxRetries = -1, delay = 500, jitter = 250, maxDuration = 240_000)
  @ExponentialBackoff(factor = 2, maxDelay = 10_000)
  public void store(DeadRecord record) {
    try (Connection db = dataSource.getConnection();
        PreparedStatement insert =
            db.prepareStatement(
                "insert into dead_letter (topic, kafka_partition, kafka_offset, original_topic,"
                    + " reason, record_key, record_key_bytes, headers, payload)"
                    + " values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?) on conflict do nothing")) {
      insert.setString(1, record.topic());
      insert.setInt(2, record.partition());
      insert.setLong(3, record.offset());
      insert.setString(4, record.headerText(DeadLetters.TOPIC));
      insert.setString(5, record.headerText(DeadLetters.REASON));
      insert.setString(6, StoredText.of(record.key()).orElse(StoredText.display(record.key())));
      insert.setBytes(7, record.key());
      insert.setString(8, Projections.json(StoredText.headers(record.headers())));
      insert.setBytes(9, record.value());
      if (insert.executeUpdate() == 1) {
        stored.increment();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("storing a dead letter failed", e);
    }
  }
}
