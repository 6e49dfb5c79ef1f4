package dev.lifeboat.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The safety rules, checked from hcloud-sim's action log (every action with its resources and
 * times) and what happened outside the API (a server that died or was deleted has no action): no
 * attach of a volume started before its old server was off or deleted and the volume detached from
 * it; no detach started while its server was running; no attach across locations; no volume on two
 * servers. A server counts as off only where the log shows it: it died or was deleted outside, or a
 * stop, shutdown or delete action succeeded, and no start action began since (a person may power it
 * on again). A volume detached while its server was off may move on after the server runs again.
 *
 * <p>A node removed on purpose ({@link Planned}) is alive and cooperating: from the moment its
 * removal was asked for, its volumes may be detached while its server runs (each only after its
 * pods are gone, which the action log cannot show: the removal's timeline does), and attached
 * elsewhere once detached. In exchange its server may be deleted or stopped only after the last
 * detach from it finished, with no volume left on it.
 */
public final class SafetyRules {

  /**
   * A server lost outside the API at that time: died (off, volumes still attached) or deleted
   * (gone, its volumes detached).
   */
  public record Outside(long serverId, Instant at, boolean deleted) {}

  /** A server whose node a person asked Lifeboat to remove, from that moment on. */
  public record Planned(long serverId, Instant from) {}

  /** A volume and a server as the world started. */
  public record Start(
      Map<Long, Long> volumeServer,
      Map<Long, String> volumeLocation,
      Map<Long, String> serverLocation) {

    public static Start of(JsonNode state) {
      Map<Long, Long> volumeServer = new HashMap<>();
      Map<Long, String> volumeLocation = new HashMap<>();
      Map<Long, String> serverLocation = new HashMap<>();
      state
          .path("volumes")
          .forEach(
              v -> {
                if (v.path("server").isNumber()) {
                  volumeServer.put(v.path("id").asLong(), v.path("server").asLong());
                }
                volumeLocation.put(v.path("id").asLong(), v.path("location").path("name").asText());
              });
      state
          .path("servers")
          .forEach(
              s ->
                  serverLocation.put(
                      s.path("id").asLong(),
                      s.path("datacenter").path("location").path("name").asText()));
      return new Start(volumeServer, volumeLocation, serverLocation);
    }
  }

  private SafetyRules() {}

  /** Every rule broken, in words; empty when all hold. */
  public static List<String> violations(Start start, JsonNode state, List<Outside> outside) {
    return violations(start, state, outside, List.of());
  }

  /** Every rule broken, with these nodes removed on purpose; empty when all hold. */
  public static List<String> violations(
      Start start, JsonNode state, List<Outside> outside, List<Planned> planned) {
    List<SimAction> actions = SimAction.all(state);
    List<String> broken = new ArrayList<>();
    List<Power> power = power(actions, outside);
    for (SimAction a : actions) {
      if (a.command().equals("detach_volume")
          && !offAt(power, a.server(), a.started())
          && !plannedAt(planned, a.server(), a.started())) {
        broken.add(
            "detach of volume "
                + a.volume()
                + " started at "
                + a.started()
                + " while server "
                + a.server()
                + " was running");
      }
    }
    // Replay the successful attaches and detaches in the order they took effect.
    Map<Long, Long> on = new HashMap<>(start.volumeServer());
    List<SimAction> effects =
        actions.stream()
            .filter(a -> a.finished() != null && a.succeeded())
            .sorted(Comparator.comparing(SimAction::finished))
            .toList();
    for (SimAction a : actions) {
      if (!a.command().equals("attach_volume")) {
        continue;
      }
      String volumeLocation = start.volumeLocation().get(a.volume());
      String serverLocation = start.serverLocation().get(a.server());
      if (volumeLocation != null && !volumeLocation.equals(serverLocation)) {
        broken.add(
            "attach of volume "
                + a.volume()
                + " ("
                + volumeLocation
                + ") to server "
                + a.server()
                + " in "
                + serverLocation);
      }
      // Where was the volume when this attach started, and was that server proven unable to write?
      Optional<Long> previous = previousServer(start, effects, a);
      if (previous.isPresent() && previous.get() != a.server()) {
        long old = previous.get();
        // Fenced: the old server is off (or gone) now, or was when the volume was detached from
        // it (a person may power it on after the volume left it).
        boolean fenced =
            offAt(power, old, a.started())
                || plannedAt(planned, old, a.started())
                || effects.stream()
                    .anyMatch(
                        e ->
                            e.command().equals("detach_volume")
                                && e.volume() == a.volume()
                                && e.server() == old
                                && !e.finished().isAfter(a.started())
                                && offAt(power, old, e.started()));
        if (!fenced) {
          broken.add(
              "attach of volume "
                  + a.volume()
                  + " to server "
                  + a.server()
                  + " started at "
                  + a.started()
                  + " before server "
                  + old
                  + " was off or deleted");
        }
        boolean released =
            outside.stream()
                    .anyMatch(
                        o -> o.serverId() == old && o.deleted() && !o.at().isAfter(a.started()))
                || effects.stream()
                    .anyMatch(
                        e ->
                            (e.command().equals("detach_volume") && e.volume() == a.volume()
                                    || e.command().equals("delete_server") && e.server() == old)
                                && !e.finished().isAfter(a.started()));
        if (!released) {
          broken.add(
              "attach of volume "
                  + a.volume()
                  + " started before it was detached from server "
                  + old);
        }
      }
    }
    List<Outside> deletions =
        outside.stream()
            .filter(Outside::deleted)
            .sorted(Comparator.comparing(Outside::at))
            .toList();
    int nextDeletion = 0;
    for (SimAction e : effects) {
      while (nextDeletion < deletions.size()
          && !deletions.get(nextDeletion).at().isAfter(e.finished())) {
        long gone = deletions.get(nextDeletion++).serverId();
        on.values().removeIf(server -> server == gone);
      }
      if (e.command().equals("attach_volume")) {
        Long current = on.get(e.volume());
        if (current != null && current != e.server()) {
          broken.add(
              "volume "
                  + e.volume()
                  + " attached to server "
                  + e.server()
                  + " while on server "
                  + current);
        }
        on.put(e.volume(), e.server());
      } else if (e.command().equals("detach_volume")) {
        on.remove(e.volume());
      }
    }
    broken.addAll(retiredTooSoon(actions, planned));
    return broken;
  }

  /**
   * A removed node's server deleted or stopped before the last detach from it finished: a detach
   * still running would be cut short, as a person deleting the server by hand risks (the mount on
   * the new node hangs), and so would one started after a deletion. A detach started after the
   * server was stopped is a detach from a server that is off: the fence rules judge it (a node lost
   * during its removal is fenced and emptied by its loss incident).
   */
  private static List<String> retiredTooSoon(List<SimAction> actions, List<Planned> planned) {
    List<String> broken = new ArrayList<>();
    for (Planned removal : planned) {
      long server = removal.serverId();
      for (SimAction retire : actions) {
        if (retire.server() != server
            || retire.volume() != 0
            || !List.of("delete_server", "stop_server", "shutdown_server")
                .contains(retire.command())
            || retire.started().isBefore(removal.from())) {
          continue;
        }
        for (SimAction detach : actions) {
          if (detach.command().equals("detach_volume")
              && detach.server() == server
              && (detach.finished() == null || detach.finished().isAfter(retire.started()))
              && !detach.started().isBefore(removal.from())
              && (retire.command().equals("delete_server")
                  || detach.started().isBefore(retire.started()))) {
            broken.add(
                retire.command()
                    + " of server "
                    + server
                    + " started at "
                    + retire.started()
                    + " before the detach of volume "
                    + detach.volume()
                    + " finished");
          }
        }
      }
    }
    return broken;
  }

  /** Whether the server's node was being removed on purpose at that moment. */
  private static boolean plannedAt(List<Planned> planned, long server, Instant at) {
    return planned.stream().anyMatch(p -> p.serverId() == server && !at.isBefore(p.from()));
  }

  /** A change of a server's power as the log shows it: off (or gone) or running from then on. */
  private record Power(long server, Instant at, boolean off) {}

  private static List<Power> power(List<SimAction> actions, List<Outside> outside) {
    List<Power> changes = new ArrayList<>();
    outside.forEach(o -> changes.add(new Power(o.serverId(), o.at(), true)));
    for (SimAction a : actions) {
      if (a.volume() != 0) {
        continue;
      }
      if (a.command().equals("start_server")) {
        changes.add(new Power(a.server(), a.started(), false)); // running from the moment it starts
      } else if (List.of("stop_server", "shutdown_server", "delete_server").contains(a.command())
          && a.succeeded()
          && a.finished() != null) {
        changes.add(new Power(a.server(), a.finished(), true));
      }
    }
    changes.sort(Comparator.comparing(Power::at));
    return changes;
  }

  /** Whether the log shows the server off (or gone) at that moment; every server starts running. */
  private static boolean offAt(List<Power> changes, long server, Instant at) {
    boolean off = false;
    for (Power change : changes) {
      if (change.at().isAfter(at)) {
        break;
      }
      if (change.server() == server) {
        off = change.off();
      }
    }
    return off;
  }

  private static Optional<Long> previousServer(
      Start start, List<SimAction> effects, SimAction attach) {
    Long server = start.volumeServer().get(attach.volume());
    for (SimAction e : effects) {
      if (!e.finished().isBefore(attach.started())) {
        break;
      }
      if (e.command().equals("attach_volume") && e.volume() == attach.volume()) {
        server = e.server();
      }
    }
    return Optional.ofNullable(server);
  }
}
