package dev.lifeboat.testkit;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.utils.AppInfoParser;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The Kafka broker of this test JVM: Testcontainers' {@code KafkaContainer} running the official
 * {@code apache/kafka} image of the Kafka version the project uses, where a Docker engine answers
 * or {@value #CHOICE}{@code =testcontainers} asks for it; the in-process KRaft {@link KafkaBroker}
 * otherwise ({@value #CHOICE}{@code =in-process} asks for it). The test output says which one runs
 * and why, once per JVM.
 */
public final class TestKafka {

  /** The environment variable that chooses: {@code testcontainers} or {@code in-process}. */
  public static final String CHOICE = "LIFEBOAT_TEST_KAFKA";

  /**
   * The image of the container: the official one, of the Kafka version of the project's clients.
   */
  public static final String IMAGE = "apache/kafka:" + AppInfoParser.getVersion();

  /** Which broker runs. */
  public enum Kind {
    IN_PROCESS,
    TESTCONTAINERS
  }

  /**
   * Which broker, and why.
   *
   * @param kind the broker
   * @param why the reason, for the test output
   */
  public record Choice(Kind kind, String why) {}

  private static TestKafka shared;

  private final Choice choice;
  private final String bootstrapServers;
  private final Path streamsStateDir;
  private final KafkaBroker inProcess;

  private TestKafka(
      Choice choice, String bootstrapServers, Path streamsStateDir, KafkaBroker inProcess) {
    this.choice = choice;
    this.bootstrapServers = bootstrapServers;
    this.streamsStateDir = streamsStateDir;
    this.inProcess = inProcess;
  }

  /**
   * The choice: what {@value #CHOICE} asks for, else a container if a Docker engine answers. The
   * engine is asked only when the variable is unset.
   *
   * @param asked the variable's value, or null
   * @param dockerAnswers whether a Docker engine answers
   */
  public static Choice choose(String asked, BooleanSupplier dockerAnswers) {
    if (asked != null && !asked.isBlank()) {
      return switch (asked.strip().toLowerCase(Locale.ROOT)) {
        case "testcontainers" -> new Choice(Kind.TESTCONTAINERS, CHOICE + "=testcontainers");
        case "in-process" -> new Choice(Kind.IN_PROCESS, CHOICE + "=in-process");
        default ->
            throw new IllegalArgumentException(
                CHOICE + "=" + asked + " is neither testcontainers nor in-process");
      };
    }
    return dockerAnswers.getAsBoolean()
        ? new Choice(Kind.TESTCONTAINERS, "a Docker engine answered")
        : new Choice(
            Kind.IN_PROCESS,
            "no Docker engine answered; " + CHOICE + "=testcontainers asks for the container");
  }

  /** Whether a Docker engine answers, as Testcontainers finds one. */
  public static boolean dockerAnswers() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The broker of this test JVM, started on first use (as {@link #choose} says). */
  public static synchronized TestKafka shared() {
    if (shared == null) {
      shared = start(choose(System.getenv(CHOICE), TestKafka::dockerAnswers));
      System.out.println(
          "Kafka for the tests of this JVM: "
              + (shared.kind() == Kind.TESTCONTAINERS
                  ? "Testcontainers' KafkaContainer, " + IMAGE
                  : "the in-process KRaft broker")
              + " at "
              + shared.bootstrapServers()
              + " ("
              + shared.choice.why()
              + ")");
    }
    return shared;
  }

  /** Starts the chosen broker; a container asked for where no Docker engine answers is an error. */
  static TestKafka start(Choice choice) {
    if (choice.kind() == Kind.IN_PROCESS) {
      KafkaBroker broker = KafkaBroker.shared();
      return new TestKafka(choice, broker.bootstrapServers(), broker.streamsStateDir(), broker);
    }
    if (!dockerAnswers()) {
      throw new IllegalStateException(
          choice.why()
              + " asks for Kafka in a container, but no Docker engine answers here: unset "
              + CHOICE
              + " for the in-process broker");
    }
    KafkaContainer container = new KafkaContainer(DockerImageName.parse(IMAGE));
    container.start();
    Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "kafka-container-stop"));
    return new TestKafka(
        choice,
        container.getBootstrapServers(),
        Path.of("target", "kafka-streams-" + UUID.randomUUID()).toAbsolutePath(),
        null);
  }

  /** Which broker runs. */
  public Kind kind() {
    return choice.kind();
  }

  /** {@code host:port} for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** A directory for Kafka Streams state that lives as long as this broker's data. */
  public Path streamsStateDir() {
    return streamsStateDir;
  }

  /**
   * Creates every Lifeboat topic under the prefix (see {@link KafkaBroker#createLifeboatTopics}).
   */
  public void createLifeboatTopics(String prefix) {
    KafkaBroker.createLifeboatTopics(bootstrapServers, prefix);
  }

  /**
   * The client settings of the SCRAM-over-TLS listener ({@link KafkaBroker#scramClient()}); only
   * the in-process broker has one.
   */
  public Optional<Map<String, String>> scramClient() {
    return Optional.ofNullable(inProcess).map(KafkaBroker::scramClient);
  }
}
