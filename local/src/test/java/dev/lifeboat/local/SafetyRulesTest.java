package dev.lifeboat.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The safety rules for a node removed on purpose, on hand-made action logs of hcloud-sim. */
class SafetyRulesTest {

  private static final Instant T0 = Instant.parse("2026-12-03T02:00:00Z");
  private static final long OLD = 7001;
  private static final long NEW = 7002;
  private static final long VOLUME = 70001;

  private final ObjectMapper json = new ObjectMapper();
  private final ObjectNode state = json.createObjectNode();
  private final ArrayNode actions = state.putArray("actions");

  SafetyRulesTest() {
    ArrayNode servers = state.putArray("servers");
    for (long id : new long[] {OLD, NEW}) {
      servers
          .addObject()
          .put("id", id)
          .putObject("datacenter")
          .putObject("location")
          .put("name", "fsn1");
    }
    ObjectNode volume = state.putArray("volumes").addObject();
    volume.put("id", VOLUME).put("server", OLD).putObject("location").put("name", "fsn1");
  }

  @Test
  void aPlannedRemovalMayDetachFromItsRunningServerAndAttachElsewhere() {
    action("detach_volume", 10, 13, VOLUME, OLD);
    action("attach_volume", 14, 17, VOLUME, NEW);
    action("delete_server", 20, 22, 0, OLD);

    assertThat(violations(List.of(new SafetyRules.Planned(OLD, T0)))).isEmpty();
    assertThat(violations(List.of()))
        .as("without the removal, the same log breaks the fence rules")
        .anySatisfy(v -> assertThat(v).contains("while server 7001 was running"))
        .anySatisfy(v -> assertThat(v).contains("before server 7001 was off or deleted"));
  }

  @Test
  void aRemovedServerDeletedBeforeItsLastDetachFinishedBreaksTheRule() {
    action("detach_volume", 10, 16, VOLUME, OLD);
    action("delete_server", 12, 14, 0, OLD);

    assertThat(violations(List.of(new SafetyRules.Planned(OLD, T0))))
        .singleElement()
        .satisfies(
            v ->
                assertThat(v)
                    .contains("delete_server of server 7001")
                    .contains("before the detach of volume 70001 finished"));
  }

  @Test
  void aDetachBeforeTheRemovalWasAskedForIsStillChecked() {
    action("detach_volume", 1, 3, VOLUME, OLD);

    assertThat(violations(List.of(new SafetyRules.Planned(OLD, T0.plusSeconds(5)))))
        .singleElement()
        .satisfies(v -> assertThat(v).contains("while server 7001 was running"));
  }

  @Test
  void aNodeLostDuringItsRemovalMayHaveItsVolumesDetachedOnceItsLossFencedIt() {
    // The node dies while its removal waits; its loss incident powers the server off (the fence),
    // then detaches and moves the volume.
    action("stop_server", 10, 12, 0, OLD);
    action("detach_volume", 13, 16, VOLUME, OLD);
    action("attach_volume", 17, 20, VOLUME, NEW);
    List<SafetyRules.Outside> died =
        List.of(new SafetyRules.Outside(OLD, T0.plusSeconds(5), false));

    assertThat(violations(died, List.of(new SafetyRules.Planned(OLD, T0)))).isEmpty();
  }

  @Test
  void aServerPoweredOffWhileADetachFromItRunsBreaksTheRule() {
    action("detach_volume", 10, 16, VOLUME, OLD);
    action("stop_server", 12, 14, 0, OLD);

    assertThat(violations(List.of(new SafetyRules.Planned(OLD, T0))))
        .singleElement()
        .satisfies(v -> assertThat(v).contains("stop_server of server 7001"));
  }

  private List<String> violations(List<SafetyRules.Planned> planned) {
    return violations(List.of(), planned);
  }

  private List<String> violations(
      List<SafetyRules.Outside> outside, List<SafetyRules.Planned> planned) {
    JsonNode world = state;
    SafetyRules.Start start = SafetyRules.Start.of(world);
    // The start is the world before any action: the volume on the old server.
    return SafetyRules.violations(start, world, outside, planned);
  }

  private void action(String command, int startedAt, int finishedAt, long volume, long server) {
    ObjectNode action = actions.addObject();
    action.put("command", command).put("status", "success");
    action.put("started", T0.plusSeconds(startedAt).toString());
    action.put("finished", T0.plusSeconds(finishedAt).toString());
    ArrayNode resources = action.putArray("resources");
    if (volume != 0) {
      resources.addObject().put("type", "volume").put("id", volume);
    }
    resources.addObject().put("type", "server").put("id", server);
  }
}
