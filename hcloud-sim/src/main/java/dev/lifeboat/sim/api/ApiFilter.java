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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  private static final String LOSE_ANSWER = "hcloud-sim.lose-answer";
  private static final String ANSWER_LATENCY = "hcloud-sim.answer-latency";

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
    boolean otherProject =
        token.isPresent() && config.otherProjectTokens().orElse(List.of()).contains(token.get());
    boolean readOnly =
        token.isPresent() && config.readOnlyTokens().orElse(List.of()).contains(token.get());
    if (token.isEmpty()
        || (!otherProject
            && !readOnly
            && config.token().filter(expected -> !expected.equals(token.get())).isPresent())) {
      return Uni.createFrom()
          .item(
              ErrorBody.response(
                  ErrorCode.UNAUTHORIZED, "unable to authenticate", null, domainStatus));
    }
    if (otherProject && !path.startsWith(API + "/locations")) {
      return Uni.createFrom().item(otherProject(request.getMethod(), path, domainStatus));
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
    if (readOnly && !request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
      return Uni.createFrom()
          .item(
              ErrorBody.response(
                  ErrorCode.TOKEN_READONLY, "this token is read-only", null, domainStatus));
    }
    Faults.Decision fault = faults.decide(endpoint(request.getMethod(), path));
    if (fault.loseAnswer()) {
      request.setProperty(LOSE_ANSWER, true);
    }
    if (fault.answerLatencyMs() > 0) {
      request.setProperty(ANSWER_LATENCY, fault.answerLatencyMs());
    }
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

  /**
   * Adds the rate-limit headers, loses the answer where a fault says so, logs the request when it
   * was carried out, then holds the answer for its answer latency.
   */
  @ServerResponseFilter
  public Uni<Void> afterResource(
      ContainerRequestContext request, ContainerResponseContext response) {
    String path = request.getUriInfo().getPath();
    if (!path.equals(API) && !path.startsWith(API + "/")) {
      return Uni.createFrom().voidItem();
    }
    if (request.getProperty(DECISION) instanceof TokenBucket.Decision decision) {
      response.getHeaders().putSingle("RateLimit-Limit", decision.limit());
      response.getHeaders().putSingle("RateLimit-Remaining", decision.remaining());
      response.getHeaders().putSingle("RateLimit-Reset", decision.resetEpochSecond());
    }
    if (Boolean.TRUE.equals(request.getProperty(LOSE_ANSWER))) {
      // Carried out, then lost on the way back, as behind a proxy that timed out.
      response.setEntity(
          "upstream timed out (the answer was lost by hcloud-sim after the request was carried"
              + " out)",
          null,
          MediaType.TEXT_PLAIN_TYPE);
      response.setStatus(Response.Status.GATEWAY_TIMEOUT.getStatusCode());
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
    return request.getProperty(ANSWER_LATENCY) instanceof Long held
        ? Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(held))
        : Uni.createFrom().voidItem();
  }

  /**
   * The answer of an empty project: a list of nothing for a collection, not_found for anything with
   * an id (and for every change).
   */
  private static Response otherProject(String method, String path, int domainStatus) {
    String[] parts = path.substring(API.length()).split("/");
    if (method.equals("GET") && parts.length == 2 && !parts[1].isEmpty()) {
      Map<String, Object> pagination = new LinkedHashMap<>();
      pagination.put("page", 1);
      pagination.put("per_page", 25);
      pagination.put("previous_page", null);
      pagination.put("next_page", null);
      pagination.put("last_page", 1);
      pagination.put("total_entries", 0);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put(parts[1], List.of());
      body.put("meta", Map.of("pagination", pagination));
      return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
    }
    return ErrorBody.response(ErrorCode.NOT_FOUND, "not found", null, domainStatus);
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
