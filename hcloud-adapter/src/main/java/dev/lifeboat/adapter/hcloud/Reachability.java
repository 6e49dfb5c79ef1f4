package dev.lifeboat.adapter.hcloud;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Readiness includes the Hetzner API, probed with {@code GET /locations} (at most once a minute
 * while it answers well, so at most 60 requests an hour of the budget; every 5 s while it does
 * not). DOWN, naming the cause, when the probe is refused (401 or 403: the token) or not found
 * (404: the URL is not the API), or gets no answer; DOWN also while the API's last answer was a
 * 5xx.
 */
@Readiness
@Singleton
public class Reachability implements AsyncHealthCheck {

  private static final String NAME = "Hetzner Cloud API";
  private static final Duration FRESH = Duration.ofMinutes(1);
  private static final Duration RECHECK = Duration.ofSeconds(5);

  /** One probe's outcome: null cause when the API answered as it should. */
  private record Probe(long atMillis, String cause) {}

  private final HcloudApi api;
  private final LastAnswer lastAnswer;
  private final Clock clock;
  private volatile Probe probe;

  Reachability(@RestClient HcloudApi api, LastAnswer lastAnswer, Clock clock) {
    this.api = api;
    this.lastAnswer = lastAnswer;
    this.clock = clock;
  }

  @Override
  public Uni<HealthCheckResponse> call() {
    Probe last = probe;
    long now = clock.millis();
    if (last != null
        && now - last.atMillis() < (last.cause() == null ? FRESH : RECHECK).toMillis()) {
      return Uni.createFrom().item(response(last));
    }
    return api.locations(1)
        .map(ignored -> new Probe(now, null))
        .onFailure()
        .recoverWithItem(failure -> new Probe(now, cause(failure)))
        .invoke(outcome -> probe = outcome)
        .map(this::response);
  }

  /** Why the probe's answer means the adapter cannot act, or null when it can. */
  static String cause(Throwable failure) {
    if (!(failure instanceof HcloudException e) || e.status() == 0) {
      return "no answer from the Hetzner API (" + failure.getClass().getSimpleName() + ")";
    }
    return switch (e.status()) {
      case 401 -> "the API refused the token (401 " + e.code() + "): check lifeboat.hcloud.token";
      case 403 ->
          "the token may not read the project (403 "
              + e.code()
              + "): it needs read and write permission";
      case 404 ->
          "GET /locations was not found (404): lifeboat.hcloud.url is not the API's base URL"
              + " (ending in /v1)";
      case 429 -> null; // reachable, only busy: the budget handles it
      default -> e.status() >= 500 ? "the API answers " + e.status() + " " + e.code() : null;
    };
  }

  private HealthCheckResponse response(Probe last) {
    if (last.cause() != null) {
      return HealthCheckResponse.named(NAME).down().withData("error", last.cause()).build();
    }
    boolean serverError = lastAnswer.status() >= 500 && lastAnswer.ageMillis() < FRESH.toMillis();
    return HealthCheckResponse.named(NAME)
        .status(!serverError)
        .withData("last-status", lastAnswer.status())
        .build();
  }
}
