package dev.lifeboat.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every file of this repository that docs/deploy.md names (commands and text) exists. */
class DeployDocTest {

  private static final Pattern PATH =
      Pattern.compile(
          "(?<![\\w/.-])((?:k8s|docs|node-watcher|volume-orchestrator|hcloud-adapter|audit-service"
              + "|hcloud-sim)/[\\w./$-]*[\\w])");

  @Test
  void everyFileTheGuideNamesExists() throws Exception {
    String guide = Files.readString(Repo.root().resolve("docs/deploy.md"));
    List<String> named = new ArrayList<>();
    Matcher matcher = PATH.matcher(guide);
    while (matcher.find()) {
      named.add(matcher.group(1));
    }

    assertThat(named).contains("k8s/overlays/dry-run", "k8s/overlays/production");
    for (String path : named) {
      for (String service :
          List.of("node-watcher", "volume-orchestrator", "hcloud-adapter", "audit-service")) {
        String resolved = path.replace("$service", service);
        assertThat(Repo.root().resolve(resolved)).as("docs/deploy.md names " + path).exists();
        if (resolved.equals(path)) {
          break;
        }
      }
    }
  }
}
