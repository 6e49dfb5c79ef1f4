package dev.lifeboat.watcher.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lifeboat.events.node.GoneReason;
import dev.lifeboat.events.node.SuspicionReason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The detection rules over facts and a clock, without an API server. */
class DetectorTest {

  private static final Instant T0 = Instant.parse("2026-11-26T03:00:00Z");
  private static final DetectionRules RULES =
      new DetectionRules(
          Duration.ofSeconds(12),
          Duration.ofSeconds(20),
          Duration.ofSeconds(8), // 12 + 8: declared at the grace, as the tests below count
          Duration.ofSeconds(30),
          1.0 / 3,
          Duration.ofSeconds(60));

  /** Kubernetes' defaults: Leases renewed every 10 s, so 12 + 10 s pass the 20 s grace. */
  private static final DetectionRules KUBELET_DEFAULTS =
      new DetectionRules(
          Duration.ofSeconds(12),
          Duration.ofSeconds(20),
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          1.0 / 3,
          Duration.ofSeconds(60));

  private Detector detector = detector(RULES);
  private final Map<String, NodeFacts> nodes = new HashMap<>();
  private final Map<String, Instant> leases = new HashMap<>();

  @Test
  void aStaleLeaseIsSuspectedThenGoneAfterTheGrace() {
    cluster(6);
    assertThat(at(T0)).isEmpty();

    assertThat(at(T0.plusSeconds(13), "worker-1"))
        .containsExactly("Suspect worker-1 LEASE_OVERDUE");
    assertThat(at(T0.plusSeconds(19), "worker-1")).isEmpty();
    assertThat(at(T0.plusSeconds(21), "worker-1")).containsExactly("Gone worker-1 LEASE_EXPIRED");
    assertThat(at(T0.plusSeconds(40), "worker-1")).as("reported once").isEmpty();
  }

  @Test
  void aNodeThatRecoversWithinTheGraceIsNeverGone() {
    cluster(6);
    assertThat(at(T0.plusSeconds(15), "worker-1"))
        .containsExactly("Suspect worker-1 LEASE_OVERDUE");

    assertThat(at(T0.plusSeconds(16))).containsExactly("Returned worker-1");
    assertThat(at(T0.plusSeconds(40))).isEmpty();
  }

  @Test
  void notReadyForLongerThanItsGraceIsGone() {
    cluster(6);
    nodes.put("worker-2", node("worker-2", "False", T0, List.of()));

    assertThat(at(T0.plusSeconds(5))).containsExactly("Suspect worker-2 NOT_READY");
    assertThat(at(T0.plusSeconds(31))).containsExactly("Gone worker-2 NOT_READY");
  }

  @Test
  void theShutdownTaintAndADeletionAreGoneAtOnce() {
    cluster(6);
    nodes.put("worker-3", shutDown("worker-3"));
    NodeFacts deleted = nodes.remove("worker-4");

    List<String> decisions = at(T0.plusMillis(100), List.of(deleted));

    assertThat(decisions)
        .containsExactlyInAnyOrder("Gone worker-3 SERVER_SHUTDOWN", "Gone worker-4 NODE_DELETED");
  }

  @Test
  void aNodeARemovalDrainedIsNoLossWhenItGoesSilentOrIsDeleted() {
    cluster(6);
    NodeFacts worker4 = nodes.get("worker-4");
    NodeFacts removed =
        new NodeFacts(
            worker4.name(),
            worker4.uid(),
            worker4.providerId(),
            worker4.labels(),
            Map.of(Detector.REMOVED_ANNOTATION, "removal-worker-4-abc"),
            worker4.ready(),
            worker4.readySince(),
            true,
            worker4.taints());
    nodes.put("worker-4", removed);

    assertThat(at(T0.plusSeconds(40), "worker-4")).as("powered off by its removal").isEmpty();
    nodes.remove("worker-4");
    assertThat(at(T0.plusSeconds(41), List.of(removed))).as("deleted by its removal").isEmpty();
  }

  @Test
  void aNodeKeptByItsRemovalAndTakenBackIntoUseIsWatchedAgain() {
    cluster(6);
    NodeFacts worker4 = nodes.get("worker-4");
    nodes.put(
        "worker-4",
        new NodeFacts(
            worker4.name(),
            worker4.uid(),
            worker4.providerId(),
            worker4.labels(),
            Map.of(Detector.REMOVED_ANNOTATION, "removal-worker-4-abc"),
            worker4.ready(),
            worker4.readySince(),
            false,
            worker4.taints()));

    assertThat(at(T0.plusSeconds(40), "worker-4")).containsExactly("Gone worker-4 LEASE_EXPIRED");
  }

  @Test
  void halfTheLeasesGoingStaleAtOnceTripsTheStormGuard() {
    cluster(6);

    List<String> suspected = at(T0.plusSeconds(13), "worker-1", "worker-2", "worker-3");
    List<String> guarded = at(T0.plusSeconds(21), "worker-1", "worker-2", "worker-3");

    assertThat(suspected).hasSize(3).allMatch(d -> d.endsWith("LEASE_OVERDUE"));
    assertThat(guarded)
        .containsExactlyInAnyOrder(
            "Suspect worker-1 STORM_GUARD",
            "Guarded worker-1 3/6",
            "Suspect worker-2 STORM_GUARD",
            "Guarded worker-2 3/6",
            "Suspect worker-3 STORM_GUARD",
            "Guarded worker-3 3/6");
    assertThat(at(T0.plusSeconds(30), "worker-1", "worker-2", "worker-3"))
        .as("alerted once")
        .isEmpty();
  }

  @Test
  void aSuspectedNodeWhoseServerIsOffIsGoneAtOnceNotAfterTheGrace() {
    cluster(6);
    String incident = suspected(T0.plusSeconds(13), "worker-1");

    Detector.Answer answer = detector.serverDown("worker-1", incident);

    assertThat(answer.declared()).isTrue();
    assertThat(at(T0.plusMillis(13_200), "worker-1")).containsExactly("Gone worker-1 SERVER_OFF");
    assertThat(detector.declared("worker-1", incident)).isTrue();
    assertThat(at(T0.plusSeconds(21), "worker-1")).as("declared once").isEmpty();
  }

  @Test
  void theEvidenceOfANodeThatCameBackOrOfAnEarlierLossDeclaresNothing() {
    cluster(6);
    String first = suspected(T0.plusSeconds(13), "worker-1");
    assertThat(at(T0.plusSeconds(14))).containsExactly("Returned worker-1");

    assertThat(detector.serverDown("worker-1", first).declared()).isFalse();
    assertThat(at(T0.plusSeconds(15))).isEmpty();

    // Lost again: a new incident, which the evidence about the first one does not prove.
    List<Detection> again =
        detector.evaluate(
            nodes.values(),
            List.of(),
            stale(T0.plusSeconds(27), T0.plusSeconds(14), "worker-1"),
            T0.plusSeconds(27),
            null);
    assertThat(again).singleElement().isInstanceOf(Detection.Suspect.class);
    assertThat(again.get(0).incidentId()).isNotEqualTo(first);
    assertThat(detector.serverDown("worker-1", first).declared()).isFalse();
    assertThat(
            detector.evaluate(
                nodes.values(),
                List.of(),
                stale(T0.plusSeconds(28), T0.plusSeconds(14), "worker-1"),
                T0.plusSeconds(28),
                null))
        .isEmpty();
  }

  @Test
  void inAStormTheNodesWhoseServersAreShownOffAreDeclaredAndTheOthersHeld() {
    cluster(6);
    String one = suspected(T0.plusSeconds(13), "worker-1", "worker-2", "worker-3");
    nodes.put("worker-3", shutDown("worker-3"));
    detector.serverDown("worker-1", one);

    List<String> decisions = at(T0.plusMillis(13_500), "worker-1", "worker-2", "worker-3");
    List<String> later = at(T0.plusSeconds(21), "worker-1", "worker-2", "worker-3");

    assertThat(decisions)
        .containsExactlyInAnyOrder("Gone worker-1 SERVER_OFF", "Gone worker-3 SERVER_SHUTDOWN");
    assertThat(later)
        .as("the running one waits for a person: three of six count against the share")
        .containsExactlyInAnyOrder("Suspect worker-2 STORM_GUARD", "Guarded worker-2 3/6");
  }

  @Test
  void nodesDeclaredGoneLongerThanTheWindowAgoNoLongerCountTowardsAStorm() {
    cluster(6);
    assertThat(at(T0.plusSeconds(21), "worker-1", "worker-2"))
        .containsExactlyInAnyOrder("Gone worker-1 LEASE_EXPIRED", "Gone worker-2 LEASE_EXPIRED");

    // Both stay down (handled); a third loss two minutes later is a loss of its own, not a storm.
    assertThat(at(T0.plusSeconds(200), "worker-1", "worker-2", "worker-3"))
        .containsExactly("Gone worker-3 LEASE_EXPIRED");
  }

  @Test
  void aBigScaleDownNeverBlocksALaterLoss() {
    cluster(9);
    List<NodeFacts> removed = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      removed.add(nodes.remove("worker-" + i));
    }

    // Five of nine Nodes deleted at once look like a storm: the guard holds them for a person.
    assertThat(at(T0.plusSeconds(1), removed)).filteredOn(d -> d.startsWith("Guarded")).hasSize(5);
    // The deletions are still offered (they were never declared); after the window they no
    // longer count, and a real loss later is a loss of its own.
    assertThat(at(T0.plusSeconds(30), removed)).isEmpty();
    assertThat(at(T0.plusSeconds(120), removed, "worker-6"))
        .containsExactly("Gone worker-6 LEASE_EXPIRED");
  }

  @Test
  void withinTheWindowTheDeclaredLossesStillCount() {
    cluster(6);
    assertThat(at(T0.plusSeconds(21), "worker-1", "worker-2")).hasSize(2);

    assertThat(at(T0.plusSeconds(40), "worker-1", "worker-2", "worker-3"))
        .containsExactly("Suspect worker-3 STORM_GUARD", "Guarded worker-3 3/6");
  }

  @Test
  void rightAfterWatchTroubleEvenOneLossIsOnlySuspected() {
    cluster(6);
    Instant trouble = T0.plusSeconds(15);

    List<String> decisions =
        detector
            .evaluate(
                nodes.values(),
                List.of(),
                stale(T0.plusSeconds(21), "worker-1"),
                T0.plusSeconds(21),
                trouble)
            .stream()
            .map(DetectorTest::describe)
            .toList();

    assertThat(decisions).containsExactly("Suspect worker-1 STORM_GUARD", "Guarded worker-1 1/6");
  }

  /**
   * Found by the chaos rounds (seed 1): with the API server gone for 16 s, a node whose server was
   * shown off was declared at once, from a view in which every other node's Lease looked overdue
   * too, so its loss named no eligible node and its six volumes failed for good. A declaration
   * carries the cluster as the watcher sees it (the volumes held, the nodes that could take them):
   * while the watches are shaky it waits, and it follows by itself once they hold.
   */
  @Test
  void aNodeWhoseServerIsOffIsDeclaredOnlyOnceTheWatchesHoldAgain() {
    cluster(6);
    String incident = suspected(T0.plusSeconds(13), "worker-1");
    Instant trouble = T0.plusSeconds(13);
    assertThat(detector.serverDown("worker-1", incident).declared()).isTrue();

    List<String> shaky =
        detector
            .evaluate(
                nodes.values(),
                List.of(),
                stale(T0.plusSeconds(14), "worker-1"),
                T0.plusSeconds(14),
                trouble)
            .stream()
            .map(DetectorTest::describe)
            .toList();
    assertThat(shaky).containsExactly("Suspect worker-1 STORM_GUARD", "Guarded worker-1 1/6");
    assertThat(detector.declared("worker-1", incident)).isFalse();

    Instant held = trouble.plus(RULES.leaseGrace()).plusMillis(1);
    assertThat(
            detector.nextWakeUp(
                nodes.values(), stale(T0.plusSeconds(14), "worker-1"), T0.plusSeconds(14), trouble))
        .isBeforeOrEqualTo(held);
    List<String> after =
        detector
            .evaluate(nodes.values(), List.of(), stale(held, "worker-1"), held, trouble)
            .stream()
            .map(DetectorTest::describe)
            .toList();
    assertThat(after).containsExactly("Gone worker-1 SERVER_OFF");
    assertThat(detector.declared("worker-1", incident)).isTrue();
  }

  @Test
  void excludedNodesAreIgnoredAndADeclaredNodeIsNotDeclaredAgainByANewLeader() {
    cluster(6);
    nodes.put(
        "master-1",
        new NodeFacts(
            "master-1",
            "uid-m",
            "hcloud://1",
            Map.of("node-role.kubernetes.io/control-plane", "true"),
            Map.of(),
            "False",
            T0.minusSeconds(600),
            false,
            List.of()));
    nodes.put(
        "worker-5",
        new NodeFacts(
            "worker-5",
            "uid-worker-5",
            "hcloud://4205",
            Map.of(),
            Map.of(Detector.DECLARED_ANNOTATION, "worker-5-abc"),
            "Unknown",
            T0,
            false,
            List.of()));

    assertThat(at(T0.plusSeconds(40), "worker-5")).isEmpty();
  }

  // ---- helpers ---------------------------------------------------------------------------------

  @Test
  void aNodeLostAgainAfterItCameBackIsANewIncident() {
    cluster(6);
    List<Detection> first = new ArrayList<>();
    first.addAll(evaluate(T0.plusSeconds(13), Map.of("worker-1", T0)));
    first.addAll(evaluate(T0.plusSeconds(21), Map.of("worker-1", T0)));
    List<Detection> back = evaluate(T0.plusSeconds(100), Map.of());
    // Lost again later: its Lease was last renewed at T0 + 100 s.
    Instant renewed = T0.plusSeconds(100);
    List<Detection> again = new ArrayList<>();
    again.addAll(evaluate(renewed.plusSeconds(13), Map.of("worker-1", renewed)));
    again.addAll(evaluate(renewed.plusSeconds(21), Map.of("worker-1", renewed)));

    assertThat(first)
        .extracting(Detection::incidentId)
        .as("one loss, one incident")
        .hasSize(2)
        .containsOnly(first.get(0).incidentId());
    assertThat(back)
        .singleElement()
        .isInstanceOf(Detection.Returned.class)
        .extracting(Detection::incidentId)
        .isEqualTo(first.get(0).incidentId());
    assertThat(again)
        .extracting(Detection::incidentId)
        .hasSize(2)
        .containsOnly(again.get(0).incidentId())
        .doesNotContain(first.get(0).incidentId());
    assertThat(again.get(1)).isInstanceOf(Detection.Gone.class);
  }

  @Test
  void aNewLeaderNamesTheSameLossTheSameIncident() {
    cluster(6);
    evaluate(T0.plusSeconds(13), Map.of("worker-1", T0));
    Detection declared = evaluate(T0.plusSeconds(21), Map.of("worker-1", T0)).get(0);
    // The first leader died before its report reached the broker: the next one starts fresh.
    Detector next = detector(RULES);
    Map<String, Instant> renewals = stale(T0.plusSeconds(25), "worker-1");

    List<Detection> again =
        next.evaluate(nodes.values(), List.of(), renewals, T0.plusSeconds(25), null);

    assertThat(declared).isInstanceOf(Detection.Gone.class);
    assertThat(again)
        .singleElement()
        .isInstanceOf(Detection.Gone.class)
        .extracting(Detection::incidentId)
        .isEqualTo(declared.incidentId());
  }

  @Test
  void aCorrelatedLossIsJudgedAsOneAndFencesNone() {
    detector = detector(KUBELET_DEFAULTS);
    // 3 of 6 workers hang together (a switch): their Leases were last renewed up to one renewal
    // period apart. Allowed at once: 2. Judged node by node, worker-1 would be declared while
    // worker-3 did not look overdue yet.
    cluster(6);
    Map<String, Instant> silent =
        Map.of("worker-1", T0, "worker-2", T0.plusSeconds(4), "worker-3", T0.plusSeconds(9));
    List<Detection> decisions = new ArrayList<>();
    for (int s = 1; s <= 60; s++) {
      decisions.addAll(evaluate(T0.plusSeconds(s), silent));
    }

    assertThat(decisions).noneMatch(d -> d instanceof Detection.Gone);
    assertThat(decisions)
        .filteredOn(d -> d instanceof Detection.Guarded)
        .extracting(d -> d.node().name())
        .containsExactlyInAnyOrder("worker-1", "worker-2", "worker-3");
  }

  @Test
  void aSingleLossIsDeclaredOneRenewalPeriodAfterItCouldBeSuspected() {
    detector = detector(KUBELET_DEFAULTS);
    cluster(6);
    Map<String, Instant> silent = Map.of("worker-1", T0);

    assertThat(evaluate(T0.plusSeconds(21), silent))
        .as("past the grace, but a node silent since T0 + 10 s would not look overdue yet")
        .singleElement()
        .isInstanceOf(Detection.Suspect.class);
    assertThat(detector.nextWakeUp(nodes.values(), silent, T0.plusSeconds(21), null))
        .isEqualTo(T0.plusSeconds(22).plusMillis(1));
    assertThat(evaluate(T0.plusSeconds(23), silent))
        .singleElement()
        .isInstanceOf(Detection.Gone.class);
  }

  @Test
  void nodesThatDiedTogetherAreNeverATargetOnceTheFirstIsDeclared() {
    // Two of nine workers die at the same moment; their Leases were last renewed up to one period
    // apart. When the first is declared, its replacement pod may be bound to the other, whose
    // Lease looked fresh a moment ago: the watcher must already see that Lease overdue, so it never
    // takes that node as a target (Waiters.refusal) and the volume never lands on a dead server.
    detector = detector(KUBELET_DEFAULTS);
    cluster(9);
    Duration period = KUBELET_DEFAULTS.leaseRenewPeriod();
    for (long offset = 0; offset < period.toMillis(); offset += 250) {
      detector = detector(KUBELET_DEFAULTS);
      Instant first = T0;
      Instant second = T0.plusMillis(offset);
      Map<String, Instant> silent = Map.of("worker-1", first, "worker-2", second);
      Instant declaredAt = null;
      for (long ms = 0; declaredAt == null && ms <= 60_000; ms += 100) {
        Instant now = T0.plusMillis(ms);
        if (evaluate(now, silent).stream().anyMatch(d -> d instanceof Detection.Gone)) {
          declaredAt = now;
        }
      }

      assertThat(declaredAt).as("renewed %d ms apart: a loss is declared", offset).isNotNull();
      assertThat(KUBELET_DEFAULTS.leaseOverdue(second, declaredAt))
          .as("renewed %d ms apart: the other dead node looks overdue at the declaration", offset)
          .isTrue();
    }
  }

  @Test
  void aNewLeaderCountsTheLossesTheOldOneDeclaredWithinTheWindow() {
    cluster(6);
    Map<String, Instant> silent = Map.of("worker-1", T0, "worker-2", T0);
    List<Detection> declared = evaluate(T0.plusSeconds(21), silent);
    assertThat(declared).filteredOn(d -> d instanceof Detection.Gone).hasSize(2);
    // The leader dies; the Nodes carry what it wrote on them.
    for (Detection gone : declared) {
      NodeFacts n = gone.node();
      nodes.put(
          n.name(),
          new NodeFacts(
              n.name(),
              n.uid(),
              n.providerId(),
              n.labels(),
              Map.of(
                  Detector.DECLARED_ANNOTATION,
                  gone.incidentId(),
                  Detector.DECLARED_AT_ANNOTATION,
                  T0.plusSeconds(21).toString()),
              n.ready(),
              n.readySince(),
              n.unschedulable(),
              n.taints()));
    }
    detector = detector(RULES);
    Instant later = T0.plusSeconds(40);
    Map<String, Instant> third =
        Map.of("worker-1", T0, "worker-2", T0, "worker-3", T0.plusSeconds(19));

    List<Detection> after = evaluate(later, third);

    assertThat(after)
        .as("2 of 6 already lost within the window: a third is held for a person")
        .noneMatch(d -> d instanceof Detection.Gone)
        .anyMatch(d -> d instanceof Detection.Guarded && d.node().name().equals("worker-3"));
    assertThat(evaluate(T0.plusSeconds(82), third))
        .as("once the window has passed, the loss goes ahead")
        .anyMatch(d -> d instanceof Detection.Gone && d.node().name().equals("worker-3"));
  }

  private static Detector detector(DetectionRules rules) {
    return new Detector(
        rules,
        new NodeSelector(
            NodeSelector.parse("node-role.kubernetes.io/control-plane", "test"), Map.of()));
  }

  /** Evaluates with every Lease renewed just now but for the ones given. */
  private List<Detection> evaluate(Instant now, Map<String, Instant> silent) {
    Map<String, Instant> renewals = new HashMap<>();
    for (String name : nodes.keySet()) {
      renewals.put(name, silent.getOrDefault(name, now));
    }
    return detector.evaluate(nodes.values(), List.of(), renewals, now, null);
  }

  private void cluster(int workers) {
    for (int i = 1; i <= workers; i++) {
      String name = "worker-" + i;
      nodes.put(name, node(name, "True", T0.minusSeconds(3600), List.of()));
      leases.put(name, T0);
    }
  }

  /** A Ready node the cloud controller manager tainted: its server is off. */
  private static NodeFacts shutDown(String name) {
    return node(
        name, "True", T0, List.of(new NodeFacts.Taint(NodeFacts.SHUTDOWN_TAINT, "NoSchedule")));
  }

  private static NodeFacts node(
      String name, String ready, Instant since, List<NodeFacts.Taint> taints) {
    return new NodeFacts(
        name,
        "uid-" + name,
        "hcloud://" + (4200 + name.hashCode() % 50),
        Map.of(NodeFacts.CSI_LOCATION_LABEL, "fsn1"),
        Map.of(),
        ready,
        since,
        false,
        taints);
  }

  /** Leases renewed just now, but for the stale ones, last renewed at T0. */
  private Map<String, Instant> stale(Instant now, String... staleNodes) {
    return stale(now, T0, staleNodes);
  }

  /** Leases renewed just now, but for the stale ones, last renewed at {@code renewed}. */
  private Map<String, Instant> stale(Instant now, Instant renewed, String... staleNodes) {
    Map<String, Instant> renewals = new HashMap<>();
    for (String name : nodes.keySet()) {
      renewals.put(name, now);
    }
    for (String name : staleNodes) {
      renewals.put(name, renewed);
    }
    return renewals;
  }

  /** The stale nodes become suspected at {@code now}; the first one's incident id. */
  private String suspected(Instant now, String... staleNodes) {
    List<Detection> decisions =
        detector.evaluate(nodes.values(), List.of(), stale(now, staleNodes), now, null);
    assertThat(decisions)
        .hasSize(staleNodes.length)
        .allMatch(
            d -> d instanceof Detection.Suspect s && s.reason() == SuspicionReason.LEASE_OVERDUE);
    return decisions.stream()
        .filter(d -> d.node().name().equals(staleNodes[0]))
        .findFirst()
        .orElseThrow()
        .incidentId();
  }

  private List<String> at(Instant now, String... staleNodes) {
    return at(now, List.of(), staleNodes);
  }

  private List<String> at(Instant now, List<NodeFacts> deleted, String... staleNodes) {
    List<String> out = new ArrayList<>();
    detector
        .evaluate(nodes.values(), deleted, stale(now, staleNodes), now, null)
        .forEach(d -> out.add(describe(d)));
    return out;
  }

  private static String describe(Detection d) {
    if (d instanceof Detection.Suspect s) {
      return "Suspect " + s.node().name() + " " + s.reason();
    }
    if (d instanceof Detection.Gone g) {
      return "Gone " + g.node().name() + " " + g.reason();
    }
    if (d instanceof Detection.Guarded g) {
      return "Guarded " + g.node().name() + " " + g.lostNodes() + "/" + g.knownNodes();
    }
    return "Returned " + d.node().name();
  }

  @SuppressWarnings("unused") // the enums are named in the expected strings
  private static final Object[] NAMED = {GoneReason.class, SuspicionReason.class};
}
