package dev.lifeboat.clustersim.domain;

import java.util.Map;
import java.util.Optional;

/**
 * The Hetzner side as the cluster's machines experience it: which servers run (and whether their OS
 * answers) and which volume is attached to which server. Read from hcloud-sim.
 *
 * @param servers by id
 * @param volumes by id
 */
public record World(Map<Long, Server> servers, Map<Long, Volume> volumes) {

  /** Nothing known yet. */
  public static final World EMPTY = new World(Map.of(), Map.of());

  /**
   * A server.
   *
   * @param status {@code running}, {@code off}, ... as the API says
   * @param hung its OS stopped answering while it still runs
   */
  public record Server(
      long id,
      String name,
      String location,
      String status,
      String serverType,
      Map<String, String> labels,
      boolean hung) {

    /** Whether its kubelet runs: the server is running and its OS answers. */
    public boolean alive() {
      return "running".equals(status) && !hung;
    }

    /**
     * The label of a server that is no node of the cluster: its k3s agent was never installed, or
     * was removed (value {@code none}). No kubelet registers a Node for it, so a volume of the
     * cluster left on it is the doctor's kind 1 (docs/doctor.md).
     */
    public static final String KUBELET_LABEL = "cluster-sim/kubelet";

    /** Whether a kubelet (k3s agent) is installed on the server, so that it is a node. */
    public boolean joined() {
      return !"none".equals(labels.get(KUBELET_LABEL));
    }

    /** Whether the server is a control-plane node of hetzner-k3s. */
    public boolean master() {
      return "master".equals(labels.get("role"));
    }
  }

  /**
   * A volume.
   *
   * @param serverId the server it is attached to, if any
   */
  public record Volume(
      long id,
      String name,
      String location,
      Optional<Long> serverId,
      int size,
      String format,
      Map<String, String> labels) {}

  /** Whether the volume is attached to the server. */
  public boolean attached(long volumeId, long serverId) {
    Volume volume = volumes.get(volumeId);
    return volume != null && volume.serverId().filter(id -> id == serverId).isPresent();
  }
}
