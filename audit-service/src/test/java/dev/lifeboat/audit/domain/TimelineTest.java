package dev.lifeboat.audit.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.events.IncidentId;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.MessageIds;
import dev.lifeboat.events.Topic;
import dev.lifeboat.events.cluster.AwaitPodReady;
import dev.lifeboat.events.cluster.ClusterCommandSucceeded;
import dev.lifeboat.events.cluster.DeclareNodeGone;
import dev.lifeboat.events.cluster.DeleteVolumeAttachments;
import dev.lifeboat.events.cluster.ForceDeletePods;
import dev.lifeboat.events.hcloud.DetachVolume;
import dev.lifeboat.events.hcloud.HcloudCommandSucceeded;
import dev.lifeboat.events.hcloud.ObserveServer;
import dev.lifeboat.events.hcloud.PowerOffServer;
import dev.lifeboat.events.hcloud.ServerObserved;
import dev.lifeboat.events.node.ClaimRef;
import dev.lifeboat.events.node.EligibleNode;
import dev.lifeboat.events.node.GoneReason;
import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.node.NodeRef;
import dev.lifeboat.events.node.NodeSuspected;
import dev.lifeboat.events.node.PodRef;
import dev.lifeboat.events.node.SuspicionReason;
import dev.lifeboat.events.permit.FlowSlotsGranted;
import dev.lifeboat.events.permit.FlowSlotsRefused;
import dev.lifeboat.events.permit.FlowSlotsRequested;
import dev.lifeboat.events.permit.FlowSlotsReturned;
import dev.lifeboat.events.saga.Step;
import dev.lifeboat.events.saga.StepStarted;
import dev.lifeboat.events.saga.StepSucceeded;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The timeline reads as a story, whatever order the topics were stored in. */
class TimelineTest {

  private static final Instant T0 = Instant.parse("2026-11-26T03:00:00Z");
  private static final NodeRef NODE = new NodeRef("worker-2", "uid-2", 4202, "fsn1");
  private static final String INCIDENT = IncidentId.forNode(NODE.name(), NODE.uid());
  private static final long VOLUME = 100001;

  @Test
  void causeComesBeforeEffectAndEveryResultNamesItsCommandAndVolume() {
    Instant saga = T0.plusMillis(8_000);
    Instant fenced = T0.plusMillis(10_123).plusNanos(456_789);
    PowerOffServer fence = new PowerOffServer(id(), INCIDENT, saga, "cmd-fence", 4202);
    DetachVolume detach = new DetachVolume(id(), INCIDENT, fenced, "cmd-detach", VOLUME, 4202);
    List<Entry> entries = new ArrayList<>();
    // Stored as the topics happened to interleave: commands first, the result last.
    add(entries, Topic.HCLOUD_COMMANDS, detach);
    add(entries, Topic.HCLOUD_COMMANDS, fence);
    add(entries, Topic.NODE_EVENTS, suspected());
    add(entries, Topic.NODE_EVENTS, gone());
    add(entries, Topic.SAGA_EVENTS, started(saga, Step.FENCE, null, "cmd-fence"));
    add(entries, Topic.SAGA_EVENTS, succeeded(fenced, Step.FENCE, null, "server 4202 is off"));
    add(entries, Topic.SAGA_EVENTS, started(fenced, Step.DETACH, VOLUME, "cmd-detach"));
    add(
        entries,
        Topic.HCLOUD_RESULTS,
        new HcloudCommandSucceeded(
            id(), INCIDENT, fenced, "cmd-fence", 42, saga, saga.plusMillis(1_900)));

    List<Timeline.Line> lines = Timeline.lines(entries);

    assertThat(lines)
        .extracting(Timeline.Line::summary)
        .containsExactly(
            "node worker-2 suspected (LEASE_OVERDUE)",
            "node worker-2 gone (LEASE_EXPIRED), server 4202, 1 volume(s)",
            "FENCE started (attempt 1)",
            "command: power off server 4202",
            "result of power off server 4202: succeeded, action 42 took 1.9 s",
            "FENCE succeeded: server 4202 is off",
            "DETACH of volume 100001 (shop/data-db-0, pod db-0) started (attempt 1)",
            "command: detach volume 100001 (shop/data-db-0, pod db-0) from server 4202");
    assertThat(lines)
        .extracting(Timeline.Line::at)
        .contains("2026-11-26T03:00:00.000Z", "2026-11-26T03:00:10.123Z");
    assertThat(lines)
        .extracting(Timeline.Line::sinceStart)
        .containsExactly(
            "+0.0 s", "+6.0 s", "+8.0 s", "+8.0 s", "+10.1 s", "+10.1 s", "+10.1 s", "+10.1 s");

    // Stored again topic after topic (as a re-consumption reads them): each topic keeps its own
    // order, the interleaving across topics changes, the story does not.
    List<Entry> topicByTopic = new ArrayList<>(entries);
    topicByTopic.sort(
        java.util.Comparator.comparing(Entry::topic).reversed().thenComparingLong(Entry::sequence));
    List<Entry> restored = new ArrayList<>();
    topicByTopic.forEach(e -> restored.add(new Entry(restored.size(), e.topic(), e.message())));
    assertThat(restored)
        .extracting(Entry::message)
        .isNotEqualTo(entries.stream().map(Entry::message).toList());
    assertThat(Timeline.lines(restored)).isEqualTo(lines);
  }

  @Test
  void theFlowLimitSaysWhatAnIncidentAskedForGotAndGaveBack() {
    List<Entry> entries = new ArrayList<>();
    add(entries, Topic.FENCING_PERMITS, new FlowSlotsRequested(id(), INCIDENT, T0, 8, 32, false));
    add(entries, Topic.FENCING_PERMITS, new FlowSlotsRefused(id(), INCIDENT, T0, 32, 32));
    add(entries, Topic.FENCING_PERMITS, new FlowSlotsGranted(id(), INCIDENT, T0, 3, 29));
    add(entries, Topic.FENCING_PERMITS, new FlowSlotsReturned(id(), INCIDENT, T0, 2));
    add(entries, Topic.FENCING_PERMITS, new FlowSlotsRequested(id(), INCIDENT, T0, 1, 32, true));
    add(entries, Topic.FENCING_PERMITS, new FlowSlotsReturned(id(), INCIDENT, T0, 0));

    assertThat(Timeline.lines(entries))
        .extracting(Timeline.Line::summary)
        .containsExactly(
            "flow slots asked for: 8 at once (limit 32)",
            "flow slots refused: other incidents hold 32 of the limit of 32; asking again",
            "flow slots granted: 3 at once (29 held by other incidents)",
            "flow slots given back but 2",
            "flow slots asked for: 1 at once (limit 32; a person's retry, granted past the limit)",
            "flow slots given back");
  }

  @Test
  void aLossShownOnTheHetznerSideReadsFromSuspicionToDeclaration() {
    Instant read = T0.plusMillis(50);
    Instant answered = T0.plusMillis(120);
    ObserveServer observe = new ObserveServer(id(), INCIDENT, read, "cmd-read", 4202, null);
    String evidence = "the Hetzner API shows server 4202 status off";
    DeclareNodeGone declare =
        new DeclareNodeGone(
            id(), INCIDENT, answered, "cmd-declare", "worker-2", 4202, evidence, null);
    List<Entry> entries = new ArrayList<>();
    add(entries, Topic.CLUSTER_COMMANDS, declare);
    add(entries, Topic.HCLOUD_COMMANDS, observe);
    add(entries, Topic.NODE_EVENTS, suspected());
    add(entries, Topic.NODE_EVENTS, gone(T0.plusMillis(300), GoneReason.SERVER_OFF));
    add(
        entries,
        Topic.HCLOUD_RESULTS,
        new ServerObserved(id(), INCIDENT, answered, "cmd-read", 4202, "off", false));
    add(
        entries,
        Topic.CLUSTER_RESULTS,
        new ClusterCommandSucceeded(
            id(),
            INCIDENT,
            T0.plusMillis(300),
            "cmd-declare",
            false,
            "node worker-2 is declared gone"));

    assertThat(Timeline.lines(entries))
        .extracting(Timeline.Line::summary)
        .containsExactly(
            "node worker-2 suspected (LEASE_OVERDUE)",
            "command: read server 4202 of the suspected node",
            "result of read server 4202 of the suspected node: server 4202 status off",
            "command: declare node worker-2 gone: " + evidence,
            "node worker-2 gone (SERVER_OFF), server 4202, 1 volume(s)",
            "result of declare node worker-2 gone: "
                + evidence
                + ": succeeded: node worker-2 is declared gone");
  }

  @Test
  void aReleaseSaysWhichPodsGoBeforeTheAttachmentAndAnEarlierVersionsTwoCommandsStillRead() {
    Instant at = T0.plusSeconds(12);
    PodRef pod = new PodRef("shop", "db-0", "uid-db-0", "StatefulSet", "db");
    List<Entry> entries = new ArrayList<>();
    add(entries, Topic.NODE_EVENTS, gone());
    add(
        entries,
        Topic.CLUSTER_COMMANDS,
        new DeleteVolumeAttachments(
            id(), INCIDENT, at, "cmd-release", "worker-2", List.of("pv-1"), List.of(pod), null));
    add(
        entries,
        Topic.CLUSTER_COMMANDS,
        new ForceDeletePods(id(), INCIDENT, at, "cmd-old-pods", "worker-2", List.of(pod)));
    add(
        entries,
        Topic.CLUSTER_COMMANDS,
        new DeleteVolumeAttachments(
            id(), INCIDENT, at, "cmd-old-attachments", "worker-2", List.of("pv-1")));

    assertThat(Timeline.lines(entries))
        .extracting(Timeline.Line::summary)
        .containsExactly(
            "node worker-2 gone (LEASE_EXPIRED), server 4202, 1 volume(s)",
            "command: force-delete pod(s) db-0, then delete the VolumeAttachment(s) of pv-1 on"
                + " node worker-2",
            "command: force-delete pod(s) db-0 on node worker-2",
            "command: delete the VolumeAttachment(s) of pv-1 on node worker-2");
  }

  @Test
  void aVerifySaysItTouchesTheAttachmentBeforeItWaits() {
    Instant at = T0.plusSeconds(20);
    PodRef pod = new PodRef("shop", "db-0", "uid-db-0-new", "StatefulSet", "db");
    List<Entry> entries = new ArrayList<>();
    add(entries, Topic.NODE_EVENTS, gone());
    add(
        entries,
        Topic.CLUSTER_COMMANDS,
        new AwaitPodReady(
            id(),
            INCIDENT,
            at,
            "cmd-verify",
            VOLUME,
            pod,
            "worker-3",
            java.time.Duration.ofMinutes(2),
            "pv-1",
            null));

    assertThat(Timeline.lines(entries))
        .extracting(Timeline.Line::summary)
        .endsWith(
            "command: requeue the VolumeAttachment of volume 100001 (shop/data-db-0, pod db-0),"
                + " then wait for pod db-0 Ready on worker-3");
  }

  private static void add(List<Entry> entries, Topic topic, LifeboatMessage message) {
    entries.add(new Entry(entries.size(), topic.defaultName(), message));
  }

  private static NodeSuspected suspected() {
    return new NodeSuspected(
        id(), INCIDENT, T0, NODE, SuspicionReason.LEASE_OVERDUE, T0.minusSeconds(12));
  }

  private static NodeGone gone() {
    return gone(T0.plusSeconds(6), GoneReason.LEASE_EXPIRED);
  }

  private static NodeGone gone(Instant at, GoneReason reason) {
    return new NodeGone(
        id(),
        INCIDENT,
        at,
        NODE,
        reason,
        List.of(
            new HeldVolume(
                VOLUME,
                "pv-1",
                new ClaimRef("shop", "data-db-0"),
                "fsn1",
                List.of(new PodRef("shop", "db-0", "uid-db-0", "StatefulSet", "db")))),
        Map.of("fsn1", List.of(new EligibleNode("worker-3", 4203, "fsn1"))),
        Map.of(),
        6);
  }

  private static StepStarted started(Instant at, Step step, Long volume, String command) {
    return new StepStarted(id(), INCIDENT, at, step, volume, 1, command);
  }

  private static StepSucceeded succeeded(Instant at, Step step, Long volume, String detail) {
    return new StepSucceeded(id(), INCIDENT, at, step, volume, 1, detail);
  }

  private static String id() {
    return MessageIds.random();
  }
}
