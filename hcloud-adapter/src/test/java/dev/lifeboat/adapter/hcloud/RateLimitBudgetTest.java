package dev.lifeboat.adapter.hcloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.lifeboat.adapter.config.AdapterConfig;
import dev.lifeboat.adapter.domain.CallPriority;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The budget on its own: plenty means no waiting; an empty one serves fencing first. */
class RateLimitBudgetTest {

  private static final Supplier<Uni<Void>> NOTHING = () -> Uni.createFrom().voidItem();

  private final RateLimitBudget budget = budget(Map.of("lifeboat.hcloud.budget.reserve", "6"));

  @Test
  void withPlentyLeftEveryCallGoesAtOnce() {
    budget.observe(3600, 3500, Clock.systemUTC().millis() / 1000 + 100);

    assertThat(budget.spend(CallPriority.READ, NOTHING).subscribeAsCompletionStage()).isDone();
    assertThat(budget.remaining()).isLessThan(3500);
  }

  @Test
  void anEmptyBudgetServesAFenceBeforeAnAttachThatAskedFirst() {
    // 10 requests, none left, full again in 5 s: 2 requests a second come back.
    budget.observe(10, 0, Clock.systemUTC().millis() / 1000 + 5);

    CompletableFuture<Void> attach =
        budget.spend(CallPriority.ATTACH, NOTHING).subscribeAsCompletionStage();
    CompletableFuture<Void> fence =
        budget.spend(CallPriority.FENCE, NOTHING).subscribeAsCompletionStage();

    await().atMost(Duration.ofSeconds(10)).until(fence::isDone);
    assertThat(attach).as("the attach keeps part of the reserve for fencing").isNotDone();
    await().atMost(Duration.ofSeconds(20)).until(attach::isDone);
  }

  @Test
  void aCallThatStopsWaitingLeavesTheQueueAndIsNeverSent() {
    // 10 requests, none left, full again in 5 s: 2 requests a second come back.
    budget.observe(10, 0, Clock.systemUTC().millis() / 1000 + 5);
    AtomicInteger sent = new AtomicInteger();

    Cancellable gaveUp =
        budget
            .spend(
                CallPriority.READ,
                () -> {
                  sent.incrementAndGet();
                  return Uni.createFrom().voidItem();
                })
            .subscribe()
            .with(nothing -> {});
    assertThat(budget.waiting()).isEqualTo(1);
    gaveUp.cancel();

    assertThat(budget.waiting()).as("the call left the queue").isZero();
    CompletableFuture<Void> next =
        budget.spend(CallPriority.READ, NOTHING).subscribeAsCompletionStage();
    await().atMost(Duration.ofSeconds(10)).until(next::isDone);
    assertThat(sent).as("the request of the call that stopped waiting").hasValue(0);
  }

  @Test
  void theViewCountsTheCallsOfTheLastMinuteAndIsShortBelowHalfOrWhileCallsWait() {
    budget.observe(100, 90, Clock.systemUTC().millis() / 1000 + 10);
    assertThat(budget.view().constrained()).isFalse();
    for (int i = 0; i < 42; i++) {
      budget.spend(CallPriority.READ, NOTHING).await().indefinitely();
    }

    RateLimitBudget.View view = budget.view();

    assertThat(view.servedPerSecond()).isEqualTo(42 / 60.0);
    assertThat(view.remaining()).isLessThan(50);
    assertThat(view.limit()).isEqualTo(100);
    assertThat(view.constrained()).as("%s", view).isTrue();
    assertThat(new RateLimitBudget.View(80, 100, 1, 0, 1).constrained()).isTrue();
    assertThat(new RateLimitBudget.View(50, 100, 1, 0, 0).constrained()).isFalse();
  }

  private static RateLimitBudget budget(Map<String, String> properties) {
    AdapterConfig config =
        new SmallRyeConfigBuilder()
            .withMapping(AdapterConfig.class)
            .withSources(new PropertiesConfigSource(properties, "test", 500))
            .withConverter(Duration.class, 100, new DurationConverter())
            .build()
            .getConfigMapping(AdapterConfig.class);
    return new RateLimitBudget(config, Clock.systemUTC(), new SimpleMeterRegistry());
  }
}
