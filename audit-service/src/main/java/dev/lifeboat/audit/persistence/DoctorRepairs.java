package dev.lifeboat.audit.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lifeboat.events.codec.MessageCodec;
import dev.lifeboat.events.doctor.RepairAnswered;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The answers to the repairs people asked of the doctor (docs/doctor.md): one row per repair,
 * stored once however often the answer is delivered, so that every replica of the audit can answer
 * the request that waits for it.
 */
@ApplicationScoped
public class DoctorRepairs {

  private final DataSource dataSource;

  DoctorRepairs(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Stores an answer in the ingest's transaction; a repair already answered is left as it is. */
  static void store(Connection db, RepairAnswered answer, byte[] payload) throws SQLException {
    try (PreparedStatement insert =
        db.prepareStatement(
            "insert into doctor_repair (repair_id, message_id, occurred_at, finding_id, verdict,"
                + " repair_incident_id, payload) values (?, ?, ?, ?, ?, ?, ?::jsonb)"
                + " on conflict do nothing")) {
      insert.setString(1, answer.repairId());
      insert.setString(2, answer.messageId());
      insert.setTimestamp(3, Timestamp.from(answer.occurredAt()));
      insert.setString(4, answer.findingId());
      insert.setString(5, answer.verdict().name());
      insert.setString(6, answer.repairIncidentId());
      insert.setString(7, new String(payload, StandardCharsets.UTF_8));
      insert.executeUpdate();
    }
  }

  /** The answer to a repair, once it is stored. */
  public Optional<RepairAnswered> ofRepair(String repairId) {
    try (Connection db = dataSource.getConnection();
        PreparedStatement select =
            db.prepareStatement("select payload from doctor_repair where repair_id = ?")) {
      select.setString(1, repairId);
      try (var rows = select.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        return Optional.of(
            MessageCodec.mapper().readValue(rows.getString(1), RepairAnswered.class));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading doctor repairs failed", e);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored repair answer cannot be read", e);
    }
  }

  /** Deletes the answers older than the cutoff (the sagas' timelines are kept with incidents). */
  public int deleteOlderThan(Instant cutoff) {
    try (Connection db = dataSource.getConnection();
        PreparedStatement delete =
            db.prepareStatement("delete from doctor_repair where occurred_at < ?")) {
      delete.setTimestamp(1, Timestamp.from(cutoff));
      return delete.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("deleting old repair answers failed", e);
    }
  }
}
