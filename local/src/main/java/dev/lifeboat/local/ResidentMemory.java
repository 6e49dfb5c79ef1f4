package dev.lifeboat.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The resident memory of the local run's processes, read from Linux's {@code /proc/<pid>/status}
 * ({@code VmRSS}), and the Java heap they use, read from each service's own {@code /q/metrics}
 * ({@code jvm_memory_used_bytes} of the heap areas), sampled every 2 s while a benchmark runs: each
 * process's samples are kept, so that the idle and the peak figures come from the same run.
 */
final class ResidentMemory implements AutoCloseable {

  /** The four services; the helpers (broker, database, simulators) are not Lifeboat. */
  static final List<String> SERVICES =
      List.of("node-watcher", "volume-orchestrator", "hcloud-adapter", "audit-service");

  private final Stack stack;
  private final Map<String, List<Long>> samples = new LinkedHashMap<>();
  private final Map<String, List<Long>> heapSamples = new LinkedHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "resident-memory");
            thread.setDaemon(true);
            return thread;
          });

  private ResidentMemory(Stack stack) {
    this.stack = stack;
    SERVICES.forEach(service -> samples.put(service, new ArrayList<>()));
    SERVICES.forEach(service -> heapSamples.put(service, new ArrayList<>()));
  }

  /** Starts sampling the services of this stack; empty where there is no {@code /proc}. */
  static Optional<ResidentMemory> sample(Stack stack) {
    if (!Files.isDirectory(Path.of("/proc/self"))) {
      return Optional.empty();
    }
    ResidentMemory memory = new ResidentMemory(stack);
    memory.timer.scheduleAtFixedRate(memory::sampleOnce, 0, 2, TimeUnit.SECONDS);
    return Optional.of(memory);
  }

  /** The resident set of a process in kB, from its {@code /proc/<pid>/status}. */
  static Optional<Long> residentKb(String procStatus) {
    return procStatus
        .lines()
        .filter(line -> line.startsWith("VmRSS:"))
        .findFirst()
        .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")));
  }

  /** The heap in use in bytes, from a Prometheus scrape: the sum over the heap's areas. */
  static Optional<Long> heapBytes(String metrics) {
    List<Double> areas =
        metrics
            .lines()
            .filter(
                line -> line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\""))
            .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
            .toList();
    return areas.isEmpty()
        ? Optional.empty()
        : Optional.of((long) areas.stream().mapToDouble(Double::doubleValue).sum());
  }

  private void sampleOnce() {
    sampleResident();
    sampleHeap();
  }

  private void sampleHeap() {
    Ports ports = stack.settings().ports();
    Map<String, Integer> port =
        Map.of(
            "node-watcher", ports.watcher(),
            "volume-orchestrator", ports.orchestrator(),
            "hcloud-adapter", ports.adapter(),
            "audit-service", ports.audit());
    for (Map.Entry<String, List<Long>> service : heapSamples.entrySet()) {
      try {
        HttpResponse<String> metrics =
            http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port.get(service.getKey()) + "/q/metrics"))
                    .timeout(Duration.ofSeconds(1))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (metrics.statusCode() == 200) {
          heapBytes(metrics.body())
              .ifPresent(
                  bytes -> {
                    synchronized (samples) {
                      service.getValue().add(bytes / 1024);
                    }
                  });
        }
      } catch (IOException e) {
        // Not up (yet, or any more): no sample this time.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void sampleResident() {
    for (Map.Entry<String, List<Long>> service : samples.entrySet()) {
      Optional<Long> pid = stack.pid(service.getKey());
      List<Long> kept = service.getValue();
      if (pid.isEmpty()) {
        continue;
      }
      try {
        residentKb(Files.readString(Path.of("/proc", pid.get().toString(), "status")))
            .ifPresent(
                kb -> {
                  synchronized (samples) {
                    kept.add(kb);
                  }
                });
      } catch (IOException e) {
        // The process ended between the look at its pid and the read: no sample this time.
      }
    }
  }

  /** Per service: the median of its samples and the largest, in MB. */
  List<String> report() {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            Locale.ROOT,
            "%-22s %12s %10s %8s %13s %10s",
            "service",
            "RSS median",
            "peak",
            "samples",
            "heap median",
            "peak"));
    synchronized (samples) {
      samples.forEach(
          (service, kb) -> {
            if (kb.isEmpty()) {
              return;
            }
            List<Double> mb = kb.stream().map(k -> k / 1024.0).toList();
            List<Double> heap = heapSamples.get(service).stream().map(k -> k / 1024.0).toList();
            lines.add(
                String.format(
                    Locale.ROOT,
                    "%-22s %9.0f MB %7.0f MB %8d %10s %10s",
                    service,
                    BenchNode.quantile(mb, 0.5),
                    mb.stream().mapToDouble(Double::doubleValue).max().orElse(0),
                    kb.size(),
                    heap.isEmpty()
                        ? "-"
                        : String.format(Locale.ROOT, "%.0f MB", BenchNode.quantile(heap, 0.5)),
                    heap.isEmpty()
                        ? "-"
                        : String.format(
                            Locale.ROOT,
                            "%.0f MB",
                            heap.stream().mapToDouble(Double::doubleValue).max().orElse(0))));
          });
    }
    return lines;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
