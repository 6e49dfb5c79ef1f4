package dev.lifeboat.sim.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifeboat.sim.config.SimProducers;
import dev.lifeboat.sim.domain.ApiError;
import dev.lifeboat.sim.domain.Cloud;
import dev.lifeboat.sim.domain.ErrorCode;
import dev.lifeboat.sim.domain.Faults;
import dev.lifeboat.sim.domain.RequestLog;
import dev.lifeboat.sim.domain.Scenario;
import dev.lifeboat.sim.domain.Settings;
import dev.lifeboat.sim.domain.TokenBucket;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The simulator's own API, beside the Hetzner one ({@code /_sim}, not under {@code /v1}): the whole
 * state, reset, the request log, faults, settings, and what happens to servers outside the API. Not
 * rate limited, no token.
 */
@Path("/_sim")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

  /** Body of {@code PUT /_sim/faults}. */
  public record FaultSet(List<Faults.Rule> rules, List<Faults.ActionFailure> actionFailures) {
    public FaultSet {
      rules = rules == null ? List.of() : rules;
      actionFailures = actionFailures == null ? List.of() : actionFailures;
    }
  }

  private final Cloud cloud;
  private final Faults faults;
  private final RequestLog log;
  private final TokenBucket bucket;
  private final Clock clock;
  private final SimProducers.InitialScenario initial;
  private final ObjectMapper json;

  AdminResource(
      Cloud cloud,
      Faults faults,
      RequestLog log,
      TokenBucket bucket,
      Clock clock,
      SimProducers.InitialScenario initial,
      ObjectMapper json) {
    this.cloud = cloud;
    this.faults = faults;
    this.log = log;
    this.bucket = bucket;
    this.clock = clock;
    this.initial = initial;
    this.json = json;
  }

  /** Everything: servers (with hung ones named), volumes, every action with its times, settings. */
  @GET
  @Path("/state")
  public Map<String, Object> state() {
    return cloud.dump();
  }

  /**
   * Back to the start: the initial scenario, or the scenario in the body (YAML or JSON); the
   * request log is cleared and the rate limit bucket is full again.
   */
  @POST
  @Path("/reset")
  @Consumes(MediaType.WILDCARD)
  public Map<String, Object> reset(String scenario) {
    try {
      cloud.reset(
          scenario == null || scenario.isBlank()
              ? initial.scenario()
              : SimProducers.parse(scenario, "in the request"));
    } catch (IllegalArgumentException e) {
      throw new ApiError(ErrorCode.INVALID_INPUT, e.getMessage());
    }
    log.clear();
    bucket.reset(cloud.settings().rateLimit(), clock.instant());
    return cloud.dump();
  }

  /** Counters per endpoint and status, and the most recent requests. */
  @GET
  @Path("/requests")
  public RequestLog.Snapshot requests() {
    return log.snapshot();
  }

  @DELETE
  @Path("/requests")
  public RequestLog.Snapshot clearRequests() {
    log.clear();
    return log.snapshot();
  }

  @GET
  @Path("/faults")
  public FaultSet faults() {
    return new FaultSet(faults.rules(), faults.actionFailures());
  }

  /** Replaces every fault rule and action failure. */
  @PUT
  @Path("/faults")
  @Consumes(MediaType.APPLICATION_JSON)
  public FaultSet setFaults(FaultSet set) {
    faults.set(set.rules(), set.actionFailures());
    return faults();
  }

  @DELETE
  @Path("/faults")
  public FaultSet clearFaults() {
    faults.clear();
    return faults();
  }

  @GET
  @Path("/settings")
  public Settings settings() {
    return cloud.settings();
  }

  /** Changes the settings given in the body, keeping the others; the bucket starts full. */
  @PUT
  @Path("/settings")
  @Consumes(MediaType.APPLICATION_JSON)
  public Settings changeSettings(JsonNode changes) {
    ObjectNode merged = json.valueToTree(cloud.settings());
    merge(merged, changes);
    Settings settings;
    try {
      settings = json.treeToValue(merged, Settings.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new ApiError(
          ErrorCode.INVALID_INPUT,
          "settings are not valid: "
              + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
    }
    cloud.settings(settings);
    bucket.reset(settings.rateLimit(), clock.instant());
    return settings;
  }

  /**
   * Body of {@code POST /_sim/add}: servers and volumes in the scenario's form.
   *
   * @param servers servers to add (a server no Node stands for, for the doctor's drift)
   * @param volumes volumes to add, attached to a server by name or to none
   */
  public record Addition(List<Scenario.ServerSpec> servers, List<Scenario.VolumeSpec> volumes) {}

  /**
   * Drift made outside Lifeboat: adds servers and volumes as they are, without an action (a server
   * that is no Node with a volume on it, a volume that no PersistentVolume names); answers with
   * what now exists. A 400 with a JSON body, and nothing added, for anything the API would refuse.
   */
  @POST
  @Path("/add")
  @Consumes(MediaType.APPLICATION_JSON)
  public Map<String, Object> add(Addition addition) {
    if (addition == null) {
      throw new ApiError(ErrorCode.INVALID_INPUT, "a JSON body with servers and volumes is needed");
    }
    try {
      cloud.add(
          addition.servers() == null ? List.of() : addition.servers(),
          addition.volumes() == null ? List.of() : addition.volumes());
    } catch (IllegalArgumentException e) {
      throw new ApiError(ErrorCode.INVALID_INPUT, e.getMessage());
    }
    return cloud.dump();
  }

  /**
   * The volume is on no server at once, with no action (drift whose cause nobody sees, for the
   * doctor's kind 2: a VolumeAttachment still says attached).
   */
  @POST
  @Path("/volumes/{id}/lose-attachment")
  public Map<String, Object> loseAttachment(@PathParam("id") long id) {
    cloud.loseAttachment(id);
    return Map.of("volume", cloud.volume(id));
  }

  /** The server's OS stops answering; it stays {@code running}. */
  @POST
  @Path("/servers/{id}/hang")
  public Map<String, Object> hang(@PathParam("id") long id) {
    cloud.hang(id);
    return Map.of("server", cloud.server(id), "hung", true);
  }

  /** A hung server's OS answers again. */
  @POST
  @Path("/servers/{id}/recover")
  public Map<String, Object> recover(@PathParam("id") long id) {
    cloud.recover(id);
    return Map.of("server", cloud.server(id), "hung", false);
  }

  /** The server dies: {@code off} at once, no action. */
  @POST
  @Path("/servers/{id}/die")
  public Map<String, Object> die(@PathParam("id") long id) {
    cloud.die(id);
    return Map.of("server", cloud.server(id));
  }

  /** The server is deleted outside Lifeboat: gone at once, its volumes detached. */
  @POST
  @Path("/servers/{id}/delete")
  public Map<String, Object> deleteOutside(@PathParam("id") long id) {
    cloud.deleteOutside(id);
    return Map.of("deleted", id);
  }

  private static void merge(ObjectNode target, JsonNode changes) {
    if (changes == null || !changes.isObject()) {
      throw new ApiError(ErrorCode.INVALID_INPUT, "settings must be a JSON object");
    }
    changes
        .fields()
        .forEachRemaining(
            field -> {
              JsonNode current = target.get(field.getKey());
              if (current == null) {
                throw ApiError.invalidInput(field.getKey(), "is not a setting");
              }
              if (current.isObject() && field.getValue().isObject()) {
                merge((ObjectNode) current, field.getValue());
              } else {
                target.set(field.getKey(), field.getValue());
              }
            });
  }
}
