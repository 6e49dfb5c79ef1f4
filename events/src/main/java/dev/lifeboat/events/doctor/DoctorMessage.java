package dev.lifeboat.events.doctor;

import dev.lifeboat.events.LifeboatMessage;

/**
 * A doctor run's messages (docs/doctor.md), on topic {@code doctor}: a run asked for, the two
 * snapshots that answer it, and the report. All carry the key {@link #KEY}, so that they stand on
 * one partition in the order they were sent and one orchestrator instance, that partition's owner,
 * examines every run and knows the one before.
 */
public sealed interface DoctorMessage extends LifeboatMessage
    permits DoctorRunRequested,
        ClusterSnapshotTaken,
        HetznerSnapshotTaken,
        DoctorReport,
        RepairAsked,
        RepairAnswered {

  /** The key (and {@code incidentId}) of every doctor message. */
  String KEY = "doctor";

  /** The run the message belongs to. */
  String runId();
}
