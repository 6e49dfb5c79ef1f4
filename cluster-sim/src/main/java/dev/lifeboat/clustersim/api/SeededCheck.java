package dev.lifeboat.clustersim.api;

import dev.lifeboat.clustersim.kubernetes.Simulation;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the cluster is seeded from hcloud-sim and its components run. */
@Readiness
@ApplicationScoped
public class SeededCheck implements HealthCheck {

  private final Simulation simulation;

  SeededCheck(Simulation simulation) {
    this.simulation = simulation;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("cluster-seeded")
        .status(simulation.seeded() && simulation.lastTick() != null)
        .withData("csi-attacher", simulation.attacherEnabled())
        .build();
  }
}
