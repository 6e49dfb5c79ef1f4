package dev.lifeboat.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.audit.persistence.Ingest;
import dev.lifeboat.audit.persistence.Queries;
import dev.lifeboat.audit.persistence.RawRecord;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.codec.MessageCodec;
import dev.lifeboat.testkit.KafkaBrokerResource;
import dev.lifeboat.testkit.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/**
 * Two consumers storing messages of the same incident at the same moment (the audit reads its
 * topics on several threads; after a restart, in large batches): the incident's projection is the
 * one its stored messages give, as a rebuild derives it. Found by the chaos rounds (seed 2), where
 * a volume's report lost its target node until a rebuild: each transaction re-derived the
 * projection without the other's messages, and the last to commit won.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
class ConcurrentIngestTest {

  private static final int INCIDENTS = 40;

  @Inject Ingest ingest;
  @Inject Queries queries;

  @Test
  void messagesOfOneIncidentStoredAtTheSameMomentAllReachItsProjection() throws Exception {
    long offset = System.nanoTime();
    java.util.Map<String, String> live = new java.util.LinkedHashMap<>();
    for (int n = 0; n < INCIDENTS; n++) {
      ScriptedIncident incident = new ScriptedIncident(Instant.now().minusSeconds(600));
      List<RawRecord> first = new ArrayList<>();
      List<RawRecord> second = new ArrayList<>();
      for (int i = 0; i < incident.messages.size(); i++) {
        LifeboatMessage message = incident.messages.get(i);
        (i % 2 == 0 ? first : second)
            .add(
                new RawRecord(
                    Topic.of(message).defaultName(),
                    0,
                    offset++,
                    message.incidentId(),
                    MessageCodec.headers(message, "/test"),
                    MessageCodec.payload(message)));
      }
      CyclicBarrier together = new CyclicBarrier(2);
      CompletableFuture<Ingest.Outcome> one =
          CompletableFuture.supplyAsync(() -> storeWhenBoth(together, first));
      CompletableFuture<Ingest.Outcome> two =
          CompletableFuture.supplyAsync(() -> storeWhenBoth(together, second));
      assertThat(one.get().stored() + two.get().stored()).isEqualTo(incident.messages.size());

      live.put(incident.incidentId, queries.incident(incident.incidentId).orElseThrow().toString());
    }

    ingest.rebuild();

    List<String> behind = new ArrayList<>();
    live.forEach(
        (incidentId, projection) -> {
          if (!projection.equals(queries.incident(incidentId).orElseThrow().toString())) {
            behind.add(incidentId);
          }
        });
    assertThat(behind)
        .as("incidents whose projection differed from a rebuild's (of %d)", live.size())
        .isEmpty();
  }

  private Ingest.Outcome storeWhenBoth(CyclicBarrier together, List<RawRecord> records) {
    try {
      together.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return ingest.store(records);
  }
}
