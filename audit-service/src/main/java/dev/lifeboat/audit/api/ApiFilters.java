package dev.lifeboat.audit.api;

import dev.lifeboat.audit.config.AuditConfig;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** The API's token check, and JSON bodies for every error. */
public class ApiFilters {

  private final AuditConfig config;

  ApiFilters(AuditConfig config) {
    this.config = config;
  }

  /** When a token is configured, every {@code /api} request must carry it as a bearer token. */
  @ServerRequestFilter
  public Response requireToken(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    if (!path.startsWith("/api/") || config.apiToken().filter(t -> !t.isBlank()).isEmpty()) {
      return null;
    }
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    String given = header != null && header.startsWith("Bearer ") ? header.substring(7) : "";
    boolean ok =
        MessageDigest.isEqual(
            config.apiToken().get().getBytes(StandardCharsets.UTF_8),
            given.getBytes(StandardCharsets.UTF_8));
    return ok
        ? null
        : ApiError.response(
            Response.Status.UNAUTHORIZED, "unauthorized", "a valid bearer token is required");
  }

  @ServerExceptionMapper
  public Response webApplication(WebApplicationException e) {
    Response original = e.getResponse();
    if (original.hasEntity()
        && MediaType.APPLICATION_JSON_TYPE.isCompatible(original.getMediaType())) {
      return original;
    }
    Response.Status status = Response.Status.fromStatusCode(original.getStatus());
    return ApiError.response(
        status == null ? Response.Status.BAD_REQUEST : status,
        e instanceof NotFoundException ? "not_found" : "request_refused",
        e.getMessage() == null ? "refused" : e.getMessage());
  }

  @ServerExceptionMapper
  public Response badTime(java.time.format.DateTimeParseException e) {
    return ApiError.response(
        Response.Status.BAD_REQUEST, "invalid_input", "times are ISO-8601: " + e.getMessage());
  }
}
