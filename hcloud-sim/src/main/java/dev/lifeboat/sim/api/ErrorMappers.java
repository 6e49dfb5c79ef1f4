package dev.lifeboat.sim.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.lifeboat.sim.domain.ApiError;
import dev.lifeboat.sim.domain.Cloud;
import dev.lifeboat.sim.domain.ErrorCode;
import io.quarkus.logging.Log;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every failure becomes the API's JSON error, never a stack trace or an HTML page. */
public class ErrorMappers {

  private final Cloud cloud;

  ErrorMappers(Cloud cloud) {
    this.cloud = cloud;
  }

  @ServerExceptionMapper
  public Response apiError(ApiError error) {
    return ErrorBody.response(error, cloud.settings().domainErrorStatus());
  }

  @ServerExceptionMapper
  public Response notFound(NotFoundException e) {
    return ErrorBody.response(ErrorCode.NOT_FOUND, "not found", null, 422);
  }

  @ServerExceptionMapper
  public Response notAllowed(NotAllowedException e) {
    // Unconfirmed: the real API's answer to a method a path does not have.
    return ErrorBody.response(ErrorCode.NOT_FOUND, "not found", null, 422);
  }

  @ServerExceptionMapper
  public Response badField(MismatchedInputException e) {
    String field =
        e.getPath().stream()
            .map(
                ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
            .reduce((a, b) -> a + "." + b)
            .orElse("body");
    return ErrorBody.response(
        ErrorCode.INVALID_INPUT,
        "invalid input in field '" + field + "'",
        Map.of(
            "fields", List.of(Map.of("name", field, "messages", List.of(e.getOriginalMessage())))),
        422);
  }

  @ServerExceptionMapper
  public Response badJson(JsonProcessingException e) {
    return ErrorBody.response(ErrorCode.JSON_ERROR, "request body is not valid JSON", null, 422);
  }

  @ServerExceptionMapper
  public Response webError(WebApplicationException e) {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof ApiError refused) {
        // A body whose values a record refused (an admin fault rule, say): its own words.
        return apiError(refused);
      }
    }
    int status = e.getResponse().getStatus();
    if (status == 404) {
      return notFound(null);
    }
    if (status == 415 || status == 400) {
      return ErrorBody.response(ErrorCode.JSON_ERROR, "request body is not valid JSON", null, 422);
    }
    Log.errorf(e, "unexpected web error %d", status);
    return ErrorBody.response(ErrorCode.SERVER_ERROR, "internal server error", null, 422);
  }

  @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 100)
  public Response unexpected(RuntimeException e) {
    Log.error("unexpected error in hcloud-sim", e);
    return ErrorBody.response(ErrorCode.SERVER_ERROR, "internal server error", null, 422);
  }
}
