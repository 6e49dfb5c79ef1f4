package dev.lifeboat.audit.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lifeboat.events.codec.MessageCodec;
import dev.lifeboat.events.doctor.DoctorReport;
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
 * The doctor's reports as the audit keeps them (docs/doctor.md): one row per run, stored once
 * however often the report is delivered, read back whole.
 */
@ApplicationScoped
public class DoctorReports {

  private final DataSource dataSource;

  DoctorReports(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Stores a report in the ingest's transaction; a run already stored is left as it is. */
  static void store(Connection db, DoctorReport report, byte[] payload) throws SQLException {
    try (PreparedStatement insert =
        db.prepareStatement(
            "insert into doctor_report (run_id, message_id, occurred_at, requested_by, compared,"
                + " payload) values (?, ?, ?, ?, ?, ?::jsonb) on conflict do nothing")) {
      insert.setString(1, report.runId());
      insert.setString(2, report.messageId());
      insert.setTimestamp(3, Timestamp.from(report.occurredAt()));
      insert.setString(4, report.requestedBy());
      insert.setBoolean(5, report.compared());
      insert.setString(6, new String(payload, StandardCharsets.UTF_8));
      insert.executeUpdate();
    }
  }

  /** The latest report, compared or failed. */
  public Optional<DoctorReport> latest() {
    return one("select payload from doctor_report order by occurred_at desc limit 1", null);
  }

  /** The latest report that compared both sides. */
  public Optional<DoctorReport> latestCompared() {
    return one(
        "select payload from doctor_report where compared order by occurred_at desc limit 1", null);
  }

  /** The report of a run, once it is stored. */
  public Optional<DoctorReport> ofRun(String runId) {
    return one("select payload from doctor_report where run_id = ?", runId);
  }

  /** Deletes the reports older than the cutoff, but never the latest compared one. */
  public int deleteOlderThan(Instant cutoff) {
    try (Connection db = dataSource.getConnection();
        PreparedStatement delete =
            db.prepareStatement(
                "delete from doctor_report where occurred_at < ? and run_id not in (select run_id"
                    + " from doctor_report where compared order by occurred_at desc limit 1)")) {
      delete.setTimestamp(1, Timestamp.from(cutoff));
      return delete.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("deleting old doctor reports failed", e);
    }
  }

  private Optional<DoctorReport> one(String sql, String parameter) {
    try (Connection db = dataSource.getConnection();
        PreparedStatement select = db.prepareStatement(sql)) {
      if (parameter != null) {
        select.setString(1, parameter);
      }
      try (var rows = select.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        return Optional.of(MessageCodec.mapper().readValue(rows.getString(1), DoctorReport.class));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading doctor reports failed", e);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored doctor report cannot be read", e);
    }
  }
}
