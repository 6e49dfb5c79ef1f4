package dev.lifeboat.sim.domain;

import java.util.List;
import java.util.Map;

/**
 * An error answer of the simulated API: {@code {"error": {"code", "message", "details"}}} with the
 * code's HTTP status.
 */
public class ApiError extends RuntimeException {

  private final ErrorCode code;
  private final transient Map<String, Object> details;

  public ApiError(ErrorCode code, String message, Map<String, Object> details) {
    super(message);
    this.code = code;
    this.details = details;
  }

  public ApiError(ErrorCode code, String message) {
    this(code, message, null);
  }

  /** The error code. */
  public ErrorCode code() {
    return code;
  }

  /** The details object, or null. */
  public Map<String, Object> details() {
    return details;
  }

  /** A {@code not_found} error for a resource, worded as the API does. */
  public static ApiError notFound(String resource) {
    return new ApiError(ErrorCode.NOT_FOUND, resource + " not found");
  }

  /** An {@code invalid_input} error with field details, as the API gives them. */
  public static ApiError invalidInput(String field, String message) {
    return new ApiError(
        ErrorCode.INVALID_INPUT,
        "invalid input in field '" + field + "'",
        Map.of("fields", List.of(Map.of("name", field, "messages", List.of(message)))));
  }
}
