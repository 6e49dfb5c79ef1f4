package dev.lifeboat.adapter.hcloud;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import java.util.regex.Pattern;

/**
 * Sees every answer of the Hetzner API: feeds its rate-limit headers to the {@link RateLimitBudget}
 * and counts it by endpoint and status ({@code lifeboat.hcloud.requests}).
 */
public class ResponseObserver implements ClientResponseFilter {

  private static final Pattern ID = Pattern.compile("/\\d+(?=/|$)");

  private final RateLimitBudget budget;
  private final MeterRegistry registry;
  private final LastAnswer lastAnswer;

  ResponseObserver(RateLimitBudget budget, MeterRegistry registry, LastAnswer lastAnswer) {
    this.budget = budget;
    this.registry = registry;
    this.lastAnswer = lastAnswer;
  }

  @Override
  public void filter(ClientRequestContext request, ClientResponseContext response) {
    lastAnswer.record(response.getStatus());
    String limit = response.getHeaderString("RateLimit-Limit");
    String remaining = response.getHeaderString("RateLimit-Remaining");
    String reset = response.getHeaderString("RateLimit-Reset");
    boolean observed = false;
    if (limit != null && remaining != null && reset != null) {
      try {
        budget.observe(Integer.parseInt(limit), Integer.parseInt(remaining), Long.parseLong(reset));
        observed = true;
      } catch (NumberFormatException e) {
        // A malformed header is ignored; the budget keeps its own estimate.
      }
    }
    if (response.getStatus() == 429 && !observed) {
      // A 429 without headers: assume the bucket is empty and wait for it to refill.
      budget.exhausted();
    }
    registry
        .counter(
            "lifeboat.hcloud.requests",
            "endpoint",
            request.getMethod() + " " + endpoint(request.getUri().getPath()),
            "status",
            Integer.toString(response.getStatus()))
        .increment();
  }

  private static String endpoint(String path) {
    int api = path.indexOf("/v1/");
    return ID.matcher(api >= 0 ? path.substring(api + 3) : path).replaceAll("/{id}");
  }
}
