package dev.lifeboat.adapter.messaging;

import dev.lifeboat.adapter.hcloud.RateLimitBudget;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.permit.BudgetReported;
import dev.lifeboat.events.permit.PermitMessage;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Tells the orchestrator's flow-slot authority how short the project's Hetzner budget is, every
 * {@value #EVERY} while it is short (calls wait, or less than half of the bucket is left) and once
 * when it no longer is; nothing while the budget is plentiful. The orchestrator admits no more
 * volume flows than the budget can carry (docs/design.md, "The budget sets the pace").
 */
@ApplicationScoped
public class BudgetReports {

  /** How often the budget is reported while it is short. */
  public static final String EVERY = "5s";

  private final RateLimitBudget budget;
  private final MutinyEmitter<LifeboatMessage> permits;
  private final Clock clock;
  private boolean reportedShort;

  BudgetReports(
      RateLimitBudget budget,
      @Channel(Channels.BUDGET_REPORTS) MutinyEmitter<LifeboatMessage> permits,
      Clock clock) {
    this.budget = budget;
    this.permits = permits;
    this.clock = clock;
  }

  @Scheduled(
      every = EVERY,
      delayed = EVERY,
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void reportWhileShort() {
    RateLimitBudget.View view = budget.view();
    if (!view.constrained() && !reportedShort) {
      return;
    }
    BudgetReported report =
        new BudgetReported(
            UUID.randomUUID().toString(),
            PermitMessage.AUTHORITY_KEY,
            clock.instant(),
            view.remaining(),
            view.limit(),
            view.refillPerSecond(),
            view.servedPerSecond(),
            view.waiting(),
            view.constrained());
    permits
        .sendMessage(KafkaRecord.of(PermitMessage.AUTHORITY_KEY, (LifeboatMessage) report))
        .subscribe()
        .with(
            sent -> {},
            failure -> Log.warnf("the budget report was not sent: %s", failure.getMessage()));
    reportedShort = view.constrained();
  }
}
