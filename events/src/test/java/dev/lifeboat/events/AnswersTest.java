package dev.lifeboat.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.events.cluster.AwaitPodReady;
import dev.lifeboat.events.cluster.AwaitReplacementPod;
import dev.lifeboat.events.cluster.ClusterCommand;
import dev.lifeboat.events.cluster.ClusterCommandFailed;
import dev.lifeboat.events.cluster.ClusterCommandSucceeded;
import dev.lifeboat.events.cluster.PodReady;
import dev.lifeboat.events.cluster.ReplacementPodScheduled;
import dev.lifeboat.events.hcloud.HcloudCommand;
import dev.lifeboat.events.hcloud.HcloudCommandFailed;
import dev.lifeboat.events.hcloud.HcloudResult;
import dev.lifeboat.events.hcloud.ObserveServer;
import dev.lifeboat.events.hcloud.ServerObserved;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which results can answer which commands, asked of the contract for every sample pair. */
class AnswersTest {

  private final List<LifeboatMessage> samples = SampleMessages.all();

  @Test
  void everyCommandIsAnsweredByItsFamilysResultsOnly() {
    for (LifeboatMessage m : samples) {
      if (!(m instanceof Command command)) {
        continue;
      }
      for (LifeboatMessage r : samples) {
        if (!(r instanceof CommandResult result)) {
          continue;
        }
        boolean expected =
            command instanceof ObserveServer
                ? result instanceof ServerObserved || result instanceof HcloudCommandFailed
                : command instanceof HcloudCommand
                    ? result instanceof HcloudResult && !(result instanceof ServerObserved)
                    : command instanceof AwaitReplacementPod
                        ? result instanceof ReplacementPodScheduled
                            || result instanceof ClusterCommandFailed
                        : command instanceof AwaitPodReady
                            ? result instanceof PodReady || result instanceof ClusterCommandFailed
                            : result instanceof ClusterCommandSucceeded
                                || result instanceof ClusterCommandFailed;
        assertThat(command.answeredBy(result))
            .as(
                command.getClass().getSimpleName()
                    + " answered by "
                    + result.getClass().getSimpleName())
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void theSamplesHoldEveryKindOfCommandAndResult() {
    assertThat(samples.stream().filter(m -> m instanceof ClusterCommand).map(Object::getClass))
        .containsExactlyInAnyOrder(ClusterCommand.class.getPermittedSubclasses());
    assertThat(samples.stream().filter(m -> m instanceof HcloudCommand).count()).isEqualTo(6);
    assertThat(samples.stream().filter(m -> m instanceof CommandResult).count()).isEqualTo(9);
  }
}
