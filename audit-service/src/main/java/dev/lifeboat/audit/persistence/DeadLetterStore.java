package dev.lifeboat.audit.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Stores dead letters once each (by topic, partition and offset). */
@ApplicationScoped
public class DeadLetterStore {

  private final DataSource dataSource;

  DeadLetterStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Stores a dead letter with where it came from and why it was refused. */
  public void store(RawRecord record, String originalTopic, String reason) {
    try (Connection db = dataSource.getConnection();
        PreparedStatement insert =
            db.prepareStatement(
                "insert into dead_letter (topic, kafka_partition, kafka_offset, original_topic,"
                    + " reason, record_key, headers, payload)"
                    + " values (?, ?, ?, ?, ?, ?, ?::jsonb, ?) on conflict do nothing")) {
      insert.setString(1, record.topic());
      insert.setInt(2, record.partition());
      insert.setLong(3, record.offset());
      insert.setString(4, originalTopic);
      insert.setString(5, reason);
      insert.setString(6, record.key());
      insert.setString(7, Projections.json(record.headers()));
      insert.setBytes(8, record.value());
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("storing a dead letter failed", e);
    }
  }
}
