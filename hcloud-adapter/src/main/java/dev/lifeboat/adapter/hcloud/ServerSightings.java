package dev.lifeboat.adapter.hcloud;

import dev.lifeboat.adapter.config.AdapterConfig;
import io.quarkus.runtime.Startup;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers the adapter already has, so that it does not ask Hetzner again (docs/design.md, "Request
 * economy"): the last read of each server, reused for at most {@code
 * lifeboat.hcloud.sighting-max-age} and only if the server was not locked when read; and the
 * volumes this process's own detaches freed, so that their attach need not read them first.
 *
 * <p>A sighting is dropped as soon as a mutating call on its server fails or its action does not
 * succeed (someone else's action holds the server, the server answered differently than read), so
 * the next command reads again. A freed volume is known once: the first attach after it uses the
 * knowledge, any later attempt reads.
 */
@Singleton
@Startup
public class ServerSightings {

  /** The longest sighting age allowed: beyond it a read says too little about now. */
  public static final Duration LONGEST = Duration.ofSeconds(30);

  /** How long a volume freed by this process's detach is remembered as free. */
  public static final Duration FREED_FOR = Duration.ofMinutes(10);

  private record Sighting(HcloudDtos.Server server, long at) {}

  private final Map<Long, Sighting> servers = new ConcurrentHashMap<>();
  private final Map<Long, Long> freed = new ConcurrentHashMap<>();
  private final long maxAgeMillis;
  private final Clock clock;

  @Inject
  ServerSightings(AdapterConfig config, Clock clock) {
    this(config.sightingMaxAge(), clock);
  }

  /**
   * @throws IllegalStateException naming {@code lifeboat.hcloud.sighting-max-age} when the age is
   *     negative or longer than {@link #LONGEST}
   */
  ServerSightings(Duration maxAge, Clock clock) {
    if (maxAge.isNegative() || maxAge.compareTo(LONGEST) > 0) {
      throw new IllegalStateException(
          "lifeboat.hcloud.sighting-max-age must be between 0s (read before every command) and "
              + LONGEST.toSeconds()
              + "s, not "
              + maxAge);
    }
    this.maxAgeMillis = maxAge.toMillis();
    this.clock = clock;
  }

  /** Whether answers are reused at all ({@code sighting-max-age} above zero). */
  public boolean enabled() {
    return maxAgeMillis > 0;
  }

  /** The time a read asked now is dated by, for {@link #seen}. */
  long now() {
    return clock.millis();
  }

  /**
   * A server as read by a request asked at {@code askedAt} ({@link #now}): its sighting ages from
   * then, not from when the answer came, since the answer may show the server as it was any time in
   * between, and one held up on the way would otherwise look younger than it is.
   */
  void seen(HcloudDtos.Server server, long askedAt) {
    if (enabled()) {
      servers.put(server.id(), new Sighting(server, askedAt));
    }
  }

  /** The server as read within the sighting age, if it was not locked then. */
  public Optional<HcloudDtos.Server> recent(long serverId) {
    Sighting sighting = servers.get(serverId);
    if (sighting == null
        || sighting.server().locked()
        || clock.millis() - sighting.at() > maxAgeMillis) {
      return Optional.empty();
    }
    return Optional.of(sighting.server());
  }

  /**
   * Whether the server's sighting has spent half its age (or is missing, or was locked when read):
   * an action's poll then reads the server list instead ({@link ActionPoller}), so that the next
   * command on the server finds a young sighting and need not read it for itself.
   */
  public boolean halfSpent(long serverId) {
    Sighting sighting = servers.get(serverId);
    return enabled()
        && (sighting == null
            || sighting.server().locked()
            || clock.millis() - sighting.at() > maxAgeMillis / 2);
  }

  /** The next command on the server reads it again. */
  public void forget(long serverId) {
    servers.remove(serverId);
  }

  /**
   * This process's detach of the volume from the server succeeded: the server's sighting no longer
   * lists it (its status and age stay as read), and the volume is known free.
   */
  public void detached(long serverId, long volumeId) {
    servers.computeIfPresent(
        serverId,
        (id, s) -> new Sighting(withVolumes(s.server(), without(s.server(), volumeId)), s.at()));
    if (enabled()) {
      long now = clock.millis();
      freed.values().removeIf(at -> now - at > FREED_FOR.toMillis());
      freed.put(volumeId, now);
    }
  }

  /** This process's attach of the volume to the server succeeded. */
  public void attached(long serverId, long volumeId) {
    servers.computeIfPresent(
        serverId,
        (id, s) -> {
          List<Long> volumes = without(s.server(), volumeId);
          volumes.add(volumeId);
          return new Sighting(withVolumes(s.server(), volumes), s.at());
        });
  }

  /**
   * Whether this process's own detach freed the volume lately; the knowledge is used up, so an
   * attempt after a failed one reads the volume.
   */
  public boolean takeFreed(long volumeId) {
    Long at = freed.remove(volumeId);
    return at != null && clock.millis() - at <= FREED_FOR.toMillis();
  }

  private static List<Long> without(HcloudDtos.Server server, long volumeId) {
    List<Long> volumes = new ArrayList<>(server.volumes() == null ? List.of() : server.volumes());
    volumes.remove(Long.valueOf(volumeId));
    return volumes;
  }

  private static HcloudDtos.Server withVolumes(HcloudDtos.Server server, List<Long> volumes) {
    return new HcloudDtos.Server(
        server.id(),
        server.name(),
        server.status(),
        server.locked(),
        List.copyOf(volumes),
        server.datacenter());
  }
}
