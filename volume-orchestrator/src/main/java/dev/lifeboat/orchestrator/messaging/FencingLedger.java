package dev.lifeboat.orchestrator.messaging;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.codec.MessageCodec;
import dev.lifeboat.events.codec.ReadResult;
import dev.lifeboat.events.kafka.KafkaHeaders;
import dev.lifeboat.events.saga.IncidentCancelled;
import dev.lifeboat.events.saga.IncidentCompleted;
import dev.lifeboat.events.saga.IncidentPartial;
import dev.lifeboat.events.saga.Step;
import dev.lifeboat.events.saga.StepStarted;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global store of fencing incidents from the saga events of every instance: an incident
 * enters when its FENCE step starts and leaves when it ends. Every instance reads all partitions,
 * so the fencing cap counts incidents that other instances run too.
 */
final class FencingLedger implements Processor<String, byte[], Void, Void> {

  private KeyValueStore<String, String> fencing;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    fencing = context.getStateStore(SagaStores.FENCING);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    ReadResult read = MessageCodec.read(KafkaHeaders.asText(record.headers()), record.value());
    if (!(read instanceof ReadResult.Read ok)) {
      return; // not ours to judge: the audit service keeps the saga events as they are
    }
    LifeboatMessage message = ok.message();
    if (message instanceof StepStarted started && started.step() == Step.FENCE) {
      fencing.put(message.incidentId(), started.occurredAt().toString());
    } else if (message instanceof IncidentCompleted
        || message instanceof IncidentPartial
        || message instanceof IncidentCancelled) {
      fencing.delete(message.incidentId());
    }
  }

  /** How many incidents other than this one are fencing. */
  static int othersFencing(KeyValueStore<String, String> fencing, String incidentId) {
    int count = 0;
    try (var all = fencing.all()) {
      while (all.hasNext()) {
        if (!all.next().key.equals(incidentId)) {
          count++;
        }
      }
    }
    return count;
  }
}
