package dev.lifeboat.audit.persistence;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.codec.MessageTypes;
import dev.lifeboat.events.codec.ReadResult;
import dev.lifeboat.events.doctor.DoctorMessage;
import dev.lifeboat.events.doctor.DoctorReport;
import dev.lifeboat.events.doctor.RepairAnswered;
import dev.lifeboat.events.inventory.InventoryReport;
import dev.lifeboat.events.permit.BudgetReported;
import dev.lifeboat.service.Arrivals;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.jboss.logging.Logger;

/**
 * Stores a batch of records and brings the projections of the incidents they touch up to date, in
 * one transaction. Every message is stored once (by message id and by topic, partition and offset),
 * so a redelivery or a replay adds nothing and changes no projection.
 */
@ApplicationScoped
public class Ingest {

  private static final Logger LOG = Logger.getLogger(Ingest.class);

  /**
   * What came of a batch.
   *
   * @param stored messages stored for the first time
   * @param duplicates messages already stored
   * @param rejected records that are not messages of the contract, with why
   */
  public record Outcome(int stored, int duplicates, List<Rejected> rejected) {}

  /** A record refused, and why. */
  public record Rejected(RawRecord record, String reason) {}

  private final DataSource dataSource;
  private final MeterRegistry registry;
  private final Arrivals arrivals;

  Ingest(DataSource dataSource, MeterRegistry registry, Arrivals arrivals) {
    this.dataSource = dataSource;
    this.registry = registry;
    this.arrivals = arrivals;
  }

  /**
   * Stores the records and re-derives the projections of the incidents they belong to; the
   * adapter's budget reports belong to no incident and are not stored. While the database does not
   * answer (restarting, failing over), the batch is tried again for up to four minutes, backing off
   * to 10 s between tries, before the failure reaches the consumer: storing is idempotent.
   */
  @Retry(maxRetries = -1, delay = 500, jitter = 250, maxDuration = 240_000)
  @ExponentialBackoff(factor = 2, maxDelay = 10_000)
  public Outcome store(List<RawRecord> records) {
    int stored = 0;
    int duplicates = 0;
    List<Rejected> rejected = new ArrayList<>();
    // In a fixed order: the per-incident locks of two batches are taken in the same order.
    Set<String> touched = new TreeSet<>();
    try (Connection db = dataSource.getConnection()) {
      db.setAutoCommit(false);
      try (PreparedStatement insert =
          db.prepareStatement(
              "insert into message (message_id, topic, kafka_partition, kafka_offset,"
                  + " incident_id, type, occurred_at, headers, payload)"
                  + " values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?) on conflict do nothing")) {
        for (RawRecord record : records) {
          ReadResult read = arrivals.read(record.topic(), record.headers(), record.value());
          if (read instanceof ReadResult.NotRead notRead) {
            rejected.add(new Rejected(record, notRead.unreadable().describe()));
            continue;
          }
          LifeboatMessage message = ((ReadResult.Read) read).message();
          if (message instanceof DoctorReport report) {
            DoctorReports.store(db, report, record.value());
            registry.counter("lifeboat.audit.messages.stored", "topic", record.topic()).increment();
            continue;
          }
          if (message instanceof RepairAnswered answer) {
            DoctorRepairs.store(db, answer, record.value());
            registry.counter("lifeboat.audit.messages.stored", "topic", record.topic()).increment();
            continue;
          }
          if (message instanceof BudgetReported
              || message instanceof InventoryReport
              || message instanceof DoctorMessage) {
            // No incident's: the budget while it is short, every 5 s (its effect is on each
            // incident's timeline: flow slots refused "of the limit of N"), and a node's
            // inventory (not subscribed to; read by a replay only if asked), and the doctor's
            // requests and snapshots (its reports and repair answers are kept, above). They stay on
            // their topics.
            registry
                .counter("lifeboat.audit.messages.skipped", "topic", record.topic())
                .increment();
            continue;
          }
          insert.setString(1, message.messageId());
          insert.setString(2, record.topic());
          insert.setInt(3, record.partition());
          insert.setLong(4, record.offset());
          insert.setString(5, message.incidentId());
          String type = MessageTypes.typeOf(message.getClass());
          insert.setString(6, type);
          insert.setTimestamp(7, Timestamp.from(message.occurredAt()));
          insert.setString(8, Projections.json(StoredText.textHeaders(record.headers())));
          insert.setString(9, new String(record.value(), StandardCharsets.UTF_8));
          if (insert.executeUpdate() == 1) {
            stored++;
            touched.add(message.incidentId());
            registry.counter("lifeboat.audit.messages.stored", "topic", record.topic()).increment();
          } else {
            duplicates++;
            registry
                .counter("lifeboat.audit.messages.duplicate", "topic", record.topic())
                .increment();
          }
        }
      }
      for (String incidentId : touched) {
        reproject(db, incidentId);
      }
      db.commit();
    } catch (SQLException e) {
      throw new IllegalStateException("storing " + records.size() + " records failed", e);
    }
    return new Outcome(stored, duplicates, rejected);
  }

  /** Drops every projection and derives them again from the stored messages. */
  public int rebuild() {
    try (Connection db = dataSource.getConnection()) {
      db.setAutoCommit(false);
      try (var statement = db.createStatement()) {
        statement.executeUpdate("delete from incident");
        statement.executeUpdate("delete from volume_failover");
        statement.executeUpdate("delete from step");
        statement.executeUpdate("delete from command");
      }
      List<String> incidents = new ArrayList<>();
      try (var statement = db.createStatement();
          var rows = statement.executeQuery("select distinct incident_id from message")) {
        while (rows.next()) {
          incidents.add(rows.getString(1));
        }
      }
      incidents.sort(null); // the order ingest takes the per-incident locks in
      for (String incidentId : incidents) {
        reproject(db, incidentId);
      }
      db.commit();
      return incidents.size();
    } catch (SQLException e) {
      throw new IllegalStateException("rebuild failed", e);
    }
  }

  private void reproject(Connection db, String incidentId) {
    try (var savepoint = new Savepoint(db)) {
      // One transaction at a time re-derives an incident, and it does so after the one before it
      // committed: without the lock, two batches storing messages of the same incident at once
      // each derive it without the other's messages, and the last to commit wins.
      try (PreparedStatement lock =
          db.prepareStatement("select pg_advisory_xact_lock(hashtext(?))")) {
        lock.setString(1, incidentId);
        lock.execute();
      }
      Projections.reproject(db, incidentId);
      savepoint.release();
    } catch (SQLException | RuntimeException e) {
      // The messages stay stored; only this incident's projection is behind until a rebuild.
      registry.counter("lifeboat.audit.projection.errors").increment();
      LOG.errorf(e, "projection of incident %s failed", incidentId);
    }
  }

  /** A savepoint rolled back unless released, so one bad projection spoils no batch. */
  private static final class Savepoint implements AutoCloseable {
    private final Connection db;
    private final java.sql.Savepoint point;
    private boolean released;

    Savepoint(Connection db) throws SQLException {
      this.db = db;
      this.point = db.setSavepoint();
    }

    void release() throws SQLException {
      db.releaseSavepoint(point);
      released = true;
    }

    @Override
    public void close() throws SQLException {
      if (!released) {
        db.rollback(point);
      }
    }
  }
}
