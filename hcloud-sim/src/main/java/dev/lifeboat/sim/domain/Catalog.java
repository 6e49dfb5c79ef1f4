package dev.lifeboat.sim.domain;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fixed parts of Hetzner Cloud the simulator knows: locations with their data centers, and a
 * few server types (figures from Hetzner's public documentation).
 */
public final class Catalog {

  /** A location and its data center, as servers and volumes show them. */
  public record Site(Views.Location location, long datacenterId, String datacenterName) {}

  private static final List<Site> SITES =
      List.of(
          site(
              1,
              "fsn1",
              "Falkenstein DC Park 1",
              "DE",
              "Falkenstein",
              50.47612,
              12.370071,
              "eu-central",
              4,
              "fsn1-dc14"),
          site(
              2,
              "nbg1",
              "Nuremberg DC Park 1",
              "DE",
              "Nuremberg",
              49.452102,
              11.076665,
              "eu-central",
              2,
              "nbg1-dc3"),
          site(
              3,
              "hel1",
              "Helsinki DC Park 1",
              "FI",
              "Helsinki",
              60.169855,
              24.938379,
              "eu-central",
              3,
              "hel1-dc2"),
          site(
              4,
              "ash",
              "Ashburn, VA",
              "US",
              "Ashburn, VA",
              39.045821,
              -77.487073,
              "us-east",
              5,
              "ash-dc1"),
          site(
              5,
              "hil",
              "Hillsboro, OR",
              "US",
              "Hillsboro, OR",
              45.54222,
              -122.951924,
              "us-west",
              6,
              "hil-dc1"),
          site(
              6,
              "sin",
              "Singapore",
              "SG",
              "Singapore",
              1.283333,
              103.833333,
              "ap-southeast",
              7,
              "sin-dc1"));

  private static final Map<String, Views.ServerType> SERVER_TYPES =
      Map.of(
          "cx22", serverType(104, "cx22", 2, 4, 40, "shared", "x86"),
          "cpx11", serverType(22, "cpx11", 2, 2, 40, "shared", "x86"),
          "cpx21", serverType(23, "cpx21", 3, 4, 80, "shared", "x86"),
          "cpx31", serverType(24, "cpx31", 4, 8, 160, "shared", "x86"),
          "cax11", serverType(45, "cax11", 2, 4, 40, "shared", "arm"),
          "ccx13", serverType(96, "ccx13", 2, 8, 80, "dedicated", "x86"));

  private Catalog() {}

  /** Every known location, in id order. */
  public static List<Site> sites() {
    return SITES;
  }

  /** The site of a location name such as {@code fsn1}. */
  public static Optional<Site> site(String locationName) {
    return SITES.stream().filter(s -> s.location().name().equals(locationName)).findFirst();
  }

  /** A server type by name, such as {@code cpx21}. */
  public static Optional<Views.ServerType> serverType(String name) {
    return Optional.ofNullable(SERVER_TYPES.get(name));
  }

  /** The names of the known server types. */
  public static List<String> serverTypeNames() {
    return SERVER_TYPES.keySet().stream().sorted().toList();
  }

  private static Site site(
      long id,
      String name,
      String description,
      String country,
      String city,
      double latitude,
      double longitude,
      String networkZone,
      long datacenterId,
      String datacenterName) {
    return new Site(
        new Views.Location(id, name, description, country, city, latitude, longitude, networkZone),
        datacenterId,
        datacenterName);
  }

  private static Views.ServerType serverType(
      long id, String name, int cores, double memory, int disk, String cpuType, String arch) {
    return new Views.ServerType(
        id,
        name,
        name.toUpperCase(java.util.Locale.ROOT),
        cores,
        memory,
        disk,
        false,
        List.of(),
        "local",
        cpuType,
        arch);
  }
}
