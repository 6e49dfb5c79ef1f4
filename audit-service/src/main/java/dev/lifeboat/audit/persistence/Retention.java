package dev.lifeboat.audit.persistence;

import dev.lifeboat.audit.config.AuditConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Deletes incidents whose last message is older than the retention: their messages and every
 * projection row, in one transaction, so what remains is consistent; and the doctor's reports older
 * than the retention, but for the latest that compared both sides.
 */
@ApplicationScoped
public class Retention {

  private static final Logger LOG = Logger.getLogger(Retention.class);

  private final DataSource dataSource;
  private final AuditConfig config;
  private final Clock clock;

  private final DoctorReports doctorReports;
  private final DoctorRepairs doctorRepairs;

  Retention(
      DataSource dataSource,
      AuditConfig config,
      Clock clock,
      DoctorReports doctorReports,
      DoctorRepairs doctorRepairs) {
    this.dataSource = dataSource;
    this.config = config;
    this.clock = clock;
    this.doctorReports = doctorReports;
    this.doctorRepairs = doctorRepairs;
  }

  @Scheduled(
      every = "${lifeboat.audit.retention-check}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    int deleted = run();
    if (deleted > 0) {
      LOG.infof("deleted %d incidents older than %s", deleted, config.retention());
    }
    int reports = doctorReports.deleteOlderThan(clock.instant().minus(config.retention()));
    if (reports > 0) {
      LOG.infof("deleted %d doctor reports older than %s", reports, config.retention());
    }
    int repairs = doctorRepairs.deleteOlderThan(clock.instant().minus(config.retention()));
    if (repairs > 0) {
      LOG.infof("deleted %d repair answers older than %s", repairs, config.retention());
    }
  }

  /** Deletes old incidents now; returns how many. */
  public int run() {
    Timestamp cutoff = Timestamp.from(clock.instant().minus(config.retention()));
    try (Connection db = dataSource.getConnection()) {
      db.setAutoCommit(false);
      List<String> old = new ArrayList<>();
      try (PreparedStatement select =
          db.prepareStatement(
              "select incident_id from message group by incident_id having max(occurred_at) < ?")) {
        select.setTimestamp(1, cutoff);
        try (var rows = select.executeQuery()) {
          while (rows.next()) {
            old.add(rows.getString(1));
          }
        }
      }
      for (String incidentId : old) {
        Projections.delete(db, incidentId);
        try (PreparedStatement delete =
            db.prepareStatement("delete from message where incident_id = ?")) {
          delete.setString(1, incidentId);
          delete.executeUpdate();
        }
      }
      db.commit();
      return old.size();
    } catch (SQLException e) {
      throw new IllegalStateException("retention failed", e);
    }
  }
}
