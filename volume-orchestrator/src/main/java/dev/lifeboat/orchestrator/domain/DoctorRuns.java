package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.doctor.ClusterSnapshotTaken;
import dev.lifeboat.events.doctor.DoctorMessage;
import dev.lifeboat.events.doctor.DoctorReport;
import dev.lifeboat.events.doctor.DoctorRunRequested;
import dev.lifeboat.events.doctor.Finding;
import dev.lifeboat.events.doctor.Headroom;
import dev.lifeboat.events.doctor.HetznerSnapshotTaken;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The doctor's runs as the owner of the {@code doctor} partition sees them (docs/doctor.md): it
 * reads every doctor message in order, asks for a run when the interval has passed since the last
 * one asked for, and once both sides have answered a run, reports what {@link Doctor} finds,
 * counting from the last report's findings. A run whose side failed, or did not answer in time, is
 * reported failed. Pure: it reads messages and the time and says what to send.
 *
 * <p>What it knows comes from the topic alone, so a new owner that reads the last records back
 * knows as much as the one before: when the last run was asked for, which runs are open, and what
 * the last report found.
 */
public final class DoctorRuns {

  private final Doctor doctor;
  private final Duration interval;
  private final Duration answerWithin;
  private final Map<String, Run> open = new LinkedHashMap<>();
  private Instant lastAsked;
  private DoctorReport lastCompared;

  /**
   * @param doctor the comparison
   * @param interval how often a run is asked for; zero asks for none (runs only on request)
   * @param answerWithin how long a run waits for both sides before it is reported failed
   */
  public DoctorRuns(Doctor doctor, Duration interval, Duration answerWithin) {
    this.doctor = doctor;
    this.interval = interval;
    this.answerWithin = answerWithin;
  }

  /** A run asked for and what has answered it so far. */
  private static final class Run {
    final DoctorRunRequested request;
    ClusterSnapshotTaken cluster;
    HetznerSnapshotTaken hetzner;

    Run(DoctorRunRequested request) {
      this.request = request;
    }

    boolean answered() {
      return cluster != null && hetzner != null;
    }

    Optional<String> failure() {
      if (cluster != null && cluster.failure() != null) {
        return Optional.of("node-watcher: " + cluster.failure());
      }
      if (hetzner != null && hetzner.failure() != null) {
        return Optional.of("hcloud-adapter: " + hetzner.failure());
      }
      return Optional.empty();
    }
  }

  /** Takes a message of the topic into account; sends nothing. */
  public void read(DoctorMessage message) {
    if (message instanceof DoctorRunRequested request) {
      open.putIfAbsent(request.runId(), new Run(request));
      if (lastAsked == null || request.occurredAt().isAfter(lastAsked)) {
        lastAsked = request.occurredAt();
      }
    } else if (message instanceof ClusterSnapshotTaken cluster) {
      Run run = open.get(cluster.runId());
      if (run != null) {
        run.cluster = cluster;
      }
    } else if (message instanceof HetznerSnapshotTaken hetzner) {
      Run run = open.get(hetzner.runId());
      if (run != null) {
        run.hetzner = hetzner;
      }
    } else if (message instanceof DoctorReport report) {
      open.remove(report.runId());
      if (report.compared()) {
        lastCompared = report;
      }
    }
  }

  /**
   * What to send now: a report for every open run that is answered, failed or past its time, and a
   * new run when the interval has passed. Every message returned has been read as well: the runs
   * reported are closed, and the run asked for is open.
   *
   * @param busy what running incidents hold, asked only when a run is compared
   */
  public List<DoctorMessage> due(Instant now, Supplier<Doctor.Busy> busy) {
    List<DoctorMessage> out = new ArrayList<>();
    for (Run run : List.copyOf(open.values())) {
      Optional<String> failure = run.failure();
      if (failure.isPresent()) {
        out.add(failed(run, now, failure.get()));
      } else if (run.answered()) {
        out.add(compared(run, now, busy.get()));
      } else if (!run.request.occurredAt().plus(answerWithin).isAfter(now)) {
        out.add(failed(run, now, "no answer within " + answerWithin + " from " + silent(run)));
      }
    }
    if (!interval.isZero() && (lastAsked == null || !lastAsked.plus(interval).isAfter(now))) {
      out.add(ask(now, "schedule"));
    }
    out.forEach(this::read);
    return out;
  }

  /** A run asked for now, already read. */
  public DoctorRunRequested ask(Instant now, String requestedBy) {
    DoctorRunRequested request =
        new DoctorRunRequested(
            MessageIds.random(), DoctorMessage.KEY, now, MessageIds.random(), requestedBy);
    read(request);
    return request;
  }

  /** The last report that compared the two sides; empty before any. */
  public Optional<DoctorReport> lastCompared() {
    return Optional.ofNullable(lastCompared);
  }

  private DoctorReport compared(Run run, Instant now, Doctor.Busy busy) {
    List<Finding> previous = new ArrayList<>();
    if (lastCompared != null) {
      previous.addAll(lastCompared.findings());
      previous.addAll(lastCompared.settling());
    }
    Doctor.Examination examination =
        doctor.examine(run.cluster.snapshot(), run.hetzner.snapshot(), busy, previous);
    return report(
        run, now, examination.findings(), examination.settling(), examination.headroom(), null);
  }

  private static DoctorReport failed(Run run, Instant now, String why) {
    return report(run, now, List.of(), List.of(), null, why);
  }

  private static DoctorReport report(
      Run run,
      Instant now,
      List<Finding> findings,
      List<Finding> settling,
      Headroom headroom,
      String failure) {
    return new DoctorReport(
        MessageIds.derived("doctor-report", run.request.runId()),
        DoctorMessage.KEY,
        now,
        run.request.runId(),
        run.request.requestedBy(),
        findings,
        settling,
        headroom,
        failure);
  }

  private static String silent(Run run) {
    List<String> silent = new ArrayList<>();
    if (run.cluster == null) {
      silent.add("node-watcher");
    }
    if (run.hetzner == null) {
      silent.add("hcloud-adapter");
    }
    return String.join(" and ", silent);
  }
}
