package dev.lifeboat.orchestrator.messaging;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.codec.MessageCodec;
import dev.lifeboat.events.codec.ReadResult;
import dev.lifeboat.events.kafka.KafkaHeaders;
import dev.lifeboat.events.saga.IncidentCancelled;
import dev.lifeboat.events.saga.IncidentCompleted;
import dev.lifeboat.events.saga.IncidentPartial;
import dev.lifeboat.events.saga.Step;
import dev.lifeboat.events.saga.StepFailed;
import dev.lifeboat.events.saga.StepStarted;
import dev.lifeboat.events.saga.StepSucceeded;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global ledger of the volume flows every instance's sagas have in progress, from the
 * saga events ({@code flow|<incident>|<volume>}: from a volume's first step to its end). Every
 * instance reads all partitions, so the limit of flows in progress counts the incidents other
 * instances run too (a commit interval behind: it paces Hetzner requests and guards no safety rule;
 * the fencing cap is exact, {@code FencingPermits}).
 */
final class SagaLedger implements Processor<String, byte[], Void, Void> {

  private static final String FLOW = "flow|";

  private KeyValueStore<String, String> ledger;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    ledger = context.getStateStore(SagaStores.LEDGER);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    ReadResult read = MessageCodec.read(KafkaHeaders.asText(record.headers()), record.value());
    if (!(read instanceof ReadResult.Read ok)) {
      return; // not ours to judge: the audit service keeps the saga events as they are
    }
    LifeboatMessage message = ok.message();
    String incident = message.incidentId();
    if (message instanceof StepStarted started) {
      if (started.step() != Step.FENCE && started.volumeId() != null) {
        ledger.put(flow(incident, started.volumeId()), started.occurredAt().toString());
      }
    } else if (message instanceof StepSucceeded succeeded
        && succeeded.step() == Step.VERIFY
        && succeeded.volumeId() != null) {
      ledger.delete(flow(incident, succeeded.volumeId()));
    } else if (message instanceof StepFailed failed
        && failed.giveUp()
        && failed.volumeId() != null) {
      ledger.delete(flow(incident, failed.volumeId()));
    } else if (message instanceof IncidentCompleted
        || message instanceof IncidentPartial
        || message instanceof IncidentCancelled) {
      List<String> flows = new ArrayList<>();
      try (KeyValueIterator<String, String> it =
          ledger.prefixScan(FLOW + incident + "|", new StringSerializer())) {
        it.forEachRemaining(entry -> flows.add(entry.key));
      }
      flows.forEach(ledger::delete);
    }
  }

  /** How many volume flows of other incidents are in progress. */
  static int othersFlows(KeyValueStore<String, String> ledger, String incidentId) {
    return countOthers(ledger, FLOW, FLOW + incidentId + "|");
  }

  private static int countOthers(KeyValueStore<String, String> ledger, String prefix, String own) {
    int count = 0;
    try (KeyValueIterator<String, String> it = ledger.prefixScan(prefix, new StringSerializer())) {
      while (it.hasNext()) {
        if (!it.next().key.startsWith(own)) {
          count++;
        }
      }
    }
    return count;
  }

  private static String flow(String incident, long volumeId) {
    return FLOW + incident + "|" + volumeId;
  }
}
