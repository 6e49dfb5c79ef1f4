package dev.lifeboat.sim.domain;

import java.util.List;
import java.util.Map;

/**
 * The objects of the simulated API, shaped as the real API writes them (field names become snake
 * case on the wire). They are snapshots: the simulator's state lives in {@link Cloud}.
 */
public final class Views {

  private Views() {}

  /** A Hetzner location. */
  public record Location(
      long id,
      String name,
      String description,
      String country,
      String city,
      double latitude,
      double longitude,
      String networkZone) {}

  /** A server type. */
  public record ServerType(
      long id,
      String name,
      String description,
      int cores,
      double memory,
      int disk,
      boolean deprecated,
      List<Object> prices,
      String storageType,
      String cpuType,
      String architecture) {}

  /** Which server types a data center supports. */
  public record DatacenterServerTypes(
      List<Long> supported, List<Long> available, List<Long> availableForMigration) {}

  /** A data center, with its location. */
  public record Datacenter(
      long id,
      String name,
      String description,
      Location location,
      DatacenterServerTypes serverTypes) {}

  /** A server's public IPv4. */
  public record Ipv4(long id, String ip, boolean blocked, String dnsPtr) {}

  /** A server's public IPv6 network. */
  public record Ipv6(long id, String ip, boolean blocked, List<Object> dnsPtr) {}

  /** A server's public network. */
  public record PublicNet(Ipv4 ipv4, Ipv6 ipv6, List<Long> floatingIps, List<Object> firewalls) {}

  /** A server's protection flags. */
  public record ServerProtection(boolean delete, boolean rebuild) {}

  /** A volume's protection flag. */
  public record VolumeProtection(boolean delete) {}

  /** A server, with the fields real clients read. */
  public record Server(
      long id,
      String name,
      String status,
      String created,
      PublicNet publicNet,
      List<Object> privateNet,
      ServerType serverType,
      Datacenter datacenter,
      Object image,
      Object iso,
      boolean rescueEnabled,
      boolean locked,
      Object backupWindow,
      Long outgoingTraffic,
      Long ingoingTraffic,
      long includedTraffic,
      ServerProtection protection,
      Map<String, String> labels,
      List<Long> volumes,
      List<Long> loadBalancers,
      int primaryDiskSize,
      Object placementGroup) {}

  /** A volume. */
  public record Volume(
      long id,
      String name,
      Long server,
      String status,
      Location location,
      int size,
      String linuxDevice,
      VolumeProtection protection,
      Map<String, String> labels,
      String format,
      String created) {}

  /** A resource an action works on. */
  public record Resource(long id, String type) {}

  /** Why an action ended in {@code error}. */
  public record ActionError(String code, String message) {}

  /** An action: running, then success or error. */
  public record Action(
      long id,
      String command,
      String status,
      int progress,
      String started,
      String finished,
      List<Resource> resources,
      ActionError error) {}

  /** The pagination part of a list's {@code meta}. */
  public record Pagination(
      int page,
      int perPage,
      Integer previousPage,
      Integer nextPage,
      Integer lastPage,
      Integer totalEntries) {}

  /** A list's {@code meta}. */
  public record Meta(Pagination pagination) {}

  /** One page of a list, with its pagination. */
  public record Page<T>(List<T> items, Meta meta) {}
}
