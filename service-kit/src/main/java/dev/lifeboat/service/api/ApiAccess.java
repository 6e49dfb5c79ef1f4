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
 *       without it); with no token configured it is closed (403, naming the key);
 *   <li>any other {@code /api/} endpoint is open, unless a token is configured and {@code
 *       lifeboat.api.protect-reads} is true: then it needs the token too.
 * </ul>
 *
 * Paths outside {@code /api/} (health, metrics, pages) are not checked here.
 */
public class ApiAccess {

  /** The configuration key of the token (env {@code LIFEBOAT_API_TOKEN}). */
  public static final String TOKEN_KEY = "lifeboat.api.token";

  private final Optional<String> token;
  private final boolean protectReads;

  ApiAccess(
      @ConfigProperty(name = TOKEN_KEY) Optional<String> token,
      @ConfigProperty(name = "lifeboat.api.protect-reads", defaultValue = "false")
          boolean protectReads) {
    this.token = token.filter(t -> !t.isBlank());
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
    if (token.isEmpty()) {
      return mutating
          ? ApiError.response(
              Response.Status.FORBIDDEN,
              "forbidden",
              "mutating endpoints are disabled: set " + TOKEN_KEY + " (env LIFEBOAT_API_TOKEN)")
          : null;
    }
    if (!mutating && !protectReads) {
      return null;
    }
    return carriesToken(request.getHeaderString(HttpHeaders.AUTHORIZATION))
        ? null
        : ApiError.response(
            Response.Status.UNAUTHORIZED, "unauthorized", "a valid bearer token is required");
  }

  private boolean carriesToken(String authorization) {
    String given =
        authorization != null && authorization.startsWith("Bearer ")
            ? authorization.substring("Bearer ".length())
            : "";
    return MessageDigest.isEqual(
        token.get().getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }
}
