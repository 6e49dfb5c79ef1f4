package dev.lifeboat.audit.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.audit.domain.Entry;
import dev.lifeboat.audit.domain.IncidentProjection;
import dev.lifeboat.audit.domain.IncidentProjection.CommandRow;
import dev.lifeboat.audit.domain.IncidentProjection.StepRow;
import dev.lifeboat.audit.domain.IncidentProjection.Volume;
import dev.lifeboat.audit.domain.IncidentProjector;
import dev.lifeboat.events.codec.MessageCodec;
import dev.lifeboat.events.codec.ReadResult;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads an incident's stored messages and writes its projection rows, on a given connection. */
final class Projections {

  private static final ObjectMapper JSON = MessageCodec.mapper();

  private Projections() {}

  /** The stored messages of an incident, decoded. */
  static List<Entry> entries(Connection db, String incidentId) throws SQLException {
    List<Entry> entries = new ArrayList<>();
    try (PreparedStatement select =
        db.prepareStatement(
            "select seq, topic, headers, payload from message where incident_id = ? order by seq")) {
      select.setString(1, incidentId);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          ReadResult read =
              MessageCodec.read(
                  headers(rows.getString("headers")),
                  rows.getString("payload").getBytes(StandardCharsets.UTF_8));
          if (read instanceof ReadResult.Read ok) {
            entries.add(new Entry(rows.getLong("seq"), rows.getString("topic"), ok.message()));
          }
        }
      }
    }
    return entries;
  }

  /** Derives the incident's projection from its messages and replaces its rows. */
  static IncidentProjection reproject(Connection db, String incidentId) throws SQLException {
    IncidentProjection projection = IncidentProjector.project(incidentId, entries(db, incidentId));
    delete(db, incidentId);
    write(db, projection);
    return projection;
  }

  /** Removes the incident's projection rows. */
  static void delete(Connection db, String incidentId) throws SQLException {
    for (String table : List.of("incident", "volume_failover", "step", "command")) {
      try (PreparedStatement delete =
          db.prepareStatement("delete from " + table + " where incident_id = ?")) {
        delete.setString(1, incidentId);
        delete.executeUpdate();
      }
    }
  }

  private static void write(Connection db, IncidentProjection p) throws SQLException {
    var i = p.incident();
    try (PreparedStatement insert =
        db.prepareStatement(
            "insert into incident (incident_id, node, server_id, location, reason, status,"
                + " first_seen_at, detected_at, fenced_at, ended_at, last_pod_ready_at,"
                + " volumes_total, volumes_moved, messages, kind, emptied_at)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, i.incidentId());
      insert.setString(2, i.node());
      insert.setLong(3, i.serverId());
      insert.setString(4, i.location());
      insert.setString(5, i.reason());
      insert.setString(6, i.status());
      time(insert, 7, i.firstSeenAt());
      time(insert, 8, i.detectedAt());
      time(insert, 9, i.fencedAt());
      time(insert, 10, i.endedAt());
      time(insert, 11, i.lastPodReadyAt());
      insert.setInt(12, i.volumesTotal());
      insert.setInt(13, i.volumesMoved());
      insert.setInt(14, i.messages());
      insert.setString(15, i.kind());
      time(insert, 16, i.emptiedAt());
      insert.executeUpdate();
    }
    try (PreparedStatement insert =
        db.prepareStatement(
            "insert into volume_failover (incident_id, volume_id, persistent_volume, claim,"
                + " location, status, target_node, target_server, failure_step, failure_reason,"
                + " failure_detail, started_at, ended_at)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (Volume v : p.volumes()) {
        insert.setString(1, v.incidentId());
        insert.setLong(2, v.volumeId());
        insert.setString(3, v.persistentVolume());
        insert.setString(4, v.claim());
        insert.setString(5, v.location());
        insert.setString(6, v.status());
        insert.setString(7, v.targetNode());
        insert.setLong(8, v.targetServer());
        insert.setString(9, v.failureStep());
        insert.setString(10, v.failureReason());
        insert.setString(11, v.failureDetail());
        time(insert, 12, v.startedAt());
        time(insert, 13, v.endedAt());
        insert.addBatch();
      }
      insert.executeBatch();
    }
    try (PreparedStatement insert =
        db.prepareStatement(
            "insert into step (incident_id, volume_id, step, status, started_at, ended_at,"
                + " attempts, error_code, error, failures)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)")) {
      for (StepRow s : p.steps()) {
        insert.setString(1, s.incidentId());
        insert.setLong(2, s.volumeId());
        insert.setString(3, s.step());
        insert.setString(4, s.status());
        time(insert, 5, s.startedAt());
        time(insert, 6, s.endedAt());
        insert.setInt(7, s.attempts());
        insert.setString(8, s.errorCode());
        insert.setString(9, s.error());
        insert.setString(10, json(s.failures()));
        insert.addBatch();
      }
      insert.executeBatch();
    }
    try (PreparedStatement insert =
        db.prepareStatement(
            "insert into command (command_id, incident_id, type, service, volume_id, sent_at,"
                + " outcome, detail, result_at, latency_ms)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (command_id) do nothing")) {
      for (CommandRow c : p.commands()) {
        insert.setString(1, c.commandId());
        insert.setString(2, c.incidentId());
        insert.setString(3, c.type());
        insert.setString(4, c.service());
        if (c.volumeId() == null) {
          insert.setNull(5, Types.BIGINT);
        } else {
          insert.setLong(5, c.volumeId());
        }
        time(insert, 6, c.sentAt());
        insert.setString(7, c.outcome());
        insert.setString(8, c.detail());
        time(insert, 9, c.resultAt());
        if (c.latencyMillis() == null) {
          insert.setNull(10, Types.BIGINT);
        } else {
          insert.setLong(10, c.latencyMillis());
        }
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  static Map<String, String> headers(String json) {
    try {
      Map<String, String> headers = new LinkedHashMap<>();
      JSON.readTree(json)
          .fields()
          .forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
      return headers;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored headers are not JSON", e);
    }
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  static void time(PreparedStatement statement, int index, Instant at) throws SQLException {
    if (at == null) {
      statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      statement.setTimestamp(index, Timestamp.from(at));
    }
  }
}
