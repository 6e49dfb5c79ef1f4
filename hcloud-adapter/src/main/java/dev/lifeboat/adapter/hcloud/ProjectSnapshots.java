package dev.lifeboat.adapter.hcloud;

import dev.lifeboat.adapter.domain.CallPriority;
import dev.lifeboat.events.doctor.HetznerSnapshot;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The Hetzner side of a doctor run (docs/doctor.md): every server and volume of the project, read
 * from the lists page by page (50 to a page, so about one request per 50 of each) at the lowest
 * priority, so that it never delays an incident's calls, and the budget the last answers left.
 */
@ApplicationScoped
public class ProjectSnapshots {

  private final HcloudCalls calls;
  private final RateLimitBudget budget;
  private final Clock clock;

  ProjectSnapshots(HcloudCalls calls, RateLimitBudget budget, Clock clock) {
    this.calls = calls;
    this.budget = budget;
    this.clock = clock;
  }

  /** The project as it is now. */
  public Uni<HetznerSnapshot> take() {
    return calls
        .allServers(CallPriority.READ)
        .chain(
            servers ->
                calls
                    .allVolumes(CallPriority.READ)
                    .map(volumes -> snapshot(servers, volumes, clock.instant())));
  }

  private HetznerSnapshot snapshot(
      List<HcloudDtos.Server> servers, List<HcloudDtos.Volume> volumes, Instant at) {
    RateLimitBudget.View left = budget.view();
    return new HetznerSnapshot(
        at,
        servers.stream()
            .map(s -> new HetznerSnapshot.Server(s.id(), s.name(), s.status(), s.locationName()))
            .toList(),
        volumes.stream()
            .map(
                v ->
                    new HetznerSnapshot.Volume(
                        v.id(),
                        v.name(),
                        v.location() == null ? null : v.location().name(),
                        v.server(),
                        v.deleteProtected()))
            .toList(),
        new HetznerSnapshot.Budget(left.limit(), left.remaining(), at));
  }
}
