package dev.lifeboat.events.doctor;

import dev.lifeboat.events.Require;
import java.time.Instant;
import java.util.List;

/**
 * One thing the doctor found wrong, with the evidence from both sides.
 *
 * @param id stable across runs while the same thing is wrong: {@code <kind>/<subject>}
 * @param kind what it is about
 * @param objects the objects involved, as {@code kind/name} ({@code volume/4711}, {@code pv/pvc-1},
 *     {@code node/worker-2}, {@code server/42})
 * @param since when the doctor first saw it, or when the cluster says it began (a pod's scheduling)
 * @param cluster what the cluster shows; empty when the cluster has no part in it
 * @param hetzner what Hetzner shows; empty when Hetzner has no part in it
 * @param repair what Lifeboat would do about it on request; null when it can do nothing safely now
 * @param noRepairBecause why there is no repair now (the server runs); null when there is one
 * @param fix the command a person runs to fix it, for the kinds Lifeboat only reports; null
 *     otherwise
 */
public record Finding(
    String id,
    FindingKind kind,
    List<String> objects,
    Instant since,
    String cluster,
    String hetzner,
    Repair repair,
    String noRepairBecause,
    String fix) {
  public Finding {
    Require.text(id, "id");
    Require.present(kind, "kind");
    objects = Require.list(objects);
    Require.present(since, "since");
    cluster = cluster == null ? "" : cluster;
    hetzner = hetzner == null ? "" : hetzner;
  }

  /** The same finding, first seen at another time. */
  public Finding seenSince(Instant first) {
    return new Finding(id, kind, objects, first, cluster, hetzner, repair, noRepairBecause, fix);
  }
}
