package dev.lifeboat.audit.domain;

import dev.lifeboat.audit.domain.IncidentProjection.CommandRow;
import dev.lifeboat.audit.domain.IncidentProjection.Failure;
import dev.lifeboat.audit.domain.IncidentProjection.Incident;
import dev.lifeboat.audit.domain.IncidentProjection.StepRow;
import dev.lifeboat.audit.domain.IncidentProjection.Volume;
import dev.lifeboat.events.Command;
import dev.lifeboat.events.CommandResult;
import dev.lifeboat.events.LifeboatMessage;
import dev.lifeboat.events.cluster.AwaitPodReady;
import dev.lifeboat.events.cluster.AwaitReplacementPod;
import dev.lifeboat.events.cluster.ClusterCommandFailed;
import dev.lifeboat.events.cluster.ClusterCommandSucceeded;
import dev.lifeboat.events.cluster.PodReady;
import dev.lifeboat.events.cluster.ReplacementPodScheduled;
import dev.lifeboat.events.cluster.RequeueVolumeAttachment;
import dev.lifeboat.events.control.ControlRequest;
import dev.lifeboat.events.hcloud.AttachVolume;
import dev.lifeboat.events.hcloud.DetachVolume;
import dev.lifeboat.events.hcloud.HcloudCommand;
import dev.lifeboat.events.hcloud.HcloudCommandAlreadyDone;
import dev.lifeboat.events.hcloud.HcloudCommandDryRun;
import dev.lifeboat.events.hcloud.HcloudCommandFailed;
import dev.lifeboat.events.hcloud.HcloudCommandSucceeded;
import dev.lifeboat.events.hcloud.ServerObserved;
import dev.lifeboat.events.node.HeldVolume;
import dev.lifeboat.events.node.NodeEvent;
import dev.lifeboat.events.node.NodeGone;
import dev.lifeboat.events.node.NodeRef;
import dev.lifeboat.events.node.NodeReturned;
import dev.lifeboat.events.node.NodeSuspected;
import dev.lifeboat.events.node.RemovalRequested;
import dev.lifeboat.events.node.RepairRequested;
import dev.lifeboat.events.node.StormGuardTripped;
import dev.lifeboat.events.saga.IncidentCancelled;
import dev.lifeboat.events.saga.IncidentCompleted;
import dev.lifeboat.events.saga.IncidentHeld;
import dev.lifeboat.events.saga.IncidentPartial;
import dev.lifeboat.events.saga.IncidentStatus;
import dev.lifeboat.events.saga.RetryScheduled;
import dev.lifeboat.events.saga.SagaEvent;
import dev.lifeboat.events.saga.Step;
import dev.lifeboat.events.saga.StepFailed;
import dev.lifeboat.events.saga.StepStarted;
import dev.lifeboat.events.saga.StepSucceeded;
import dev.lifeboat.events.saga.VolumeFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Derives the projection of one incident from its messages, in timeline order. Pure: the same
 * messages give the same projection, however the topics were interleaved when they were stored,
 * which is what makes redelivery, replay and rebuild give identical answers.
 */
public final class IncidentProjector {

  /** The kind of an incident opened by a node's loss. */
  public static final String LOSS = "loss";

  /** The kind of an incident opened by a node's planned removal. */
  public static final String REMOVAL = "removal";

  /** The kind of the saga that repairs a doctor's finding. */
  public static final String REPAIR = "repair";

  private IncidentProjector() {}

  /**
   * The order of the timeline: when it happened; within one instant cause before effect (what the
   * node and people said, then the results that reached the saga, then what the saga recorded, then
   * the commands it sent), and within one topic the order the topic holds (an incident is one
   * partition, so every way of reading it, stored, re-consumed or replayed, agrees).
   */
  public static final Comparator<Entry> TIMELINE =
      Comparator.comparing((Entry e) -> e.message().occurredAt())
          .thenComparingInt(e -> causalRank(e.message()))
          .thenComparing(Entry::topic)
          .thenComparingLong(Entry::sequence)
          .thenComparing(e -> e.message().messageId());

  private static int causalRank(LifeboatMessage message) {
    if (message instanceof NodeEvent) {
      return 0;
    }
    if (message instanceof ControlRequest) {
      return 1;
    }
    if (message instanceof CommandResult) {
      return 2;
    }
    return message instanceof SagaEvent ? 3 : 4;
  }

  /** The projection of the incident whose messages these are. */
  public static IncidentProjection project(String incidentId, List<Entry> entries) {
    List<Entry> ordered = new ArrayList<>(entries);
    ordered.sort(TIMELINE);
    Builder builder = new Builder(incidentId);
    ordered.forEach(entry -> builder.on(entry.message()));
    return builder.build(ordered.size());
  }

  /** The working state while the messages are read. */
  private static final class Builder {
    final String incidentId;
    NodeRef node;
    String reason;
    String kind = LOSS;
    IncidentStatus status;
    Instant firstSeen;
    Instant detected;
    Instant fenced;
    Instant emptied;
    Instant ended;
    Instant lastReady;
    final Map<Long, VolumeBuilder> volumes = new LinkedHashMap<>();
    final Map<String, StepBuilder> steps = new LinkedHashMap<>();
    final Map<String, CommandBuilder> commands = new LinkedHashMap<>();

    Builder(String incidentId) {
      this.incidentId = incidentId;
    }

    void on(LifeboatMessage message) {
      Instant at = message.occurredAt();
      if (firstSeen == null) {
        firstSeen = at;
      }
      if (message instanceof NodeSuspected suspected) {
        node = node == null ? suspected.node() : node;
        status = status == null ? IncidentStatus.SUSPECTED : status;
      } else if (message instanceof StormGuardTripped guard) {
        node = node == null ? guard.node() : node;
        status = status == null ? IncidentStatus.SUSPECTED : status;
      } else if (message instanceof NodeGone
          || message instanceof RemovalRequested
          || message instanceof RepairRequested) {
        // A removal or a repair opens with the same inventory as a loss; its reason says which.
        NodeGone gone;
        if (message instanceof RemovalRequested removal) {
          gone = removal.inventory();
          kind = REMOVAL;
        } else if (message instanceof RepairRequested repair) {
          gone = repair.inventory();
          kind = REPAIR;
        } else {
          gone = (NodeGone) message;
        }
        if (detected == null) {
          node = gone.node();
          reason = gone.reason().name();
          detected = at;
          status = IncidentStatus.RUNNING;
          for (HeldVolume volume : gone.volumes()) {
            VolumeBuilder v = new VolumeBuilder(volume);
            if (volume.skipped() != null) {
              v.status = "SKIPPED";
              v.failureDetail = volume.skipped();
            }
            volumes.put(volume.volumeId(), v);
          }
        }
      } else if (message instanceof NodeReturned returned) {
        node = node == null ? returned.node() : node;
        if (status == null || status == IncidentStatus.SUSPECTED) {
          status = IncidentStatus.RETURNED;
        }
      } else if (message instanceof StepStarted started) {
        step(started.step(), started.volumeId()).started(started.attempt(), at);
        volume(started.volumeId(), v -> v.started(at));
        if (started.step() == Step.FENCE && status == IncidentStatus.HELD) {
          status = IncidentStatus.RUNNING; // a person resumed it
        }
        if (ended != null) {
          // A step of an ended incident: it runs again (a person's retry, a dry run handled live).
          status = IncidentStatus.RUNNING;
          ended = null;
        }
      } else if (message instanceof StepSucceeded succeeded) {
        step(succeeded.step(), succeeded.volumeId()).succeeded(succeeded.attempt(), at);
        if (succeeded.step() == Step.FENCE && fenced == null) {
          fenced = at;
        }
        if (succeeded.step() == Step.DETACH && succeeded.volumeId() != null) {
          emptied = emptied == null || at.isAfter(emptied) ? at : emptied;
        }
        if (succeeded.step() == Step.VERIFY) {
          volume(succeeded.volumeId(), v -> v.moved(at));
          lastReady = at;
        }
      } else if (message instanceof StepFailed failed) {
        StepBuilder step = step(failed.step(), failed.volumeId());
        step.failed(failed.attempt(), at, failed.errorCode(), failed.message(), failed.giveUp());
        if (failed.giveUp()) {
          volume(
              failed.volumeId(),
              v -> v.failed(failed.step().name(), failed.errorCode(), failed.message(), at));
        }
      } else if (message instanceof IncidentHeld) {
        status = IncidentStatus.HELD;
      } else if (message instanceof RetryScheduled retry) {
        step(retry.step(), retry.volumeId()).retrying();
      } else if (message instanceof IncidentCompleted) {
        status = IncidentStatus.COMPLETED;
        ended = at;
      } else if (message instanceof IncidentPartial partial) {
        status = IncidentStatus.PARTIAL;
        ended = at;
        for (VolumeFailure failure : partial.failures()) {
          volume(
              failure.volumeId(),
              v -> v.failed(failure.step().name(), failure.reason(), failure.detail(), at));
        }
      } else if (message instanceof IncidentCancelled) {
        status = IncidentStatus.CANCELLED;
        ended = at;
      } else if (message instanceof Command command) {
        commands.computeIfAbsent(command.commandId(), id -> new CommandBuilder(command));
      } else if (message instanceof CommandResult result) {
        CommandBuilder command = commands.get(result.commandId());
        if (command != null) {
          command.result(result);
          if (result instanceof ReplacementPodScheduled scheduled) {
            volume(
                scheduled.volumeId(),
                v -> {
                  v.targetNode = scheduled.nodeName();
                  v.targetServer = scheduled.serverId();
                });
          }
        }
      }
    }

    StepBuilder step(Step step, Long volumeId) {
      long volume = volumeId == null ? 0 : volumeId;
      return steps.computeIfAbsent(
          volume + "/" + step.name(), key -> new StepBuilder(volume, step.name()));
    }

    void volume(Long volumeId, java.util.function.Consumer<VolumeBuilder> change) {
      if (volumeId != null && volumes.containsKey(volumeId)) {
        change.accept(volumes.get(volumeId));
      }
    }

    IncidentProjection build(int messages) {
      List<Volume> volumeRows =
          volumes.values().stream().map(v -> v.build(incidentId, ended)).toList();
      Incident incident =
          new Incident(
              incidentId,
              kind,
              node == null ? null : node.name(),
              node == null ? 0 : node.serverId(),
              node == null ? null : node.location(),
              reason,
              status == null ? "UNKNOWN" : status.name(),
              firstSeen,
              detected,
              fenced,
              emptied,
              ended,
              lastReady,
              volumes.size(),
              (int) volumeRows.stream().filter(v -> v.status().equals("MOVED")).count(),
              messages);
      List<StepRow> stepRows = steps.values().stream().map(s -> s.build(incidentId)).toList();
      List<CommandRow> commandRows =
          commands.values().stream().map(c -> c.build(incidentId)).toList();
      return new IncidentProjection(incident, volumeRows, stepRows, commandRows);
    }
  }

  private static final class VolumeBuilder {
    final HeldVolume volume;
    String status = "PENDING";
    String targetNode;
    long targetServer;
    String failureStep;
    String failureReason;
    String failureDetail;
    Instant started;
    Instant ended;

    VolumeBuilder(HeldVolume volume) {
      this.volume = volume;
    }

    void started(Instant at) {
      if (started == null) {
        started = at;
      }
      if (status.equals("PENDING")) {
        status = "IN_PROGRESS";
      }
    }

    void moved(Instant at) {
      status = "MOVED";
      ended = at;
      failureStep = null;
      failureReason = null;
      failureDetail = null;
    }

    void failed(String step, String reason, String detail, Instant at) {
      if (status.equals("SKIPPED")) {
        return;
      }
      status = "FAILED";
      failureStep = step;
      failureReason = reason;
      failureDetail = detail;
      ended = at;
    }

    Volume build(String incidentId, Instant incidentEnded) {
      return new Volume(
          incidentId,
          volume.volumeId(),
          volume.persistentVolume(),
          volume.claim().namespace() + "/" + volume.claim().name(),
          volume.location(),
          status,
          targetNode,
          targetServer,
          failureStep,
          failureReason,
          failureDetail,
          started,
          ended);
    }
  }

  private static final class StepBuilder {
    final long volumeId;
    final String step;
    String status = "RUNNING";
    Instant started;
    Instant ended;
    int attempts;
    String errorCode;
    String error;
    final List<Failure> failures = new ArrayList<>();

    StepBuilder(long volumeId, String step) {
      this.volumeId = volumeId;
      this.step = step;
    }

    void started(int attempt, Instant at) {
      if (started == null) {
        started = at;
      }
      attempts = Math.max(attempts, attempt);
      status = "RUNNING";
      ended = null;
    }

    void succeeded(int attempt, Instant at) {
      if (started == null) {
        started = at;
      }
      attempts = Math.max(attempts, attempt);
      status = "SUCCEEDED";
      ended = at;
    }

    void failed(int attempt, Instant at, String code, String message, boolean giveUp) {
      if (started == null) {
        started = at;
      }
      attempts = Math.max(attempts, attempt);
      failures.add(new Failure(attempt, at, code, message, giveUp));
      errorCode = code;
      error = message;
      if (giveUp) {
        status = "FAILED";
        ended = at;
      } else {
        status = "RETRYING";
      }
    }

    void retrying() {
      status = "RETRYING";
    }

    StepRow build(String incidentId) {
      return new StepRow(
          incidentId,
          volumeId,
          step,
          status,
          started,
          ended,
          Math.max(1, attempts),
          errorCode,
          error,
          List.copyOf(failures));
    }
  }

  private static final class CommandBuilder {
    final Command command;
    CommandResult result;

    CommandBuilder(Command command) {
      this.command = command;
    }

    void result(CommandResult first) {
      if (result == null) {
        result = first;
      }
    }

    CommandRow build(String incidentId) {
      return new CommandRow(
          command.commandId(),
          incidentId,
          command.getClass().getSimpleName(),
          command instanceof HcloudCommand ? "hcloud-adapter" : "node-watcher",
          volumeOf(command),
          command.occurredAt(),
          result == null ? null : result.getClass().getSimpleName(),
          result == null ? null : detail(result),
          result == null ? null : result.occurredAt(),
          result == null
              ? null
              : Duration.between(command.occurredAt(), result.occurredAt()).toMillis());
    }

    private static Long volumeOf(Command command) {
      if (command instanceof DetachVolume d) {
        return d.volumeId();
      }
      if (command instanceof AttachVolume a) {
        return a.volumeId();
      }
      if (command instanceof AwaitReplacementPod a) {
        return a.volumeId();
      }
      if (command instanceof AwaitPodReady a) {
        return a.volumeId();
      }
      if (command instanceof RequeueVolumeAttachment r) {
        return r.volumeId();
      }
      return null;
    }

    private static String detail(CommandResult result) {
      if (result instanceof HcloudCommandSucceeded s) {
        return "action " + s.actionId();
      }
      if (result instanceof HcloudCommandAlreadyDone d) {
        return d.observed();
      }
      if (result instanceof ServerObserved o) {
        return "status " + o.status() + (o.locked() ? ", locked" : "");
      }
      if (result instanceof HcloudCommandDryRun d) {
        return "would " + d.wouldCall();
      }
      if (result instanceof HcloudCommandFailed f) {
        return f.errorCode() + ": " + f.errorMessage();
      }
      if (result instanceof ClusterCommandSucceeded s) {
        return s.detail();
      }
      if (result instanceof ReplacementPodScheduled p) {
        return "pod " + p.pod().name() + " on " + p.nodeName();
      }
      if (result instanceof PodReady p) {
        return "pod " + p.pod().name() + " Ready";
      }
      if (result instanceof ClusterCommandFailed f) {
        return f.code() + ": " + f.message();
      }
      return null;
    }
  }
}
