package dev.lifeboat.events.doctor;

import dev.lifeboat.events.Require;
import java.time.Instant;
import java.util.List;

/**
 * The Hetzner side of a doctor run, as hcloud-adapter read it: every server and volume of the
 * project, and the rate budget its last answers reported.
 *
 * @param takenAt when the adapter read it
 * @param servers every server of the project
 * @param volumes every volume of the project
 * @param budget the rate budget of the last answer; null before any
 */
public record HetznerSnapshot(
    Instant takenAt, List<Server> servers, List<Volume> volumes, Budget budget) {
  public HetznerSnapshot {
    Require.present(takenAt, "takenAt");
    servers = Require.list(servers);
    volumes = Require.list(volumes);
  }

  /**
   * A server.
   *
   * @param id its id
   * @param name its name
   * @param status {@code running}, {@code off}, {@code starting}, ...
   * @param location its location
   */
  public record Server(long id, String name, String status, String location) {
    public Server {
      Require.id(id, "server.id");
      Require.text(status, "server.status");
    }

    /** Off: nothing on it can write to a volume. */
    public boolean off() {
      return "off".equals(status);
    }
  }

  /**
   * A volume.
   *
   * @param id its id
   * @param name its name
   * @param location its location
   * @param serverId the server it is attached to; null when it is attached to none
   * @param deleteProtected its {@code protection.delete}
   */
  public record Volume(
      long id, String name, String location, Long serverId, boolean deleteProtected) {
    public Volume {
      Require.id(id, "volume.id");
      Require.optionalId(serverId, "volume.serverId");
    }
  }

  /**
   * The project's request budget, from the {@code RateLimit-*} headers.
   *
   * @param limit requests an hour
   * @param remaining requests left now
   * @param at when the answer that said so came
   */
  public record Budget(int limit, int remaining, Instant at) {}
}
