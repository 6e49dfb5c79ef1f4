package dev.lifeboat.service.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The JSON body of every error Lifeboat's APIs answer.
 *
 * @param status the HTTP status
 * @param error a stable code, such as {@code not_found}
 * @param message what is wrong, in words
 */
public record ApiError(int status, String error, String message) {

  /** A response with this error as its JSON body. */
  public static Response response(Response.Status status, String error, String message) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ApiError(status.getStatusCode(), error, message))
        .build();
  }

  /** An exception that ends a request with this error. */
  public static WebApplicationException of(Response.Status status, String error, String message) {
    return new WebApplicationException(response(status, error, message));
  }
}
