package dev.lifeboat.adapter.messaging;

import dev.lifeboat.adapter.hcloud.HcloudException;
import dev.lifeboat.adapter.hcloud.ProjectSnapshots;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.doctor.DoctorMessage;
import dev.lifeboat.events.doctor.DoctorRunRequested;
import dev.lifeboat.events.doctor.HetznerSnapshotTaken;
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
 * nothing. Records that cannot be read are the audit service's to keep, and skipped here.
 */
@ApplicationScoped
public class DoctorListener {

  private static final Logger LOG = Logger.getLogger(DoctorListener.class);

  /** A request older than this is no longer answered. */
  static final Duration TOO_OLD = Duration.ofMinutes(2);

  private final ProjectSnapshots snapshots;
  private final MutinyEmitter<LifeboatMessage> answers;
  private final Clock clock;

  DoctorListener(
      ProjectSnapshots snapshots,
      @Channel(Channels.DOCTOR_ANSWERS) MutinyEmitter<LifeboatMessage> answers,
      Clock clock) {
    this.snapshots = snapshots;
    this.answers = answers;
    this.clock = clock;
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

  /** What went wrong, in the API's words where it answered; never a header or the token. */
  static String describe(Throwable failure) {
    if (failure instanceof HcloudException api) {
      return api.code() + " (HTTP " + api.status() + "): " + api.getMessage();
    }
    return failure.getClass().getSimpleName();
  }
}
