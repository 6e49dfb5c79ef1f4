package dev.lifeboat.service.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error a Lifeboat API answers has a JSON body, the framework's own included. */
public class ApiErrors {

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
  public Response badJson(JsonProcessingException e) {
    return ApiError.response(Response.Status.BAD_REQUEST, "invalid_json", e.getOriginalMessage());
  }
}
