package dev.lifeboat.audit.api;

import dev.lifeboat.audit.messaging.TimelineListener;
import dev.lifeboat.audit.messaging.TopicReader;
import dev.lifeboat.audit.persistence.Ingest;
import dev.lifeboat.audit.persistence.Retention;
import dev.lifeboat.service.KafkaSend;
import dev.lifeboat.service.api.Mutating;
import io.smallrye.common.annotation.Identifier;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Replays: rebuild the projections, re-consume the topics; and retention on demand. */
@Path("/api/admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

  /** What a rebuild did. */
  public record Rebuilt(int incidents) {}

  /** What a re-consumption did. */
  public record Reconsumed(long read, int stored, int duplicates, int rejected) {}

  /** What a retention run did. */
  public record Deleted(int incidents) {}

  private final Ingest ingest;
  private final Retention retention;
  private final Map<String, Object> kafka;
  private final String prefix;

  AdminResource(
      Ingest ingest,
      Retention retention,
      @Identifier("default-kafka-broker") Map<String, Object> kafka,
      @ConfigProperty(name = "lifeboat.topic-prefix") String prefix) {
    this.ingest = ingest;
    this.retention = retention;
    this.kafka = kafka;
    this.prefix = prefix;
  }

  @POST
  @Mutating
  @Path("/rebuild")
  @Operation(summary = "Drop the projections and derive them again from the stored messages")
  public Rebuilt rebuild() {
    return new Rebuilt(ingest.rebuild());
  }

  @POST
  @Mutating
  @Path("/reconsume")
  @Operation(summary = "Read the topics again from their beginning (or a time) into the store")
  public Reconsumed reconsume(@QueryParam("from") String from) {
    AtomicInteger stored = new AtomicInteger();
    AtomicInteger duplicates = new AtomicInteger();
    AtomicInteger rejected = new AtomicInteger();
    long read =
        TopicReader.read(
            KafkaSend.clientConfig(kafka),
            prefix,
            from == null || from.isBlank() ? null : Instant.parse(from),
            batch -> {
              Ingest.Outcome outcome =
                  ingest.store(batch.stream().map(TimelineListener::raw).toList());
              stored.addAndGet(outcome.stored());
              duplicates.addAndGet(outcome.duplicates());
              rejected.addAndGet(outcome.rejected().size());
            });
    return new Reconsumed(read, stored.get(), duplicates.get(), rejected.get());
  }

  @POST
  @Mutating
  @Path("/retention")
  @Operation(summary = "Delete incidents older than the configured retention now")
  public Deleted retention() {
    return new Deleted(retention.run());
  }
}
