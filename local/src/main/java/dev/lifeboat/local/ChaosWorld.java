package dev.lifeboat.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The chaos rounds' world: a cluster in two locations, each with a control-plane server and {@code
 * workers} workers holding {@code volumes} single-volume pods each, on the timings of the
 * end-to-end tests (a kubelet Lease every 2 s, suspected after 4 s, declared lost 8 s later), so
 * that a round's incidents end within a couple of minutes.
 *
 * @param perLocation workers per location
 * @param volumes volumes on each worker
 */
public record ChaosWorld(int perLocation, int volumes) {

  /** The world of {@code ./lifeboat chaos}: 26 servers, 144 volumes. */
  public static final ChaosWorld DEFAULT = new ChaosWorld(12, 6);

  static final List<String> LOCATIONS = List.of("fsn1", "nbg1");

  public ChaosWorld {
    if (perLocation < 6 || perLocation > 40 || volumes < 1 || volumes > 8) {
      throw new IllegalArgumentException(
          "a chaos world has 6..40 workers per location and 1..8 volumes each");
    }
  }

  /** The workers' node names. */
  public List<String> workerNames() {
    List<String> names = new ArrayList<>();
    for (String location : LOCATIONS) {
      for (int n = 1; n <= perLocation; n++) {
        names.add(worker(location, n));
      }
    }
    return names;
  }

  /** Every volume of the world. */
  public int volumeCount() {
    return LOCATIONS.size() * perLocation * volumes;
  }

  private static String worker(String location, int n) {
    return "chaos-" + location + "-" + n;
  }

  /** hcloud-sim's scenario. */
  public String scenario() {
    StringBuilder yaml =
        new StringBuilder("# ./lifeboat chaos: written by the chaos runner\n")
            .append("locations: [")
            .append(String.join(", ", LOCATIONS))
            .append("]\nservers:\n");
    int id = 7000;
    for (String location : LOCATIONS) {
      yaml.append(
          String.format(
              Locale.ROOT,
              "  - {id: %d, name: chaos-master-%s, location: %s, server_type: cpx21,"
                  + " labels: {role: master}}%n",
              id++,
              location,
              location));
      for (int n = 1; n <= perLocation; n++) {
        yaml.append(
            String.format(
                Locale.ROOT,
                "  - {id: %d, name: %s, location: %s, server_type: cpx31,"
                    + " labels: {role: worker}}%n",
                id++,
                worker(location, n),
                location));
      }
    }
    yaml.append("volumes:\n");
    int volume = 700_000;
    for (String location : LOCATIONS) {
      for (int n = 1; n <= perLocation; n++) {
        for (int v = 0; v < volumes; v++) {
          yaml.append(
              String.format(
                  Locale.ROOT,
                  "  - {id: %d, name: pvc-db-%s-%d-%d, location: %s, size: 10, format: ext4,"
                      + " server: %s, labels: {app: db-%s-%d}}%n",
                  volume++,
                  location,
                  n,
                  v,
                  location,
                  worker(location, n),
                  location,
                  n));
        }
      }
    }
    return yaml.toString();
  }

  /** The processes' settings: the end-to-end tests' timings. */
  public static Map<String, Map<String, String>> properties() {
    Map<String, Map<String, String>> all = new LinkedHashMap<>();
    all.put(
        "cluster-sim",
        Map.of(
            "cluster-sim.kubelet.lease-interval", "2s",
            "cluster-sim.node-monitor-grace", "20s",
            "cluster-sim.ccm-interval", "2s"));
    all.put(
        "node-watcher",
        Map.of(
            "lifeboat.watcher.lease-suspect", "4s",
            "lifeboat.watcher.lease-grace", "8s",
            "lifeboat.watcher.lease-renew-period", "2s",
            "lifeboat.watcher.not-ready-grace", "8s"));
    return all;
  }
}
