package dev.lifeboat.adapter.hcloud;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.adapter.domain.HcloudErrors;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.function.Predicate;

/**
 * An error answer of the Hetzner API (or no answer at all), with the API's code and message and
 * whether trying again may help. It never carries the token or request headers.
 */
public final class HcloudException extends RuntimeException {

  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final int status;
  private final String code;
  private final boolean retryable;
  private final boolean fromApi;

  private HcloudException(
      int status, String code, String message, boolean retryable, boolean fromApi) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryable = retryable;
    this.fromApi = fromApi;
  }

  /** The retry policy's test: an error that trying again may cure. */
  public static final class Retryable implements Predicate<Throwable> {
    @Override
    public boolean test(Throwable failure) {
      return failure instanceof HcloudException e && e.retryable();
    }
  }

  /** The HTTP status; 0 when there was no answer. */
  public int status() {
    return status;
  }

  /** The API's error code, such as {@code locked}. */
  public String code() {
    return code;
  }

  /** Whether the same call may succeed if made again. */
  public boolean retryable() {
    return retryable;
  }

  /**
   * Whether the code is the API's own, read from its JSON error body; an answer without one (a
   * proxy's 504, a 404 of a URL that is not the API) has only its HTTP status.
   */
  public boolean fromApi() {
    return fromApi;
  }

  /** The exception for an error answer; clients only parse bodies that say they are JSON. */
  public static HcloudException fromResponse(Response response) {
    int status = response.getStatus();
    String code = HcloudErrors.codeForStatus(status);
    String message = "HTTP " + status;
    MediaType type = response.getMediaType();
    if (type != null
        && type.isCompatible(MediaType.APPLICATION_JSON_TYPE)
        && response.hasEntity()) {
      try {
        HcloudDtos.ErrorBody body =
            JSON.readValue(response.readEntity(String.class), HcloudDtos.ErrorBody.class);
        if (body.error() != null && body.error().code() != null) {
          return new HcloudException(
              status,
              body.error().code(),
              HcloudErrors.explained(body.error().code(), body.error().message()),
              HcloudErrors.retryable(body.error().code(), status),
              true);
        }
      } catch (Exception e) {
        message = "HTTP " + status + " with an unreadable error body";
      }
    }
    if (status == 404) {
      message =
          "HTTP 404 without the API's JSON error: is lifeboat.hcloud.url the API's base URL"
              + " (ending in /v1)?";
    }
    return new HcloudException(status, code, message, HcloudErrors.retryable(code, status), false);
  }

  /** The exception for a code, retryable or not as {@link HcloudErrors} says. */
  public static HcloudException of(int status, String code, String message) {
    return new HcloudException(status, code, message, HcloudErrors.retryable(code, status), false);
  }

  /** No answer (status 0), or an action that never ended: {@link HcloudErrors} retries those. */
  public static HcloudException noAnswer(String code, String message) {
    return of(0, code, message);
  }

  @Override
  public String toString() {
    return "HcloudException[" + status + " " + code + ": " + getMessage() + "]";
  }
}
