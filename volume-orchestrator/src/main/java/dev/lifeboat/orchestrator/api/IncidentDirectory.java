package dev.lifeboat.orchestrator.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifeboat.orchestrator.domain.IncidentState;
import dev.lifeboat.orchestrator.messaging.SagaStores;
import dev.lifeboat.service.api.ApiAccess;
import dev.lifeboat.service.api.ApiError;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Finds incidents in the sagas store: in this instance's partitions, or, for a partition another
 * instance owns, by asking that instance's API (Kafka Streams interactive queries).
 */
@ApplicationScoped
public class IncidentDirectory {

  private static final Duration REMOTE_TIMEOUT = Duration.ofSeconds(5);

  private final KafkaStreams streams;
  private final ObjectMapper json;
  private final Optional<String> token;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(REMOTE_TIMEOUT)
          .build();

  IncidentDirectory(
      KafkaStreams streams,
      ObjectMapper json,
      @ConfigProperty(name = ApiAccess.TOKEN_KEY) Optional<String> token) {
    this.streams = streams;
    this.json = json;
    this.token = token.filter(t -> !t.isBlank());
  }

  /** The incident's state, if this instance owns its partition. */
  public Optional<IncidentState> local(String incidentId) {
    requireRunning();
    KeyQueryMetadata owner =
        streams.queryMetadataForKey(SagaStores.SAGAS, incidentId, new StringSerializer());
    if (owner == null || owner == KeyQueryMetadata.NOT_AVAILABLE) {
      throw ApiError.of(
          jakarta.ws.rs.core.Response.Status.SERVICE_UNAVAILABLE,
          "not_ready",
          "the sagas store is not available yet (rebalancing or starting)");
    }
    try {
      return Optional.ofNullable(store(owner.partition()).get(incidentId));
    } catch (InvalidStateStoreException notHere) {
      return Optional.empty();
    }
  }

  /** Where the incident lives when not here: the owner's host, or empty when it is this one. */
  public Optional<HostInfo> remoteOwner(String incidentId) {
    KeyQueryMetadata owner =
        streams.queryMetadataForKey(SagaStores.SAGAS, incidentId, new StringSerializer());
    if (owner == null
        || owner == KeyQueryMetadata.NOT_AVAILABLE
        || localPartitions().stream().anyMatch(p -> p.partition() == owner.partition())) {
      return Optional.empty();
    }
    return Optional.of(owner.activeHost());
  }

  /** Every incident in this instance's partitions. */
  public List<IncidentState> allLocal() {
    requireRunning();
    List<IncidentState> states = new ArrayList<>();
    try (KeyValueIterator<String, IncidentState> all = store(null).all()) {
      all.forEachRemaining(entry -> states.add(entry.value));
    } catch (InvalidStateStoreException notReady) {
      throw ApiError.of(
          jakarta.ws.rs.core.Response.Status.SERVICE_UNAVAILABLE,
          "not_ready",
          "the sagas store is not available yet (rebalancing or starting)");
    }
    return states;
  }

  /** How many of this instance's partitions are paused (maintenance), and of how many. */
  public Maintenance maintenance() {
    int paused = 0;
    int partitions = 0;
    for (var metadata : streams.metadataForLocalThreads()) {
      for (var task : metadata.activeTasks()) {
        for (var partition : task.topicPartitions()) {
          if (!partition.topic().endsWith("control")) {
            continue;
          }
          partitions++;
          ReadOnlyKeyValueStore<String, String> settings =
              streams.store(
                  StoreQueryParameters.fromNameAndType(
                          SagaStores.SETTINGS, QueryableStoreTypes.<String, String>keyValueStore())
                      .withPartition(partition.partition()));
          if (settings.get(SagaStores.PAUSED) != null) {
            paused++;
          }
        }
      }
    }
    return new Maintenance(paused, partitions);
  }

  /**
   * The maintenance state of this instance.
   *
   * @param pausedPartitions partitions whose sagas send no new mutating command
   * @param partitions the partitions this instance runs
   */
  public record Maintenance(int pausedPartitions, int partitions) {}

  /** The other instances running the topology. */
  public List<HostInfo> otherInstances() {
    Set<TopicPartition> local = localPartitions();
    return streams.metadataForAllStreamsClients().stream()
        .filter(client -> !client.topicPartitions().isEmpty())
        .filter(client -> client.topicPartitions().stream().noneMatch(local::contains))
        .map(StreamsMetadata::hostInfo)
        .distinct()
        .toList();
  }

  /** GET of a path of another instance's API, read as JSON. */
  public <T> T fetch(HostInfo host, String path, TypeReference<T> type) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + path))
            .timeout(REMOTE_TIMEOUT);
    // Another instance answers reads as this one does: with the token when reads are protected.
    token.ifPresent(t -> builder.header("Authorization", "Bearer " + t));
    HttpRequest request = builder.build();
    try {
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() == 404) {
        return null;
      }
      if (response.statusCode() != 200) {
        throw new IOException("status " + response.statusCode());
      }
      return json.readValue(response.body(), type);
    } catch (IOException e) {
      throw ApiError.of(
          jakarta.ws.rs.core.Response.Status.BAD_GATEWAY,
          "instance_unreachable",
          "instance " + host + " did not answer: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiError.of(
          jakarta.ws.rs.core.Response.Status.SERVICE_UNAVAILABLE, "interrupted", "interrupted");
    }
  }

  private void requireRunning() {
    if (streams.state() != KafkaStreams.State.RUNNING) {
      throw ApiError.of(
          jakarta.ws.rs.core.Response.Status.SERVICE_UNAVAILABLE,
          "not_ready",
          "the sagas are not running yet (state " + streams.state() + "); try again shortly");
    }
  }

  /**
   * The input partitions this instance runs. Whether an instance is this one is told by the work it
   * runs, not by its advertised address, which a test or a proxy may change.
   */
  private Set<TopicPartition> localPartitions() {
    Set<TopicPartition> partitions = new HashSet<>();
    streams
        .metadataForLocalThreads()
        .forEach(
            thread ->
                thread.activeTasks().forEach(task -> partitions.addAll(task.topicPartitions())));
    return partitions;
  }

  private ReadOnlyKeyValueStore<String, IncidentState> store(Integer partition) {
    StoreQueryParameters<ReadOnlyKeyValueStore<String, IncidentState>> query =
        StoreQueryParameters.fromNameAndType(
            SagaStores.SAGAS, QueryableStoreTypes.<String, IncidentState>keyValueStore());
    return streams.store(partition == null ? query : query.withPartition(partition));
  }
}
