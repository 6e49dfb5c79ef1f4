package dev.lifeboat.adapter.messaging;

import dev.lifeboat.adapter.config.AdapterConfig;
import dev.lifeboat.adapter.hcloud.HcloudException;
import dev.lifeboat.adapter.hcloud.ProjectSnapshots;
import dev.lifeboat.adapter.hcloud.RateLimitBudget;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.doctor.DoctorMessage;
import dev.lifeboat.events.doctor.DoctorRunRequested;
import dev.lifeboat.events.doctor.HetznerSnapshotTaken;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Answers doctor runs with the Hetzner side (docs/doctor.md): the project's servers and volumes,
 * listed at the lowest call priority, or why they could not be read. One replica answers each run
 * (a consumer group of its own); a request older than {@link #TOO_OLD} is not answered, since the
 * orchestrator has reported that run failed already and the reading would spend the budget for
 * nothing. A reading that takes longer than {@code lifeboat.hcloud.doctor-read-within} (the budget
 * serving every other call first) is given up and answered with why, so that every request is
 * answered (and acknowledged) in time and its waiting calls are never sent. Records that cannot be
 * read are the audit service's to keep, and skipped here.
 */
@ApplicationScoped
@Startup // a wrong doctor-read-within stops the adapter at start, naming the key
public class DoctorListener {

  private static final Logger LOG = Logger.getLogger(DoctorListener.class);

  /** A request older than this is no longer answered. */
  static final Duration TOO_OLD = Duration.ofMinutes(2);

  private final ProjectSnapshots snapshots;
  private final RateLimitBudget budget;
  private final MutinyEmitter<LifeboatMessage> answers;
  private final Clock clock;
  private final Duration readWithin;

  DoctorListener(
      ProjectSnapshots snapshots,
      RateLimitBudget budget,
      @Channel(Channels.DOCTOR_ANSWERS) MutinyEmitter<LifeboatMessage> answers,
      Clock clock,
      AdapterConfig config) {
    this.snapshots = snapshots;
    this.budget = budget;
    this.answers = answers;
    this.clock = clock;
    this.readWithin = readWithin(config.doctorReadWithin());
  }

  /**
   * @throws IllegalStateException naming {@code lifeboat.hcloud.doctor-read-within} when it is not
   *     between 1 s and {@link #TOO_OLD}
   */
  static Duration readWithin(Duration within) {
    if (within.compareTo(Duration.ofSeconds(1)) < 0 || within.compareTo(TOO_OLD) > 0) {
      throw new IllegalStateException(
          "lifeboat.hcloud.doctor-read-within must be between 1s and "
              + TOO_OLD.toMinutes()
              + "m, not "
              + within);
    }
    return within;
  }

  @Incoming(Channels.DOCTOR)
  public Uni<Void> onMessage(Message<LifeboatMessage> message) {
    if (!(message.getPayload() instanceof DoctorRunRequested request)) {
      return Uni.createFrom().completionStage(message.ack());
    }
    if (Duration.between(request.occurredAt(), clock.instant()).compareTo(TOO_OLD) > 0) {
      LOG.infof(
          "doctor run %s not answered: asked for at %s", request.runId(), request.occurredAt());
      return Uni.createFrom().completionStage(message.ack());
    }
    String messageId = MessageIds.derived("hetzner-snapshot", request.runId());
    return snapshots
        .take()
        .ifNoItem()
        .after(readWithin)
        .failWith(this::heldUp)
        .map(
            snapshot ->
                new HetznerSnapshotTaken(
                    messageId, DoctorMessage.KEY, clock.instant(), request.runId(), snapshot, null))
        .onFailure()
        .recoverWithItem(
            failure ->
                new HetznerSnapshotTaken(
                    messageId,
                    DoctorMessage.KEY,
                    clock.instant(),
                    request.runId(),
                    null,
                    "the Hetzner API could not be read: " + describe(failure)))
        .chain(
            answer ->
                answers.sendMessage(KafkaRecord.of(DoctorMessage.KEY, (LifeboatMessage) answer)))
        .chain(() -> Uni.createFrom().completionStage(message.ack()));
  }

  /**
   * The reading took longer than {@code doctor-read-within}: given up (the timeout cancels it, so
   * its calls still waiting for the budget leave the queue unsent), with what held it up.
   */
  private ReadHeldUp heldUp() {
    RateLimitBudget.View view = budget.view();
    String past = "past " + readWithin.toSeconds() + " s (lifeboat.hcloud.doctor-read-within)";
    return new ReadHeldUp(
        view.waiting() > 0
            ? "the budget held the reading up "
                + past
                + " (the doctor's reads go after every other call): "
                + view.remaining()
                + " of "
                + view.limit()
                + " requests left, "
                + view.waiting()
                + " calls waiting"
            : "the API's answers held the reading up " + past);
  }

  /** A doctor reading given up after {@code doctor-read-within}. */
  static final class ReadHeldUp extends RuntimeException {
    ReadHeldUp(String message) {
      super(message, null, false, false);
    }
  }

  /** What went wrong, in the API's words where it answered; never a header or the token. */
  static String describe(Throwable failure) {
    if (failure instanceof HcloudException api) {
      return api.code() + " (HTTP " + api.status() + "): " + api.getMessage();
    }
    if (failure instanceof ReadHeldUp late) {
      return late.getMessage();
    }
    return failure.getClass().getSimpleName();
  }
}
