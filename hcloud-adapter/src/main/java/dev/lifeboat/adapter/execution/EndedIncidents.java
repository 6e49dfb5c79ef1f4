package dev.lifeboat.adapter.execution;

import dev.lifeboat.events.hcloud.HcloudCommand;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The incidents the orchestrator ended (completed, partial after an abort, cancelled), with when,
 * as its saga events tell. A command sent before its incident ended is not started any more: it may
 * have waited in its server's queue, and the saga no longer wants it (an abort, a cancel after the
 * node came back). A command sent after (a person retried a volume) is carried out.
 */
@Singleton
public class EndedIncidents {

  /** How many ended incidents are remembered; older ones are left to the commands' deadlines. */
  static final int REMEMBERED = 10_000;

  private final Map<String, Instant> ended =
      new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
          return size() > REMEMBERED;
        }
      };

  /** The incident ended then. */
  public synchronized void ended(String incidentId, Instant at) {
    ended.merge(incidentId, at, (old, now) -> now.isAfter(old) ? now : old);
  }

  /** When the command's incident ended, if the command was sent before that. */
  public synchronized Optional<Instant> endedAfterSending(HcloudCommand command) {
    Instant at = ended.get(command.incidentId());
    return at != null && !command.occurredAt().isAfter(at) ? Optional.of(at) : Optional.empty();
  }
}
