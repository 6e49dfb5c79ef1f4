package dev.lifeboat.watcher.messaging;

import dev.lifeboat.events.LifeboatMessage;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The real producer, except that the first report of one type (the simple name in {@code
 * lifeboat.test.lose-first}) does not reach the broker, as when the broker is restarting: a fault
 * injected only where a test profile enables this alternative.
 */
@Alternative
@Singleton
public class FirstReportLost extends Reports {

  /** How many sends were refused. */
  public static final AtomicInteger REFUSED = new AtomicInteger();

  private final String type;

  FirstReportLost(
      @Identifier("default-kafka-broker") Map<String, Object> kafka,
      @ConfigProperty(name = "lifeboat.topic-prefix") String prefix,
      @ConfigProperty(name = "lifeboat.test.lose-first") String type) {
    super(kafka, prefix);
    this.type = type;
  }

  @Override
  public void publish(LifeboatMessage message) {
    if (message.getClass().getSimpleName().equals(type) && REFUSED.compareAndSet(0, 1)) {
      throw new IllegalStateException("could not send " + type + ": broker restarting");
    }
    super.publish(message);
  }
}
