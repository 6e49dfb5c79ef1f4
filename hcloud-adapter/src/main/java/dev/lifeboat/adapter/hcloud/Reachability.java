package dev.lifeboat.adapter.hcloud;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Readiness includes the Hetzner API: ready when the API answered recently (any answer counts; 5xx
 * and no answer do not). Without recent traffic it asks {@code GET /locations} at most once a
 * minute, so the probe costs at most 60 requests an hour of the budget.
 */
@Readiness
@Singleton
public class Reachability implements AsyncHealthCheck {

  private static final Duration FRESH = Duration.ofMinutes(1);

  private final HcloudApi api;
  private final LastAnswer lastAnswer;

  Reachability(@RestClient HcloudApi api, LastAnswer lastAnswer) {
    this.api = api;
    this.lastAnswer = lastAnswer;
  }

  @Override
  public Uni<HealthCheckResponse> call() {
    if (lastAnswer.status() > 0 && lastAnswer.ageMillis() < FRESH.toMillis()) {
      return Uni.createFrom().item(response());
    }
    return api.locations(1)
        .map(ignored -> response())
        .onFailure()
        .recoverWithItem(
            failure -> {
              if (failure instanceof HcloudException e && e.status() > 0) {
                return response();
              }
              return HealthCheckResponse.named("Hetzner Cloud API")
                  .down()
                  .withData("error", failure.getClass().getSimpleName())
                  .build();
            });
  }

  private HealthCheckResponse response() {
    return HealthCheckResponse.named("Hetzner Cloud API")
        .status(lastAnswer.status() > 0 && lastAnswer.status() < 500)
        .withData("last-status", lastAnswer.status())
        .build();
  }
}
