package dev.lifeboat.sim.domain;

import java.util.List;
import java.util.Map;

/**
 * The state the simulator starts from (YAML or JSON): the locations it serves, servers and volumes
 * with their attachments, and faults in force from the start.
 *
 * @param locations location names from {@link Catalog}; empty means all
 * @param servers the servers
 * @param volumes the volumes, each attached to at most one server
 * @param faults error and latency rules in force from the start
 * @param actionFailures action failures in force from the start
 */
public record Scenario(
    List<String> locations,
    List<ServerSpec> servers,
    List<VolumeSpec> volumes,
    List<Faults.Rule> faults,
    List<Faults.ActionFailure> actionFailures) {

  public Scenario {
    locations = locations == null ? List.of() : List.copyOf(locations);
    servers = servers == null ? List.of() : List.copyOf(servers);
    volumes = volumes == null ? List.of() : List.copyOf(volumes);
    faults = faults == null ? List.of() : List.copyOf(faults);
    actionFailures = actionFailures == null ? List.of() : List.copyOf(actionFailures);
  }

  /**
   * A server.
   *
   * @param id its id; given by the simulator when absent
   * @param name its unique name
   * @param location its location name
   * @param serverType its server type name (default {@code cpx21})
   * @param status its status (default {@code running})
   * @param labels its labels
   */
  public record ServerSpec(
      Long id,
      String name,
      String location,
      String serverType,
      String status,
      Map<String, String> labels) {}

  /**
   * A volume.
   *
   * @param id its id; given by the simulator when absent
   * @param name its unique name
   * @param location its location name
   * @param size its size in GB (default 10)
   * @param server the name of the server it is attached to, or null
   * @param format its filesystem ({@code ext4}, {@code xfs} or null)
   * @param labels its labels
   * @param deleteProtection its {@code protection.delete} (default false)
   */
  public record VolumeSpec(
      Long id,
      String name,
      String location,
      Integer size,
      String server,
      String format,
      Map<String, String> labels,
      Boolean deleteProtection) {}
}
