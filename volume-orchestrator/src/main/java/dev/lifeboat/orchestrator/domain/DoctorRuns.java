package dev.lifeboat.orchestrator.domain;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.doctor.ClusterSnapshotTaken;
import dev.lifeboat.events.doctor.DoctorMessage;
import dev.lifeboat.events.doctor.DoctorReport;
import dev.lifeboat.events.doctor.DoctorRunRequested;
import dev.lifeboat.events.doctor.Finding;
import dev.lifeboat.events.doctor.FindingKind;
import dev.lifeboat.events.doctor.Headroom;
import dev.lifeboat.events.doctor.HetznerSnapshotTaken;
import dev.lifeboat.events.doctor.RepairAnswered;
import dev.lifeboat.events.doctor.RepairAsked;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The doctor's runs as the owner of the {@code doctor} partition sees them (docs/doctor.md): it
 * reads every doctor message in order, asks for a run when the interval has passed since the last
 * one asked for, and once both sides have answered a run, reports what {@link Doctor} finds,
 * counting from the last report's findings. A run whose side failed, or did not answer in time, is
 * reported failed. A repair asked for is answered once its fresh run has ({@link RepairCheck}):
 * started as a saga, refused with what changed, or not checked when the run failed. Pure: it reads
 * messages and the time and says what to send.
 *
 * <p>What it knows comes from the topic alone, so a new owner that reads the last records back
 * knows as much as the one before: when the last run was asked for, which runs are open, and what
 * the last report found.
 */
public final class DoctorRuns {

  private final Doctor doctor;
  private final Duration interval;
  private final Duration answerWithin;
  private final Set<FindingKind> autoRepair;
  private final Map<String, Run> open = new LinkedHashMap<>();
  private final Map<String, RepairAsked> repairs = new LinkedHashMap<>();
  private Instant lastAsked;
  private DoctorReport lastCompared;

  /**
   * @param doctor the comparison
   * @param interval how often a run is asked for; zero asks for none (runs only on request)
   * @param answerWithin how long a run waits for both sides before it is reported failed
   */
  public DoctorRuns(Doctor doctor, Duration interval, Duration answerWithin) {
    this(doctor, interval, answerWithin, Set.of());
  }

  /**
   * @param autoRepair the kinds whose repair starts as soon as a run reports one, without a person
   *     asking (only kinds of {@link #REPAIRED_UNASKED})
   */
  public DoctorRuns(
      Doctor doctor, Duration interval, Duration answerWithin, Set<FindingKind> autoRepair) {
    this.doctor = doctor;
    this.interval = interval;
    this.answerWithin = answerWithin;
    this.autoRepair = Set.copyOf(autoRepair);
  }

  /**
   * The kinds whose repair may run unasked, if a setting says so: a detach or an attach (of kind 2
   * only the attach of a volume on no server; a move, kind 2's or kind 3's, runs only on request).
   */
  public static final Set<FindingKind> REPAIRED_UNASKED =
      Set.of(FindingKind.VOLUME_ON_SERVER_WITHOUT_NODE, FindingKind.ATTACHMENT_NOT_AT_HETZNER);

  /** Who the timeline names for a repair that no person asked for. */
  public static final String AUTO_REPAIR = "doctor (lifeboat.doctor.auto-repair)";

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
    } else if (message instanceof RepairAsked asked) {
      repairs.putIfAbsent(asked.repairId(), asked);
    } else if (message instanceof RepairAnswered answered) {
      repairs.remove(answered.repairId());
    } else if (message instanceof DoctorReport report) {
      open.remove(report.runId());
      if (report.compared()) {
        lastCompared = report;
      }
    }
  }

  /**
   * What to send now: a report for every open run that is answered, failed or past its time, each
   * preceded by the answers to the repairs asked on it (a repair that starts, by its saga's opening
   * too), and a new run when the interval has passed. Every doctor message returned has been read
   * as well: the runs reported are closed, the repairs answered, and the run asked for is open.
   *
   * @param busy what running incidents hold, asked only when a run is compared
   */
  public List<LifeboatMessage> due(Instant now, Supplier<Doctor.Busy> busy) {
    List<LifeboatMessage> out = new ArrayList<>();
    for (Run run : List.copyOf(open.values())) {
      Optional<String> failure = run.failure();
      if (failure.isPresent()) {
        answerUnchecked(run, now, failure.get(), out);
        out.add(failed(run, now, failure.get()));
      } else if (run.answered()) {
        Doctor.Busy held = busy.get();
        for (RepairAsked asked : repairsOf(run)) {
          out.addAll(
              RepairCheck.check(
                  doctor,
                  asked,
                  lastCompared,
                  run.cluster.snapshot(),
                  run.hetzner.snapshot(),
                  held,
                  now));
        }
        DoctorReport report = compared(run, now, held);
        // Repaired unasked: the finding has lasted and holds on this run's fresh snapshots.
        for (Finding finding : report.findings()) {
          if (autoRepair.contains(finding.kind())
              && finding.repair() != null
              && RepairCheck.UNASKED.contains(finding.repair().action())) {
            out.addAll(
                RepairCheck.start(
                    run.request.runId(),
                    MessageIds.derived("auto-repair", run.request.runId() + "/" + finding.id()),
                    finding,
                    AUTO_REPAIR,
                    run.cluster.snapshot(),
                    run.hetzner.snapshot(),
                    now));
          }
        }
        out.add(report);
      } else if (!run.request.occurredAt().plus(answerWithin).isAfter(now)) {
        String why = "no answer within " + answerWithin + " from " + silent(run);
        answerUnchecked(run, now, why, out);
        out.add(failed(run, now, why));
      }
    }
    for (RepairAsked asked : List.copyOf(repairs.values())) {
      // Its run was reported before the request was read (or never seen): it cannot be checked.
      if (!open.containsKey(asked.runId())
          && !asked.occurredAt().plus(answerWithin).isAfter(now)
          && out.stream().noneMatch(m -> answers(m, asked))) {
        out.add(RepairCheck.notChecked(asked, now, "its run " + asked.runId() + " is not open"));
      }
    }
    if (!interval.isZero() && (lastAsked == null || !lastAsked.plus(interval).isAfter(now))) {
      out.add(ask(now, "schedule"));
    }
    out.stream()
        .filter(DoctorMessage.class::isInstance)
        .map(DoctorMessage.class::cast)
        .forEach(this::read);
    return out;
  }

  private List<RepairAsked> repairsOf(Run run) {
    return repairs.values().stream()
        .filter(asked -> asked.runId().equals(run.request.runId()))
        .toList();
  }

  private void answerUnchecked(Run run, Instant now, String why, List<LifeboatMessage> out) {
    repairsOf(run).forEach(asked -> out.add(RepairCheck.notChecked(asked, now, why)));
  }

  private static boolean answers(LifeboatMessage message, RepairAsked asked) {
    return message instanceof RepairAnswered answered
        && answered.repairId().equals(asked.repairId());
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
