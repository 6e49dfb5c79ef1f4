package dev.lifeboat.adapter.hcloud;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/** The parts of the Hetzner Cloud API's JSON the adapter reads (docs/hetzner-api.md). */
public final class HcloudDtos {

  private HcloudDtos() {}

  /** A server: its status, the volumes attached to it and where it stands. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Server(
      long id,
      String name,
      String status,
      boolean locked,
      List<Long> volumes,
      Datacenter datacenter) {

    /** Its location's name; null when the answer had none. */
    public String locationName() {
      return datacenter == null || datacenter.location() == null
          ? null
          : datacenter.location().name();
    }
  }

  /** A data center: what matters of it is its location. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Datacenter(Location location) {}

  /** A location. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Location(String name) {}

  /** A resource's protection flags. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Protection(boolean delete) {}

  /** A volume: the server it is attached to, if any, where it is, and its protection. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Volume(
      long id, String name, Long server, String status, Location location, Protection protection) {

    /** Whether Hetzner refuses to delete it. */
    public boolean deleteProtected() {
      return protection != null && protection.delete();
    }
  }

  /** Why an action failed. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ActionError(String code, String message) {}

  /** A resource an action works on. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Resource(long id, String type) {}

  /** An action. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Action(
      long id,
      String command,
      String status,
      int progress,
      String started,
      String finished,
      List<Resource> resources,
      ActionError error) {

    /** Whether the action has ended, with success or error. */
    public boolean ended() {
      return !"running".equals(status);
    }
  }

  /** {@code {"server": ...}}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ServerEnvelope(Server server) {}

  /** {@code {"volume": ...}}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record VolumeEnvelope(Volume volume) {}

  /** {@code {"action": ...}}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ActionEnvelope(Action action) {}

  /** {@code {"actions": [...]}}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ActionList(List<Action> actions) {}

  /** {@code {"servers": [...], "meta": {"pagination": ...}}}: one page of the server list. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ServerList(List<Server> servers, Meta meta) {}

  /** One page of the volume list. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record VolumeList(List<Volume> volumes, Meta meta) {}

  /** A list's {@code meta}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Meta(Pagination pagination) {}

  /** Where a list page stands; {@code nextPage} null on the last page. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Pagination(Integer nextPage) {}

  /** Body of an attach request. */
  public record AttachRequest(long server, boolean automount) {}

  /** The API's error body. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ErrorBody(ActionError error) {}
}
