package dev.lifeboat.sim.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lifeboat.sim.domain.ApiError;
import dev.lifeboat.sim.domain.ErrorCode;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** The API's error body: {@code {"error": {"code", "message", "details"}}}. */
public record ErrorBody(Error error) {

  /** The error object; {@code details} is written as null when absent, as the API does. */
  public record Error(
      String code,
      String message,
      @JsonInclude(JsonInclude.Include.ALWAYS) Map<String, Object> details) {}

  /** The response for an API error, with its status under the given domain-error status. */
  public static Response response(ApiError error, int domainErrorStatus) {
    return response(error.code(), error.getMessage(), error.details(), domainErrorStatus);
  }

  /** The response for an error code. */
  public static Response response(
      ErrorCode code, String message, Map<String, Object> details, int domainErrorStatus) {
    return Response.status(code.status(domainErrorStatus))
        .type(MediaType.APPLICATION_JSON)
        .entity(new ErrorBody(new Error(code.code(), message, details)))
        .build();
  }
}
