package dev.lifeboat.adapter.domain;

import java.util.Set;

/**
 * Which Hetzner errors are worth trying again (docs/hetzner-api.md: the official clients' policy,
 * with {@code locked} retryable as the CSI driver and Terraform treat it).
 */
public final class HcloudErrors {

  /** Code the adapter gives to a call that got no answer (connection refused, reset, timed out). */
  public static final String IO_ERROR = "io_error";

  /**
   * Code the adapter gives to a detach it did not send: when its turn in the budget came, a new
   * read showed that the lost server's fence no longer holds. The next attempt decides anew.
   */
  public static final String FENCE_UNPROVEN = "fence_unproven";

  private static final Set<String> RETRYABLE =
      Set.of(
          "locked",
          "conflict",
          "rate_limit_exceeded",
          "timeout",
          "bad_gateway",
          "unavailable",
          "server_error",
          "service_error",
          "maintenance",
          "action_failed",
          "unknown_error",
          IO_ERROR,
          FENCE_UNPROVEN);

  private static final Set<String> FINAL =
      Set.of(
          "not_found",
          "invalid_input",
          "json_error",
          "unauthorized",
          "forbidden",
          "token_readonly",
          "protected",
          "volume_already_attached",
          "server_already_attached",
          "server_not_stopped",
          "resource_limit_exceeded",
          "no_space_left_in_location",
          "user_action_required",
          "uniqueness_error",
          Decisions.DEADLINE_PASSED,
          Decisions.INCIDENT_ENDED);

  private HcloudErrors() {}

  /** Whether the same call may succeed if made again; unknown codes follow their HTTP status. */
  public static boolean retryable(String code, int httpStatus) {
    if (RETRYABLE.contains(code)) {
      return true;
    }
    if (FINAL.contains(code)) {
      return false;
    }
    return httpStatus >= 500 || httpStatus == 0;
  }

  /**
   * The API's message, with what to do where the code says that the configuration is wrong rather
   * than the request: a read-only token (the dry-run overlay's) cannot act.
   */
  public static String explained(String code, String message) {
    if ("token_readonly".equals(code)) {
      return message
          + " (the Hetzner token is read-only: it serves lifeboat.hcloud.dry-run=true; acting needs"
          + " a token with the permission Read & Write)";
    }
    return message;
  }

  /** The API's code for an answer without a JSON error body. */
  public static String codeForStatus(int httpStatus) {
    return switch (httpStatus) {
      case 400 -> "invalid_input";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 409 -> "conflict";
      case 423 -> "locked";
      case 429 -> "rate_limit_exceeded";
      case 502 -> "bad_gateway";
      case 503 -> "unavailable";
      case 504 -> "timeout";
      default -> httpStatus >= 500 ? "server_error" : "http_" + httpStatus;
    };
  }
}
