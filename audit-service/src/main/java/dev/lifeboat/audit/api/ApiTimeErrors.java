package dev.lifeboat.audit.api;

import dev.lifeboat.service.api.ApiError;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The audit API's own error bodies; the token check and the JSON body of every other error are
 * service-kit's ({@link dev.lifeboat.service.api.ApiAccess}, {@link
 * dev.lifeboat.service.api.ApiErrors}).
 */
public class ApiTimeErrors {

  @ServerExceptionMapper
  public Response badTime(java.time.format.DateTimeParseException e) {
    return ApiError.response(
        Response.Status.BAD_REQUEST, "invalid_input", "times are ISO-8601: " + e.getMessage());
  }
}
