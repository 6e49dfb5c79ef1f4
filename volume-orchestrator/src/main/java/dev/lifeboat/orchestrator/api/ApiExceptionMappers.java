package dev.lifeboat.orchestrator.api;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error the API answers has a JSON body, including the framework's own. */
public class ApiExceptionMappers {

  @ServerExceptionMapper
  public Response webApplication(WebApplicationException e) {
    Response original = e.getResponse();
    if (original.hasEntity()
        && MediaType.APPLICATION_JSON_TYPE.isCompatible(original.getMediaType())) {
      return original;
    }
    Response.Status status = Response.Status.fromStatusCode(original.getStatus());
    String code = e instanceof NotFoundException ? "not_found" : "request_refused";
    return ApiError.response(
        status == null ? Response.Status.BAD_REQUEST : status,
        code,
        e.getMessage() == null ? "refused" : e.getMessage());
  }

  @ServerExceptionMapper
  public Response badInput(com.fasterxml.jackson.core.JsonProcessingException e) {
    return ApiError.response(Response.Status.BAD_REQUEST, "invalid_json", e.getOriginalMessage());
  }
}
