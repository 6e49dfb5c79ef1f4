package dev.lifeboat.audit.persistence;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.audit.domain.Entry;
import dev.lifeboat.audit.domain.IncidentProjection;
import dev.lifeboat.audit.domain.IncidentProjection.CommandRow;
import dev.lifeboat.audit.domain.IncidentProjection.Failure;
import dev.lifeboat.audit.domain.IncidentProjection.Incident;
import dev.lifeboat.audit.domain.IncidentProjection.StepRow;
import dev.lifeboat.audit.domain.IncidentProjection.Volume;
import dev.lifeboat.events.codec.MessageCodec;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Reads the projections and the stored messages for the API. */
@ApplicationScoped
public class Queries {

  private static final ObjectMapper JSON = MessageCodec.mapper();

  private final DataSource dataSource;

  Queries(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * A page of incidents, newest first.
   *
   * @param total how many match
   */
  public record Page(List<Incident> items, int page, int size, long total) {}

  /** A volume's failover in one incident, for its history. */
  public record VolumeEvent(Volume failover, Incident incident) {}

  /** A dead letter as stored. */
  public record DeadLetter(
      long seq, String originalTopic, String reason, String key, Instant storedAt) {}

  /** Incidents (and removals) matching the filters, newest first. */
  public Page incidents(
      String kind, String node, String status, Instant from, Instant to, int page, int size) {
    StringBuilder where = new StringBuilder(" where true");
    List<Object> args = new ArrayList<>();
    if (kind != null) {
      where.append(" and kind = ?");
      args.add(kind.toLowerCase(java.util.Locale.ROOT));
    }
    if (node != null) {
      where.append(" and node = ?");
      args.add(node);
    }
    if (status != null) {
      where.append(" and status = ?");
      args.add(status.toUpperCase(java.util.Locale.ROOT));
    }
    if (from != null) {
      where.append(" and first_seen_at >= ?");
      args.add(Timestamp.from(from));
    }
    if (to != null) {
      where.append(" and first_seen_at < ?");
      args.add(Timestamp.from(to));
    }
    return query(
        db -> {
          long total;
          try (PreparedStatement count =
              db.prepareStatement("select count(*) from incident" + where)) {
            bind(count, args);
            try (ResultSet rows = count.executeQuery()) {
              rows.next();
              total = rows.getLong(1);
            }
          }
          List<Incident> items = new ArrayList<>();
          try (PreparedStatement select =
              db.prepareStatement(
                  "select * from incident"
                      + where
                      + " order by first_seen_at desc nulls last, incident_id limit ? offset ?")) {
            List<Object> paged = new ArrayList<>(args);
            paged.add(size);
            paged.add(page * size);
            bind(select, paged);
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                items.add(incident(rows));
              }
            }
          }
          return new Page(items, page, size, total);
        });
  }

  /** The projection of an incident, if it is known. */
  public Optional<IncidentProjection> incident(String incidentId) {
    return query(
        db -> {
          Incident incident;
          try (PreparedStatement select =
              db.prepareStatement("select * from incident where incident_id = ?")) {
            select.setString(1, incidentId);
            try (ResultSet rows = select.executeQuery()) {
              if (!rows.next()) {
                return Optional.empty();
              }
              incident = incident(rows);
            }
          }
          List<Volume> volumes = new ArrayList<>();
          try (PreparedStatement select =
              db.prepareStatement(
                  "select * from volume_failover where incident_id = ? order by volume_id")) {
            select.setString(1, incidentId);
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                volumes.add(volume(rows));
              }
            }
          }
          List<StepRow> steps = new ArrayList<>();
          try (PreparedStatement select =
              db.prepareStatement(
                  "select * from step where incident_id = ?"
                      + " order by volume_id, started_at nulls last, step")) {
            select.setString(1, incidentId);
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                steps.add(step(rows));
              }
            }
          }
          List<CommandRow> commands = new ArrayList<>();
          try (PreparedStatement select =
              db.prepareStatement(
                  "select * from command where incident_id = ? order by sent_at, command_id")) {
            select.setString(1, incidentId);
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                commands.add(command(rows));
              }
            }
          }
          return Optional.of(new IncidentProjection(incident, volumes, steps, commands));
        });
  }

  /** The stored messages of an incident. */
  public List<Entry> entries(String incidentId) {
    return query(db -> Projections.entries(db, incidentId));
  }

  /** Every failover of a volume, newest first. */
  public List<VolumeEvent> volumeHistory(long volumeId) {
    return query(
        db -> {
          List<VolumeEvent> events = new ArrayList<>();
          try (PreparedStatement select =
              db.prepareStatement(
                  "select v.*, i.* from volume_failover v join incident i using (incident_id)"
                      + " where v.volume_id = ? order by i.first_seen_at desc")) {
            select.setLong(1, volumeId);
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                events.add(new VolumeEvent(volume(rows), incident(rows)));
              }
            }
          }
          return events;
        });
  }

  /** The latest dead letters. */
  public List<DeadLetter> deadLetters(int limit) {
    return query(
        db -> {
          List<DeadLetter> letters = new ArrayList<>();
          try (PreparedStatement select =
              db.prepareStatement(
                  "select seq, original_topic, reason, record_key, stored_at from dead_letter"
                      + " order by seq desc limit ?")) {
            select.setInt(1, limit);
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                letters.add(
                    new DeadLetter(
                        rows.getLong(1),
                        rows.getString(2),
                        rows.getString(3),
                        rows.getString(4),
                        rows.getTimestamp(5).toInstant()));
              }
            }
          }
          return letters;
        });
  }

  /** Row counts of every table, to compare stores. */
  public java.util.Map<String, Long> counts() {
    return query(
        db -> {
          java.util.Map<String, Long> counts = new java.util.TreeMap<>();
          for (String table :
              List.of("message", "dead_letter", "incident", "volume_failover", "step", "command")) {
            try (var statement = db.createStatement();
                var rows = statement.executeQuery("select count(*) from " + table)) {
              rows.next();
              counts.put(table, rows.getLong(1));
            }
          }
          return counts;
        });
  }

  // ---- mapping ---------------------------------------------------------------------------------

  private static Incident incident(ResultSet r) throws SQLException {
    return new Incident(
        r.getString("incident_id"),
        r.getString("kind"),
        r.getString("node"),
        r.getLong("server_id"),
        r.getString("location"),
        r.getString("reason"),
        r.getString("status"),
        instant(r, "first_seen_at"),
        instant(r, "detected_at"),
        instant(r, "fenced_at"),
        instant(r, "emptied_at"),
        instant(r, "ended_at"),
        instant(r, "last_pod_ready_at"),
        r.getInt("volumes_total"),
        r.getInt("volumes_moved"),
        r.getInt("messages"));
  }

  private static Volume volume(ResultSet r) throws SQLException {
    return new Volume(
        r.getString("incident_id"),
        r.getLong("volume_id"),
        r.getString("persistent_volume"),
        r.getString("claim"),
        r.getString("location"),
        r.getString("status"),
        r.getString("target_node"),
        r.getLong("target_server"),
        r.getString("failure_step"),
        r.getString("failure_reason"),
        r.getString("failure_detail"),
        instant(r, "started_at"),
        instant(r, "ended_at"));
  }

  private static StepRow step(ResultSet r) throws SQLException {
    List<Failure> failures;
    try {
      failures = JSON.readValue(r.getString("failures"), new TypeReference<>() {});
    } catch (java.io.IOException e) {
      throw new SQLException("stored failures are not JSON", e);
    }
    return new StepRow(
        r.getString("incident_id"),
        r.getLong("volume_id"),
        r.getString("step"),
        r.getString("status"),
        instant(r, "started_at"),
        instant(r, "ended_at"),
        r.getInt("attempts"),
        r.getString("error_code"),
        r.getString("error"),
        failures);
  }

  private static CommandRow command(ResultSet r) throws SQLException {
    long volume = r.getLong("volume_id");
    Long volumeId = r.wasNull() ? null : volume;
    long latency = r.getLong("latency_ms");
    Long latencyMillis = r.wasNull() ? null : latency;
    return new CommandRow(
        r.getString("command_id"),
        r.getString("incident_id"),
        r.getString("type"),
        r.getString("service"),
        volumeId,
        instant(r, "sent_at"),
        r.getString("outcome"),
        r.getString("detail"),
        instant(r, "result_at"),
        latencyMillis);
  }

  private static Instant instant(ResultSet r, String column) throws SQLException {
    Timestamp t = r.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }

  private static void bind(PreparedStatement statement, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      statement.setObject(i + 1, args.get(i));
    }
  }

  /** Work on a connection. */
  private interface Work<T> {
    T run(Connection db) throws SQLException;
  }

  private <T> T query(Work<T> work) {
    try (Connection db = dataSource.getConnection()) {
      return work.run(db);
    } catch (SQLException e) {
      throw new IllegalStateException("query failed: " + e.getMessage(), e);
    }
  }
}
