package dev.lifeboat.adapter.hcloud;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

/** Adds {@code Authorization: Bearer <token>} to every Hetzner API request. */
@ApplicationScoped
public class BearerToken implements ClientHeadersFactory {

  private final HcloudToken token;

  BearerToken(HcloudToken token) {
    this.token = token;
  }

  @Override
  public MultivaluedMap<String, String> update(
      MultivaluedMap<String, String> incoming, MultivaluedMap<String, String> outgoing) {
    MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
    token.authorization().ifPresent(value -> headers.add("Authorization", value));
    return headers;
  }
}
