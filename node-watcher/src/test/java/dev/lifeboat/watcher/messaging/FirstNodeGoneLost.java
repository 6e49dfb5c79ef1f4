package dev.lifeboat.watcher.messaging;

import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.node.NodeGone;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The real producer, except that the first NodeGone does not reach the broker (as when the broker
 * is restarting): a fault injected only where a test profile enables this alternative.
 */
@Alternative
@Singleton
public class FirstNodeGoneLost extends Reports {

  /** How many NodeGone sends were refused. */
  public static final AtomicInteger REFUSED = new AtomicInteger();

  FirstNodeGoneLost(
      @Identifier("default-kafka-broker") Map<String, Object> kafka,
      @ConfigProperty(name = "lifeboat.topic-prefix") String prefix) {
    super(kafka, prefix);
  }

  @Override
  public void publish(LifeboatMessage message) {
    if (message instanceof NodeGone && REFUSED.compareAndSet(0, 1)) {
      throw new IllegalStateException("could not send to lifeboat.node-events: broker restarting");
    }
    super.publish(message);
  }
}
