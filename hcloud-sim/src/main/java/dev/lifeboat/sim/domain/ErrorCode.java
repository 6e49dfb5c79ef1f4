package dev.lifeboat.sim.domain;

import java.util.Arrays;
import java.util.Optional;

/**
 * The Hetzner Cloud API's error codes the simulator can answer with, and their HTTP statuses
 * (docs/hetzner-api.md: statuses pinned by hcloud-go's tests, the rest likely or configurable).
 */
public enum ErrorCode {
  INVALID_INPUT("invalid_input", 400),
  JSON_ERROR("json_error", 400),
  UNAUTHORIZED("unauthorized", 401),
  FORBIDDEN("forbidden", 403),
  TOKEN_READONLY("token_readonly", 403),
  NOT_FOUND("not_found", 404),
  CONFLICT("conflict", 409),
  UNIQUENESS_ERROR("uniqueness_error", 409),
  LOCKED("locked", 423),
  PROTECTED("protected", 423),
  RATE_LIMIT_EXCEEDED("rate_limit_exceeded", 429),
  SERVER_ERROR("server_error", 500),
  BAD_GATEWAY("bad_gateway", 502),
  UNAVAILABLE("unavailable", 503),
  SERVICE_ERROR("service_error", 503),
  MAINTENANCE("maintenance", 503),
  TIMEOUT("timeout", 504),
  /** Domain errors: their HTTP status is unconfirmed, so it is a setting (default 422). */
  VOLUME_ALREADY_ATTACHED("volume_already_attached", 0),
  SERVER_NOT_STOPPED("server_not_stopped", 0),
  SERVER_ALREADY_ATTACHED("server_already_attached", 0),
  NO_SPACE_LEFT_IN_LOCATION("no_space_left_in_location", 0),
  RESOURCE_LIMIT_EXCEEDED("resource_limit_exceeded", 0),
  /** Codes seen inside failed actions, never as an HTTP answer. */
  ACTION_FAILED("action_failed", 0),
  UNKNOWN_ERROR("unknown_error", 0),
  USER_ACTION_REQUIRED("user_action_required", 0);

  private final String code;
  private final int status;

  ErrorCode(String code, int status) {
    this.code = code;
    this.status = status;
  }

  /** The code as the API writes it, such as {@code not_found}. */
  public String code() {
    return code;
  }

  /** The HTTP status, or {@code domainStatus} for codes whose status is a setting. */
  public int status(int domainStatus) {
    return status == 0 ? domainStatus : status;
  }

  /** The error code written as the API writes it. */
  public static Optional<ErrorCode> of(String code) {
    return Arrays.stream(values()).filter(c -> c.code.equals(code)).findFirst();
  }
}
