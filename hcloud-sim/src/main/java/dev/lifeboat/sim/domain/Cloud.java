package dev.lifeboat.sim.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The simulated Hetzner Cloud project: servers, volumes and actions, and the rules the real API
 * enforces (docs/hetzner-api.md). Actions run for their configured duration and take effect when
 * they finish; time moves on every call, so what a client sees is always as of now.
 */
public final class Cloud {

  /** At most this many volumes per server. */
  public static final int MAX_VOLUMES_PER_SERVER = 16;

  private static final long FIRST_SERVER_ID = 1001;
  private static final long FIRST_VOLUME_ID = 100_001;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx").withZone(ZoneOffset.UTC);

  private final Clock clock;
  private final Faults faults;
  private Settings settings;
  private final Map<Long, ServerEntry> servers = new TreeMap<>();
  private final Map<Long, VolumeEntry> volumes = new TreeMap<>();
  private final Map<Long, ActionEntry> actions = new TreeMap<>();
  private final List<Catalog.Site> sites = new ArrayList<>();
  private long nextServerId;
  private long nextVolumeId;
  private long nextActionId;

  public Cloud(Clock clock, Settings settings, Faults faults, Scenario scenario) {
    this.clock = clock;
    this.settings = settings;
    this.faults = faults;
    reset(scenario);
  }

  // ---------------------------------------------------------------- state and settings

  /** Starts over from a scenario: its servers, volumes and faults, no actions. */
  public synchronized void reset(Scenario scenario) {
    servers.clear();
    volumes.clear();
    actions.clear();
    sites.clear();
    nextServerId = FIRST_SERVER_ID;
    nextVolumeId = FIRST_VOLUME_ID;
    nextActionId = 1;
    if (scenario.locations().isEmpty()) {
      sites.addAll(Catalog.sites());
    } else {
      scenario.locations().forEach(name -> sites.add(scenarioSite(name, "locations")));
    }
    place(scenario.servers(), scenario.volumes());
    faults.set(scenario.faults(), scenario.actionFailures());
  }

  /**
   * Adds servers and volumes as they are, without an action: what a scenario starts from, or drift
   * made outside Lifeboat ({@code POST /_sim/add}: a server that is no Node, a volume that no PV
   * names). A volume may name a server added before or in the same call.
   *
   * @throws IllegalArgumentException when something is missing, unknown, or would break a rule of
   *     the API (a duplicate name or id, a volume in another location than its server, more than 16
   *     volumes on a server); then nothing of the call is added
   */
  public synchronized void add(
      List<Scenario.ServerSpec> servers, List<Scenario.VolumeSpec> volumes) {
    advance();
    Map<Long, ServerEntry> serversBefore = new TreeMap<>(this.servers);
    Map<Long, VolumeEntry> volumesBefore = new TreeMap<>(this.volumes);
    long serverIdBefore = nextServerId;
    long volumeIdBefore = nextVolumeId;
    try {
      place(servers, volumes);
    } catch (IllegalArgumentException e) {
      this.servers.clear();
      this.servers.putAll(serversBefore);
      this.volumes.clear();
      this.volumes.putAll(volumesBefore);
      nextServerId = serverIdBefore;
      nextVolumeId = volumeIdBefore;
      throw e;
    }
  }

  private void place(List<Scenario.ServerSpec> servers, List<Scenario.VolumeSpec> volumes) {
    Instant now = clock.instant();
    Map<String, Long> serverIds = new HashMap<>();
    this.servers.values().forEach(server -> serverIds.put(server.name, server.id));
    for (Scenario.ServerSpec spec : servers) {
      ServerEntry server = new ServerEntry();
      server.id = spec.id() != null ? spec.id() : nextServerId;
      nextServerId = Math.max(nextServerId, server.id + 1);
      server.name = required(spec.name(), "servers[].name");
      server.site =
          scenarioSite(required(spec.location(), "servers[].location"), "servers[].location");
      String type = spec.serverType() == null ? "cpx21" : spec.serverType();
      server.type =
          Catalog.serverType(type)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "server type "
                              + type
                              + " is unknown; known: "
                              + Catalog.serverTypeNames()));
      server.status = spec.status() == null ? "running" : spec.status();
      server.labels = labels(spec.labels());
      server.created = now;
      if (serverIds.containsKey(server.name) || this.servers.containsKey(server.id)) {
        throw new IllegalArgumentException("server " + server.name + " or its id appears twice");
      }
      serverIds.put(server.name, server.id);
      this.servers.put(server.id, server);
    }
    for (Scenario.VolumeSpec spec : volumes) {
      VolumeEntry volume = new VolumeEntry();
      volume.id = spec.id() != null ? spec.id() : nextVolumeId;
      nextVolumeId = Math.max(nextVolumeId, volume.id + 1);
      volume.name = required(spec.name(), "volumes[].name");
      volume.site =
          scenarioSite(required(spec.location(), "volumes[].location"), "volumes[].location");
      volume.size = spec.size() == null ? 10 : spec.size();
      volume.format = spec.format();
      volume.labels = labels(spec.labels());
      volume.deleteProtected = Boolean.TRUE.equals(spec.deleteProtection());
      volume.created = now;
      if (spec.server() != null) {
        Long serverId = serverIds.get(spec.server());
        if (serverId == null) {
          throw new IllegalArgumentException(
              "volume " + volume.name + " is attached to unknown server " + spec.server());
        }
        if (!this.servers.get(serverId).site.equals(volume.site)) {
          throw new IllegalArgumentException(
              "volume "
                  + volume.name
                  + " and server "
                  + spec.server()
                  + " are in different locations");
        }
        volume.serverId = serverId;
      }
      if (this.volumes.containsKey(volume.id)) {
        throw new IllegalArgumentException("volume id " + volume.id + " appears twice");
      }
      this.volumes.put(volume.id, volume);
    }
    for (ServerEntry server : this.servers.values()) {
      if (volumesOf(server.id).size() > MAX_VOLUMES_PER_SERVER) {
        throw new IllegalArgumentException(
            "server " + server.name + " has more than " + MAX_VOLUMES_PER_SERVER + " volumes");
      }
    }
  }

  /** The settings in force. */
  public synchronized Settings settings() {
    return settings;
  }

  /** Changes the settings; running actions keep the duration they started with. */
  public synchronized void settings(Settings changed) {
    this.settings = Objects.requireNonNull(changed);
  }

  // ---------------------------------------------------------------- reads

  /** The locations the project sees. */
  public synchronized Views.Page<Views.Location> locations(ListQuery query) {
    List<Views.Location> all = sites.stream().map(Catalog.Site::location).toList();
    Map<String, Comparator<Views.Location>> fields = new LinkedHashMap<>();
    fields.put("id", Comparator.comparingLong(Views.Location::id));
    fields.put("name", Comparator.comparing(Views.Location::name));
    return query.apply(all, fields, Views.Location::name, null, location -> "");
  }

  /** A location by id. */
  public synchronized Views.Location location(long id) {
    return sites.stream()
        .map(Catalog.Site::location)
        .filter(location -> location.id() == id)
        .findFirst()
        .orElseThrow(() -> ApiError.notFound("location"));
  }

  /** The servers, filtered, sorted and paged. */
  public synchronized Views.Page<Views.Server> servers(ListQuery query) {
    advance();
    List<Views.Server> all = servers.values().stream().map(this::view).toList();
    Map<String, Comparator<Views.Server>> fields = new LinkedHashMap<>();
    fields.put("id", Comparator.comparingLong(Views.Server::id));
    fields.put("name", Comparator.comparing(Views.Server::name));
    fields.put("created", Comparator.comparing(Views.Server::created));
    return query.apply(all, fields, Views.Server::name, Views.Server::labels, Views.Server::status);
  }

  /** A server by id. */
  public synchronized Views.Server server(long id) {
    advance();
    return view(serverEntry(id));
  }

  /** The volumes, filtered, sorted and paged. */
  public synchronized Views.Page<Views.Volume> volumes(ListQuery query) {
    advance();
    List<Views.Volume> all = volumes.values().stream().map(this::view).toList();
    Map<String, Comparator<Views.Volume>> fields = new LinkedHashMap<>();
    fields.put("id", Comparator.comparingLong(Views.Volume::id));
    fields.put("name", Comparator.comparing(Views.Volume::name));
    fields.put("created", Comparator.comparing(Views.Volume::created));
    return query.apply(all, fields, Views.Volume::name, Views.Volume::labels, Views.Volume::status);
  }

  /** A volume by id. */
  public synchronized Views.Volume volume(long id) {
    advance();
    return view(volumeEntry(id));
  }

  /** An action by id. */
  public synchronized Views.Action action(long id) {
    advance();
    ActionEntry action = actions.get(id);
    if (action == null) {
      throw ApiError.notFound("action");
    }
    return view(action);
  }

  /** The actions with these ids; unknown ids are left out, as the API does. */
  public synchronized Views.Page<Views.Action> actions(List<Long> ids, ListQuery query) {
    advance();
    List<Views.Action> found =
        ids.stream().distinct().map(actions::get).filter(Objects::nonNull).map(this::view).toList();
    return query.apply(found, actionFields(), null, null, Views.Action::status);
  }

  /** The actions on a server. */
  public synchronized Views.Page<Views.Action> serverActions(long serverId, ListQuery query) {
    advance();
    serverEntry(serverId);
    return actionsOn(serverId, "server", query);
  }

  /** The actions on a volume. */
  public synchronized Views.Page<Views.Action> volumeActions(long volumeId, ListQuery query) {
    advance();
    volumeEntry(volumeId);
    return actionsOn(volumeId, "volume", query);
  }

  /** The whole state, with what the API does not show (hung servers, action end times). */
  public synchronized Map<String, Object> dump() {
    advance();
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("now", format(clock.instant()));
    state.put("servers", servers.values().stream().map(this::view).toList());
    state.put(
        "hung_servers", servers.values().stream().filter(s -> s.hung).map(s -> s.id).toList());
    state.put("volumes", volumes.values().stream().map(this::view).toList());
    state.put("actions", actions.values().stream().map(this::view).toList());
    state.put("settings", settings);
    state.put(
        "faults", Map.of("rules", faults.rules(), "action_failures", faults.actionFailures()));
    return state;
  }

  // ---------------------------------------------------------------- actions

  /** Attaches a volume to a server: {@code POST /volumes/{id}/actions/attach}. */
  public synchronized Views.Action attach(long volumeId, long serverId) {
    advance();
    VolumeEntry volume = volumeEntry(volumeId);
    ServerEntry server =
        Optional.ofNullable(servers.get(serverId))
            .orElseThrow(
                () -> ApiError.invalidInput("server", "server " + serverId + " not found"));
    requireIdle(volume, server);
    if (volume.serverId != null) {
      throw new ApiError(
          ErrorCode.VOLUME_ALREADY_ATTACHED,
          "volume is already attached to a server, please detach it first");
    }
    if (!volume.site.equals(server.site)) {
      throw new ApiError(ErrorCode.INVALID_INPUT, "server and volume must be in the same location");
    }
    if (volumesOf(server.id).size() >= MAX_VOLUMES_PER_SERVER) {
      throw new ApiError(
          ErrorCode.RESOURCE_LIMIT_EXCEEDED,
          "server " + server.id + " already has " + MAX_VOLUMES_PER_SERVER + " volumes attached");
    }
    return start(
        "attach_volume",
        List.of(resource(server.id, "server"), resource(volume.id, "volume")),
        () -> {
          if (servers.containsKey(server.id)) {
            volume.serverId = server.id;
          }
        });
  }

  /** Detaches a volume from its server: {@code POST /volumes/{id}/actions/detach}. */
  public synchronized Views.Action detach(long volumeId) {
    advance();
    VolumeEntry volume = volumeEntry(volumeId);
    if (volume.serverId == null) {
      requireIdle(volume, null);
      // Unconfirmed: what the API answers for a volume attached to no server.
      throw new ApiError(ErrorCode.INVALID_INPUT, "volume is not attached to a server");
    }
    ServerEntry server = servers.get(volume.serverId);
    requireIdle(volume, server);
    return start(
        "detach_volume",
        List.of(resource(server.id, "server"), resource(volume.id, "volume")),
        () -> volume.serverId = null);
  }

  /**
   * Sets a volume's delete protection: {@code POST /volumes/{id}/actions/change_protection}, as
   * {@code hcloud volume enable-protection ID delete} sends it; null leaves it as it is.
   */
  public synchronized Views.Action changeProtection(long volumeId, Boolean delete) {
    advance();
    VolumeEntry volume = volumeEntry(volumeId);
    requireIdle(volume, null);
    return start(
        "change_protection",
        List.of(resource(volume.id, "volume")),
        () -> {
          if (delete != null) {
            volume.deleteProtected = delete;
          }
        });
  }

  /** Cuts a server's power: {@code POST /servers/{id}/actions/poweroff}. */
  public synchronized Views.Action powerOff(long serverId) {
    advance();
    ServerEntry server = serverEntry(serverId);
    requireIdle(null, server);
    if (server.status.equals("running")) {
      server.status = "stopping";
    }
    return start(
        "stop_server",
        List.of(resource(server.id, "server")),
        () -> {
          server.status = "off";
          server.hung = false;
        });
  }

  /**
   * Asks a server's OS to shut down (ACPI): {@code POST /servers/{id}/actions/shutdown}. The action
   * succeeds whether or not the OS obeys; only an obeying, not hung OS ends up off.
   */
  public synchronized Views.Action shutdown(long serverId) {
    advance();
    ServerEntry server = serverEntry(serverId);
    requireIdle(null, server);
    boolean obeys = settings.shutdownObeyed() && !server.hung;
    return start(
        "shutdown_server",
        List.of(resource(server.id, "server")),
        () -> {
          if (obeys) {
            server.status = "off";
          }
        });
  }

  /** Starts a server: {@code POST /servers/{id}/actions/poweron}. */
  public synchronized Views.Action powerOn(long serverId) {
    advance();
    ServerEntry server = serverEntry(serverId);
    requireIdle(null, server);
    if (server.status.equals("off")) {
      server.status = "starting";
    }
    return start(
        "start_server",
        List.of(resource(server.id, "server")),
        () -> {
          server.status = "running";
          server.hung = false;
        });
  }

  /** Deletes a server, which detaches its volumes: {@code DELETE /servers/{id}}. */
  public synchronized Views.Action deleteServer(long serverId) {
    advance();
    ServerEntry server = serverEntry(serverId);
    requireIdle(null, server);
    server.status = "deleting";
    return start(
        "delete_server", List.of(resource(server.id, "server")), () -> removeServer(server.id));
  }

  // ---------------------------------------------------------------- what happens outside the API

  /** The server's OS stops answering; the server stays {@code running} (a hung node). */
  public synchronized void hang(long serverId) {
    advance();
    serverEntry(serverId).hung = true;
  }

  /** A hung server's OS answers again (the pause or the partition is over). */
  public synchronized void recover(long serverId) {
    advance();
    serverEntry(serverId).hung = false;
  }

  /** The server dies: it is {@code off} at once, with no action. */
  public synchronized void die(long serverId) {
    advance();
    ServerEntry server = serverEntry(serverId);
    server.status = "off";
    server.hung = false;
  }

  /**
   * The volume is on no server at once, with no action: drift whose cause nobody sees (the doctor's
   * kind 2: a VolumeAttachment still says attached where Hetzner shows the volume on no server).
   */
  public synchronized void loseAttachment(long volumeId) {
    advance();
    volumeEntry(volumeId).serverId = null;
  }

  /** Someone deletes the server outside Lifeboat: it is gone at once, its volumes detached. */
  public synchronized void deleteOutside(long serverId) {
    advance();
    serverEntry(serverId);
    removeServer(serverId);
  }

  // ---------------------------------------------------------------- internals

  private Views.Action start(String command, List<Views.Resource> resources, Runnable effect) {
    Instant now = clock.instant();
    ActionEntry action = new ActionEntry();
    action.id = nextActionId++;
    action.command = command;
    action.resources = resources;
    action.started = now;
    action.duration = settings.duration(command);
    action.effect = effect;
    action.failure = faults.nextActionFailure(command).orElse(null);
    actions.put(action.id, action);
    Views.Action created = view(action);
    if (action.duration.isZero()) {
      finish(action);
    }
    return created;
  }

  /** Finishes every running action whose time is up, in the order they end. */
  private void advance() {
    Instant now = clock.instant();
    actions.values().stream()
        .filter(a -> a.finished == null && !a.endsAt().isAfter(now))
        .sorted(Comparator.comparing(ActionEntry::endsAt).thenComparingLong(a -> a.id))
        .forEach(this::finish);
  }

  private void finish(ActionEntry action) {
    action.finished = action.endsAt();
    if (action.failure == null) {
      action.effect.run();
    } else {
      // A failed power action leaves the server as it was before.
      action.resources.stream()
          .filter(r -> r.type().equals("server") && servers.containsKey(r.id()))
          .map(r -> servers.get(r.id()))
          .filter(
              s ->
                  s.status.equals("stopping")
                      || s.status.equals("starting")
                      || s.status.equals("deleting"))
          .forEach(s -> s.status = s.status.equals("starting") ? "off" : "running");
    }
  }

  private void requireIdle(VolumeEntry volume, ServerEntry server) {
    if (server != null && isBusy(server.id, "server")) {
      throw new ApiError(ErrorCode.LOCKED, "server " + server.id + " is locked");
    }
    if (volume != null && isBusy(volume.id, "volume")) {
      throw new ApiError(ErrorCode.LOCKED, "volume " + volume.id + " is locked");
    }
  }

  private boolean isBusy(long id, String type) {
    return actions.values().stream()
        .anyMatch(a -> a.finished == null && a.resources.contains(resource(id, type)));
  }

  private void removeServer(long serverId) {
    servers.remove(serverId);
    volumes.values().stream()
        .filter(v -> Objects.equals(v.serverId, serverId))
        .forEach(v -> v.serverId = null);
  }

  private List<Long> volumesOf(long serverId) {
    return volumes.values().stream()
        .filter(v -> Objects.equals(v.serverId, serverId))
        .map(v -> v.id)
        .toList();
  }

  private Views.Page<Views.Action> actionsOn(long id, String type, ListQuery query) {
    List<Views.Action> on =
        actions.values().stream()
            .filter(a -> a.resources.contains(resource(id, type)))
            .map(this::view)
            .toList();
    return query.apply(on, actionFields(), null, null, Views.Action::status);
  }

  private static Map<String, Comparator<Views.Action>> actionFields() {
    Map<String, Comparator<Views.Action>> fields = new LinkedHashMap<>();
    fields.put("id", Comparator.comparingLong(Views.Action::id));
    fields.put("command", Comparator.comparing(Views.Action::command));
    fields.put("status", Comparator.comparing(Views.Action::status));
    fields.put("progress", Comparator.comparingInt(Views.Action::progress));
    fields.put("started", Comparator.comparing(Views.Action::started));
    fields.put(
        "finished",
        Comparator.comparing(
            Views.Action::finished, Comparator.nullsLast(Comparator.naturalOrder())));
    return fields;
  }

  private ServerEntry serverEntry(long id) {
    ServerEntry server = servers.get(id);
    if (server == null) {
      throw ApiError.notFound("server");
    }
    return server;
  }

  private VolumeEntry volumeEntry(long id) {
    VolumeEntry volume = volumes.get(id);
    if (volume == null) {
      throw ApiError.notFound("volume");
    }
    return volume;
  }

  private Catalog.Site scenarioSite(String name, String field) {
    Catalog.Site site =
        Catalog.site(name)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        field
                            + ": location "
                            + name
                            + " is unknown; known: "
                            + Catalog.sites().stream().map(s -> s.location().name()).toList()));
    if (!sites.isEmpty() && !sites.contains(site) && !field.equals("locations")) {
      throw new IllegalArgumentException(
          field + ": location " + name + " is not in the scenario's locations");
    }
    return site;
  }

  private static String required(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " is required");
    }
    return value;
  }

  private static Map<String, String> labels(Map<String, String> labels) {
    return labels == null ? Map.of() : Map.copyOf(labels);
  }

  private static Views.Resource resource(long id, String type) {
    return new Views.Resource(id, type);
  }

  private static String format(Instant instant) {
    return instant == null ? null : TIME.format(instant);
  }

  private Views.Server view(ServerEntry s) {
    Views.Location location = s.site.location();
    return new Views.Server(
        s.id,
        s.name,
        s.status,
        format(s.created),
        new Views.PublicNet(
            new Views.Ipv4(
                s.id,
                "203.0." + (s.id / 250 % 250) + "." + (s.id % 250 + 1),
                false,
                "static." + s.id + ".example.com"),
            new Views.Ipv6(s.id, "2001:db8:" + Long.toHexString(s.id) + "::/64", false, List.of()),
            List.of(),
            List.of()),
        List.of(),
        s.type,
        new Views.Datacenter(
            s.site.datacenterId(),
            s.site.datacenterName(),
            location.description()
                + " DC "
                + s.site.datacenterName().substring(s.site.datacenterName().indexOf("dc") + 2),
            location,
            new Views.DatacenterServerTypes(
                List.of(s.type.id()), List.of(s.type.id()), List.of(s.type.id()))),
        null,
        null,
        false,
        isBusy(s.id, "server"),
        null,
        null,
        null,
        21_990_232_555_520L,
        new Views.ServerProtection(false, false),
        s.labels,
        volumesOf(s.id),
        List.of(),
        s.type.disk(),
        null);
  }

  private Views.Volume view(VolumeEntry v) {
    return new Views.Volume(
        v.id,
        v.name,
        v.serverId,
        "available",
        v.site.location(),
        v.size,
        "/dev/disk/by-id/scsi-0HC_Volume_" + v.id,
        new Views.VolumeProtection(v.deleteProtected),
        v.labels,
        v.format,
        format(v.created));
  }

  private Views.Action view(ActionEntry a) {
    String status;
    int progress;
    if (a.finished == null) {
      status = "running";
      long total = Math.max(1, a.duration.toMillis());
      long elapsed = Duration.between(a.started, clock.instant()).toMillis();
      progress = (int) Math.max(0, Math.min(99, elapsed * 100 / total));
    } else {
      status = a.failure == null ? "success" : "error";
      progress = 100;
    }
    return new Views.Action(
        a.id,
        a.command,
        status,
        progress,
        format(a.started),
        format(a.finished),
        a.resources,
        a.finished == null ? null : a.failure);
  }

  private static final class ServerEntry {
    long id;
    String name;
    String status;
    Catalog.Site site;
    Views.ServerType type;
    Map<String, String> labels;
    Instant created;
    boolean hung;
  }

  private static final class VolumeEntry {
    long id;
    String name;
    Long serverId;
    Catalog.Site site;
    int size;
    String format;
    Map<String, String> labels;
    boolean deleteProtected;
    Instant created;
  }

  private static final class ActionEntry {
    long id;
    String command;
    List<Views.Resource> resources;
    Instant started;
    Duration duration;
    Instant finished;
    Runnable effect;
    Views.ActionError failure;

    Instant endsAt() {
      return started.plus(duration);
    }
  }
}
