package dev.lifeboat.service.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Who may call a Lifeboat API, one rule for every service:
 *
 * <ul>
 *   <li>a {@link Mutating} endpoint needs {@code Authorization: Bearer <lifeboat.api.token>} (401
 *       without it, 403 with the read token); with no token configured it is closed (403, naming
 *       the key);
 *   <li>any other {@code /api/} endpoint is open, unless a token is configured and {@code
 *       lifeboat.api.protect-reads} is true: then it needs either token, the write one or {@code
 *       lifeboat.api.read-token}, which can read and never change anything (for dashboards, people
 *       on call, the timeline page).
 * </ul>
 *
 * Paths outside {@code /api/} (health, metrics, pages) are not checked here.
 */
public class ApiAccess {

  /** The configuration key of the token (env {@code LIFEBOAT_API_TOKEN}). */
  public static final String TOKEN_KEY = "lifeboat.api.token";

  /** The configuration key of the read-only token (env {@code LIFEBOAT_API_READ_TOKEN}). */
  public static final String READ_TOKEN_KEY = "lifeboat.api.read-token";

  /** The configuration key that makes the reads need a token. */
  public static final String PROTECT_READS_KEY = "lifeboat.api.protect-reads";

  private final Optional<String> token;
  private final Optional<String> readToken;
  private final boolean protectReads;

  ApiAccess(
      @ConfigProperty(name = TOKEN_KEY) Optional<String> token,
      @ConfigProperty(name = READ_TOKEN_KEY) Optional<String> readToken,
      @ConfigProperty(name = PROTECT_READS_KEY, defaultValue = "false") boolean protectReads) {
    this.token = token.filter(t -> !t.isBlank());
    this.readToken = readToken.filter(t -> !t.isBlank());
    this.protectReads = protectReads;
  }

  /** Refuses a request this rule does not let through; null lets it through. */
  @ServerRequestFilter
  public Response check(ContainerRequestContext request, ResourceInfo resource) {
    if (!request.getUriInfo().getPath().startsWith("/api/")) {
      return null;
    }
    boolean mutating =
        resource.getResourceMethod() != null
            && resource.getResourceMethod().isAnnotationPresent(Mutating.class);
    String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (mutating) {
      if (token.isEmpty()) {
        return ApiError.response(
            Response.Status.FORBIDDEN,
            "forbidden",
            "mutating endpoints are disabled: set " + TOKEN_KEY + " (env LIFEBOAT_API_TOKEN)");
      }
      if (carries(token, authorization)) {
        return null;
      }
      return carries(readToken, authorization)
          ? ApiError.response(
              Response.Status.FORBIDDEN, "forbidden", "the read token cannot change anything")
          : ApiError.response(
              Response.Status.UNAUTHORIZED, "unauthorized", "a valid bearer token is required");
    }
    if (!protectReads
        || token.isEmpty() && readToken.isEmpty()
        || carries(token, authorization)
        || carries(readToken, authorization)) {
      return null;
    }
    return ApiError.response(
        Response.Status.UNAUTHORIZED, "unauthorized", "a valid bearer token is required");
  }

  /** Whether the Authorization header carries that token (compared in constant time). */
  private static boolean carries(Optional<String> expected, String authorization) {
    if (expected.isEmpty() || authorization == null || !authorization.startsWith("Bearer ")) {
      return false;
    }
    String given = authorization.substring("Bearer ".length());
    return MessageDigest.isEqual(
        expected.get().getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }
}
