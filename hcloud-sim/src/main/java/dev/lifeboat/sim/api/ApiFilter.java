package dev.lifeboat.sim.api;

import dev.lifeboat.sim.config.SimConfig;
import dev.lifeboat.sim.domain.Cloud;
import dev.lifeboat.sim.domain.ErrorCode;
import dev.lifeboat.sim.domain.Faults;
import dev.lifeboat.sim.domain.RequestLog;
import dev.lifeboat.sim.domain.TokenBucket;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * What happens to every request under {@code /v1} before and after it reaches a resource, in the
 * real API's order: authentication, the rate limit (with its headers on every answer), injected
 * latency and errors, and the request log.
 */
public class ApiFilter {

  private static final String API = "/v1";
  private static final Pattern ID = Pattern.compile("/\\d+(?=/|$)");
  private static final String DECISION = "hcloud-sim.rate-limit";

  private final SimConfig config;
  private final Cloud cloud;
  private final TokenBucket bucket;
  private final Faults faults;
  private final RequestLog log;
  private final Clock clock;

  ApiFilter(
      SimConfig config,
      Cloud cloud,
      TokenBucket bucket,
      Faults faults,
      RequestLog log,
      Clock clock) {
    this.config = config;
    this.cloud = cloud;
    this.bucket = bucket;
    this.faults = faults;
    this.log = log;
    this.clock = clock;
  }

  @ServerRequestFilter(preMatching = true)
  public Uni<Response> beforeResource(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    if (!path.equals(API) && !path.startsWith(API + "/")) {
      return Uni.createFrom().nullItem();
    }
    int domainStatus = cloud.settings().domainErrorStatus();
    Optional<String> token = bearerToken(request.getHeaderString(HttpHeaders.AUTHORIZATION));
    if (token.isEmpty()
        || config.token().filter(expected -> !expected.equals(token.get())).isPresent()) {
      return Uni.createFrom()
          .item(
              ErrorBody.response(
                  ErrorCode.UNAUTHORIZED, "unable to authenticate", null, domainStatus));
    }
    TokenBucket.Decision decision = bucket.take(clock.instant());
    request.setProperty(DECISION, decision);
    if (!decision.allowed()) {
      return Uni.createFrom()
          .item(
              ErrorBody.response(
                  ErrorCode.RATE_LIMIT_EXCEEDED,
                  "limit of " + decision.limit() + " requests per hour reached",
                  null,
                  domainStatus));
    }
    Faults.Decision fault = faults.decide(endpoint(request.getMethod(), path));
    Uni<Response> answer =
        Uni.createFrom()
            .item(
                fault
                    .error()
                    .map(
                        code ->
                            ErrorBody.response(
                                code,
                                "injected " + code.code() + " (hcloud-sim)",
                                null,
                                domainStatus))
                    .orElse(null));
    return fault.latencyMs() > 0
        ? answer.onItem().delayIt().by(Duration.ofMillis(fault.latencyMs()))
        : answer;
  }

  @ServerResponseFilter
  public void afterResource(ContainerRequestContext request, ContainerResponseContext response) {
    String path = request.getUriInfo().getPath();
    if (!path.equals(API) && !path.startsWith(API + "/")) {
      return;
    }
    if (request.getProperty(DECISION) instanceof TokenBucket.Decision decision) {
      response.getHeaders().putSingle("RateLimit-Limit", decision.limit());
      response.getHeaders().putSingle("RateLimit-Remaining", decision.remaining());
      response.getHeaders().putSingle("RateLimit-Reset", decision.resetEpochSecond());
    }
    log.record(
        new RequestLog.Entry(
            clock.instant(),
            request.getMethod(),
            path
                + Optional.ofNullable(request.getUriInfo().getRequestUri().getRawQuery())
                    .map(q -> "?" + q)
                    .orElse(""),
            endpoint(request.getMethod(), path),
            response.getStatus(),
            request.getHeaderString("User-Agent")));
  }

  /** {@code METHOD /path} with ids as {@code {id}} and without {@code /v1}. */
  static String endpoint(String method, String path) {
    String withoutPrefix = path.substring(API.length());
    return method
        + " "
        + ID.matcher(withoutPrefix.isEmpty() ? "/" : withoutPrefix).replaceAll("/{id}");
  }

  private static Optional<String> bearerToken(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String token = authorization.substring(7).trim();
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }
}
