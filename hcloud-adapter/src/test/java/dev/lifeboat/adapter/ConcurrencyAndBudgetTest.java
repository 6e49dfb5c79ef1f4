package dev.lifeboat.adapter;

import static dev.lifeboat.adapter.AdapterTestSupport.attach;
import static dev.lifeboat.adapter.AdapterTestSupport.powerOff;
import static dev.lifeboat.adapter.AdapterTestSupport.requests;
import static dev.lifeboat.adapter.AdapterTestSupport.result;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.events.Topic;
import dev.lifeboat.events.hcloud.AttachVolume;
import dev.lifeboat.events.hcloud.HcloudCommandSucceeded;
import dev.lifeboat.events.hcloud.HcloudResult;
import dev.lifeboat.events.hcloud.PowerOffServer;
import dev.lifeboat.events.permit.BudgetReported;
import dev.lifeboat.events.permit.PermitMessage;
import dev.lifeboat.testkit.HcloudSimProcess;
import dev.lifeboat.testkit.KafkaBrokerResource;
import dev.lifeboat.testkit.LifeboatTopics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Many commands at once: queued per server, polled in batches, paced by the budget. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(HcloudSimProcess.Resource.class)
class ConcurrencyAndBudgetTest extends WithTopics {

  @Test
  void fiftyAttachesToFiveServersCompleteWithoutLockedFailuresAndWithFewPolls() {
    HcloudSimProcess.shared().reset(scenario(5, 50));
    List<AttachVolume> commands = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      commands.add(attach(200_001 + i, 5001 + i % 5));
    }

    commands.forEach(topics::send);
    List<HcloudResult> results = commands.stream().map(c -> result(topics, c)).toList();

    assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOf(HcloudCommandSucceeded.class));
    List<String> log = requests();
    long polls = log.stream().filter(r -> r.startsWith("GET /v1/actions?")).count();
    long locked = log.stream().filter(r -> r.endsWith(" 423")).count();
    System.out.printf(
        "50 attaches to 5 servers: %d requests in all, %d GET /actions polls, %d answered 423%n",
        log.size(), polls, locked);
    assertThat(locked).isZero();
    assertThat(polls).as("one poll per action would be 50 or more").isLessThan(50);
  }

  @Test
  void anActionIsAskedAboutAroundWhenItsKindLatelyTookNotManyTimesBefore() {
    HcloudSimProcess sim = HcloudSimProcess.shared();
    sim.reset(scenario(12, 12));
    sim.send(
        "PUT", "/_sim/settings", HcloudSimProcess.settings(Duration.ofSeconds(1), 3600, 1, true));

    // One attach after another, each to its own server: every poll between two attaches is for
    // the first of them.
    for (int i = 0; i < 12; i++) {
      AttachVolume attach = attach(200_001 + i, 5001 + i);
      topics.send(attach);
      assertThat(result(topics, attach)).isInstanceOf(HcloudCommandSucceeded.class);
    }

    List<Integer> polls = new ArrayList<>();
    for (String request : requests()) {
      if (request.startsWith("POST /v1/volumes/") && request.contains("/actions/attach")) {
        polls.add(0);
      } else if (request.startsWith("GET /v1/actions?") && !polls.isEmpty()) {
        polls.set(polls.size() - 1, polls.get(polls.size() - 1) + 1);
      }
    }
    System.out.printf("polls per 1 s attach, in order: %s%n", polls);
    assertThat(polls).hasSize(12);
    // Backing off from 250 ms asks at 0.25, 0.63, 1.19 s: three polls or more for a 1 s action.
    // Once attaches have lately taken 1 s, the first ask comes after that, and mostly finds it
    // done.
    double lastFour = polls.subList(8, 12).stream().mapToInt(Integer::intValue).average().orElse(0);
    assertThat(lastFour).as("polls per attach, the last four: %s", polls).isLessThanOrEqualTo(1.5);
  }

  @Test
  void aShortBudgetIsReportedToTheFlowSlotsAuthorityAndThenOnceThatItIsNoLonger() {
    HcloudSimProcess sim = HcloudSimProcess.shared();
    sim.reset(scenario(20, 20));
    sim.send(
        "PUT", "/_sim/settings", HcloudSimProcess.settings(HcloudSimProcess.ACTION, 12, 4, true));
    List<AttachVolume> attaches = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      attaches.add(attach(200_001 + i, 5001 + i));
    }

    attaches.forEach(topics::send);
    attaches.forEach(c -> assertThat(result(topics, c)).isInstanceOf(HcloudCommandSucceeded.class));

    ConsumerRecord<String, byte[]> shortRecord =
        topics.awaitRecord(
            Topic.FENCING_PERMITS,
            r ->
                LifeboatTopics.read(r, BudgetReported.class)
                    .filter(b -> b.constrained() && b.limit() == 12)
                    .isPresent());
    BudgetReported shortReport =
        LifeboatTopics.read(shortRecord, BudgetReported.class).orElseThrow();
    assertThat(shortRecord.key()).isEqualTo(PermitMessage.AUTHORITY_KEY);
    assertThat(shortReport.remaining()).isLessThan(6);
    assertThat(shortReport.servedPerSecond()).isGreaterThan(0);
    // Nothing is asked any more: the bucket fills up again (4 a second), and the adapter says once
    // that the budget is no longer short.
    BudgetReported recovered =
        topics.awaitMessage(
            Topic.FENCING_PERMITS,
            BudgetReported.class,
            b -> !b.constrained() && b.occurredAt().isAfter(shortReport.occurredAt()));
    assertThat(recovered.remaining()).isGreaterThanOrEqualTo(6);
    assertThat(recovered.waiting()).isZero();
  }

  @Test
  void lowBudgetServesFencingFirstWithoutABurstOf429s() {
    HcloudSimProcess sim = HcloudSimProcess.shared();
    sim.reset(scenario(23, 20));
    sim.send(
        "PUT", "/_sim/settings", HcloudSimProcess.settings(HcloudSimProcess.ACTION, 12, 4, true));
    List<AttachVolume> attaches = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      attaches.add(attach(200_001 + i, 5001 + i));
    }
    List<PowerOffServer> fences = List.of(powerOff(5021), powerOff(5022), powerOff(5023));

    attaches.forEach(topics::send);
    fences.forEach(topics::send);
    List<Instant> attachDone =
        attaches.stream()
            .map(c -> result(topics, c))
            .map(r -> checkSucceeded(r).occurredAt())
            .toList();
    List<Instant> fenceDone =
        fences.stream()
            .map(c -> result(topics, c))
            .map(r -> checkSucceeded(r).occurredAt())
            .toList();

    Instant lastFence = fenceDone.stream().max(Comparator.naturalOrder()).orElseThrow();
    long attachesBeforeLastFence = attachDone.stream().filter(t -> t.isBefore(lastFence)).count();
    long tooMany = requests().stream().filter(r -> r.endsWith(" 429")).count();
    System.out.printf(
        "low budget (12, refill 4/s): %d answers 429; %d of 20 earlier attaches finished before the last fence (%s after it)%n",
        tooMany,
        attachesBeforeLastFence,
        Duration.between(
            lastFence, attachDone.stream().max(Comparator.naturalOrder()).orElseThrow()));
    assertThat(tooMany).as("answers 429 (a burst would be many)").isLessThanOrEqualTo(3);
    assertThat(attachesBeforeLastFence)
        .as("fencing overtakes attaches queued before it")
        .isLessThan(10);
  }

  private static HcloudCommandSucceeded checkSucceeded(HcloudResult result) {
    assertThat(result).isInstanceOf(HcloudCommandSucceeded.class);
    return (HcloudCommandSucceeded) result;
  }

  /** Servers 5001.. and free volumes 200001.. in fsn1. */
  private static String scenario(int servers, int volumes) {
    StringBuilder yaml = new StringBuilder("locations: [fsn1]\nservers:\n");
    for (int i = 0; i < servers; i++) {
      yaml.append("  - {id: ")
          .append(5001 + i)
          .append(", name: s")
          .append(i)
          .append(", location: fsn1}\n");
    }
    yaml.append("volumes:\n");
    for (int i = 0; i < volumes; i++) {
      yaml.append("  - {id: ")
          .append(200_001 + i)
          .append(", name: v")
          .append(i)
          .append(", location: fsn1}\n");
    }
    return yaml.toString();
  }
}
