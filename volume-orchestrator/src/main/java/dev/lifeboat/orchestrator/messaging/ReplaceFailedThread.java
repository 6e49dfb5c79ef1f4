package dev.lifeboat.orchestrator.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.jboss.logging.Logger;

/**
 * What a stream thread that fails does: it is replaced by a new one, which starts from the last
 * committed transaction (exactly-once: the failed thread's open transaction is aborted), rather
 * than Kafka Streams' default of shutting the whole client down. A broker restarted in the middle
 * of a transaction fails the thread ({@code InvalidTxnStateException}); with the default, the
 * orchestrator stayed in ERROR, its sagas stopped, until someone restarted it (found by the chaos
 * rounds, docs/reliability.md). The Quarkus extension installs this bean before Kafka Streams
 * starts.
 */
@ApplicationScoped
@Unremovable
public class ReplaceFailedThread implements StreamsUncaughtExceptionHandler {

  private static final Logger LOG = Logger.getLogger(ReplaceFailedThread.class);

  /** Counter of stream threads replaced after a failure. */
  public static final String REPLACED = "lifeboat.orchestrator.stream.threads.replaced";

  private final Counter replaced;

  ReplaceFailedThread(MeterRegistry registry) {
    this.replaced =
        Counter.builder(REPLACED)
            .description("stream threads that failed and were replaced")
            .register(registry);
  }

  @Override
  public StreamThreadExceptionResponse handle(Throwable exception) {
    replaced.increment();
    LOG.errorf(exception, "a stream thread failed; replacing it: %s", exception);
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  }
}
