package dev.lifeboat.audit.bench;

import dev.lifeboat.audit.persistence.Ingest;
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
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ingest rate into the embedded PostgreSQL: scripted incidents (44 messages each) stored in batches
 * of 500 records through {@link Ingest}, projections included, as the listener does. Not part of
 * the normal run (the name does not end in Test); run it with
 *
 * <pre>
 * ./mvnw -pl audit-service test -Dtest=IngestRate -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
class IngestRate {

  private static final int RUNS = 5;
  private static final int INCIDENTS = 200;
  private static final int BATCH = 500;

  @Inject Ingest ingest;

  @Test
  void measure() {
    run(50);
    double[] rates = new double[RUNS];
    for (int i = 0; i < RUNS; i++) {
      rates[i] = run(INCIDENTS);
    }
    Arrays.sort(rates);
    System.out.printf(
        "ingest into PostgreSQL: median %.0f messages/s over %d runs of %d incidents"
            + " (min %.0f, max %.0f)%n",
        rates[RUNS / 2], RUNS, INCIDENTS, rates[0], rates[RUNS - 1]);
  }

  private double run(int incidents) {
    List<RawRecord> records = new ArrayList<>();
    long offset = System.nanoTime();
    for (int n = 0; n < incidents; n++) {
      for (LifeboatMessage message :
          new dev.lifeboat.audit.ScriptedIncident(Instant.now().minusSeconds(600)).messages) {
        String topic = Topic.of(message).defaultName();
        records.add(
            new RawRecord(
                topic,
                0,
                offset++,
                message.incidentId(),
                MessageCodec.headers(message, "/bench"),
                MessageCodec.payload(message)));
      }
    }
    long start = System.nanoTime();
    for (int from = 0; from < records.size(); from += BATCH) {
      ingest.store(records.subList(from, Math.min(records.size(), from + BATCH)));
    }
    return records.size() / ((System.nanoTime() - start) / 1e9);
  }
}
