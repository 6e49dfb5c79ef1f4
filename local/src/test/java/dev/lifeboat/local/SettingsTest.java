package dev.lifeboat.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A benchmark's {@code --property COMPONENT:KEY=VALUE}: per component, over the scenario's. */
class SettingsTest {

  @Test
  void eachPropertyGoesToItsComponentOverTheScenariosOwn() {
    var properties =
        Settings.properties(
            List.of(
                "hcloud-adapter:lifeboat.hcloud.poll.attach-slack=0s",
                "volume-orchestrator:lifeboat.saga.max-active-flows=8",
                "hcloud-adapter:lifeboat.hcloud.url=http://h:1/v1?a=b"));

    Settings merged =
        Settings.local(Path.of("/repo"), Map.of())
            .withProperties(BenchStorm.properties(2, 4))
            .withProperties(properties);

    assertThat(merged.properties().get("hcloud-adapter"))
        .containsEntry("lifeboat.hcloud.poll.attach-slack", "0s")
        .containsEntry("lifeboat.hcloud.url", "http://h:1/v1?a=b");
    assertThat(merged.properties().get("volume-orchestrator"))
        .containsEntry("lifeboat.saga.max-active-flows", "8")
        .containsEntry("lifeboat.saga.max-fencing-share", "1.0");
  }

  @Test
  void aPropertyThatIsNotComponentKeyValueOrNamesNoComponentIsRefusedNamingIt() {
    assertThatThrownBy(() -> Settings.properties(List.of("lifeboat.saga.max-active-flows=8")))
        .hasMessageContaining("--property lifeboat.saga.max-active-flows=8")
        .hasMessageContaining("COMPONENT:KEY=VALUE");
    assertThatThrownBy(() -> Settings.properties(List.of("hcloud-adapter:=0s")))
        .hasMessageContaining("COMPONENT:KEY=VALUE");
    assertThatThrownBy(() -> Settings.properties(List.of("adapter:a=b")))
        .hasMessageContaining("one of [hcloud-sim");
  }
}
