package dev.lifeboat.audit.api;

import dev.lifeboat.audit.persistence.DoctorReports;
import dev.lifeboat.events.doctor.DoctorReport;
import dev.lifeboat.events.doctor.FindingKind;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The doctor's findings as Prometheus gauges: {@code lifeboat_doctor_findings{kind=...}}, how many
 * findings of each kind the latest report that compared both sides holds, and {@code
 * lifeboat_doctor_report_timestamp_seconds}, when that report came (an alert on its age catches a
 * doctor that stopped running). Read from the store at most every {@link #FRESH}.
 */
@ApplicationScoped
public class DoctorGauges {

  private static final Logger LOG = Logger.getLogger(DoctorGauges.class);

  /** How long a read of the latest report is used before the store is read again. */
  static final Duration FRESH = Duration.ofSeconds(15);

  private final DoctorReports reports;
  private final MeterRegistry registry;
  private volatile Optional<DoctorReport> latest = Optional.empty();
  private volatile long readAt;

  DoctorGauges(DoctorReports reports, MeterRegistry registry) {
    this.reports = reports;
    this.registry = registry;
  }

  void start(@Observes StartupEvent startup) {
    for (FindingKind kind : FindingKind.values()) {
      Gauge.builder("lifeboat.doctor.findings", this, gauges -> gauges.count(kind))
          .description("Findings of the latest doctor report that compared both sides")
          .tag("kind", kind.name())
          .register(registry);
    }
    Gauge.builder("lifeboat.doctor.report.timestamp.seconds", this, DoctorGauges::reportedAt)
        .description("When the latest doctor report that compared both sides came (epoch)")
        .register(registry);
  }

  private double count(FindingKind kind) {
    return latest()
        .map(r -> r.findings().stream().filter(f -> f.kind() == kind).count())
        .orElse(0L);
  }

  private double reportedAt() {
    return latest().map(r -> r.occurredAt().getEpochSecond()).orElse(0L);
  }

  private Optional<DoctorReport> latest() {
    long now = System.nanoTime();
    if (readAt == 0 || now - readAt > FRESH.toNanos()) {
      try {
        latest = reports.latestCompared();
      } catch (RuntimeException e) {
        LOG.debugf("doctor gauges: the store did not answer (%s)", e.getMessage());
      }
      readAt = now;
    }
    return latest;
  }
}
