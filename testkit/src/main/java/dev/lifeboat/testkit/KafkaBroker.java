package dev.lifeboat.testkit;

import dev.lifeboat.events.Topic;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one), running inside the
 * test JVM on free ports, with its data under {@code target/}. It can be stopped and started again
 * on the same ports and data, to prove that clients survive a broker outage. The test JVM's shared
 * broker also listens with SASL SCRAM-SHA-512 over TLS on a port of its own, as a cluster's Kafka
 * does for Lifeboat's services (Strimzi's internal listener), with one user and a certificate made
 * for the run by the JDK's keytool, which clients trust as a PEM file ({@link #scramClient()}).
 */
public final class KafkaBroker {

  /** Partitions of every Lifeboat topic in tests: more than one, so keying matters. */
  public static final int PARTITIONS = 3;

  private static KafkaBroker shared;

  /** The SCRAM mechanism of the SCRAM listener: the one Strimzi's KafkaUsers use. */
  public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

  private static final String SCRAM_USER = "lifeboat-test";

  private final Path dataDir;
  private final int brokerPort;
  private final int controllerPort;
  private final int scramPort;
  private final String scramPassword = "scram-" + UUID.randomUUID();
  private final String keystorePassword = "keystore-" + UUID.randomUUID();
  private final Properties properties;
  private KafkaRaftServer server;

  private KafkaBroker(Path dataDir, int brokerPort, int controllerPort, int scramPort) {
    this.dataDir = dataDir;
    this.brokerPort = brokerPort;
    this.controllerPort = controllerPort;
    this.scramPort = scramPort;
    this.properties = properties();
  }

  /**
   * A broker on these ports and data (formatted now unless it already is), not started yet: the
   * local run's broker, in its own JVM.
   */
  public static KafkaBroker at(Path dataDir, int brokerPort, int controllerPort) {
    KafkaBroker broker = new KafkaBroker(dataDir, brokerPort, controllerPort, 0);
    broker.format();
    return broker;
  }

  /** The broker of this test JVM, started on first use and stopped when the JVM exits. */
  public static synchronized KafkaBroker shared() {
    if (shared == null) {
      KafkaBroker broker =
          new KafkaBroker(
              Path.of("target", "kafka-" + UUID.randomUUID()),
              JarProcess.freePort(),
              JarProcess.freePort(),
              JarProcess.freePort());
      broker.format();
      broker.makeCertificate();
      broker.start();
      Runtime.getRuntime().addShutdownHook(new Thread(broker::stop, "kafka-broker-shutdown"));
      shared = broker;
    }
    return shared;
  }

  /** {@code host:port} for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + brokerPort;
  }

  /**
   * What a client sets to reach this broker's SCRAM listener as its one user: {@code
   * bootstrap.servers}, {@code security.protocol} ({@code SASL_SSL}), the PEM truststore that holds
   * the listener's certificate, {@code sasl.mechanism}, {@code sasl.jaas.config} (in Kafka's client
   * names). Only the shared broker has one.
   */
  public Map<String, String> scramClient() {
    if (scramPort == 0) {
      throw new IllegalStateException("this broker has no SCRAM listener");
    }
    return Map.of(
        "bootstrap.servers",
        "127.0.0.1:" + scramPort,
        "security.protocol",
        "SASL_SSL",
        "ssl.truststore.type",
        "PEM",
        "ssl.truststore.location",
        certificate().toString(),
        "sasl.mechanism",
        SCRAM_MECHANISM,
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + SCRAM_USER
            + "\" password=\""
            + scramPassword
            + "\";");
  }

  /**
   * A directory for Kafka Streams state that lives as long as this broker's data: state kept from
   * an earlier broker would point at offsets that no longer exist.
   */
  public Path streamsStateDir() {
    return dataDir.resolveSibling(dataDir.getFileName() + "-streams").toAbsolutePath();
  }

  /** Starts the broker (again) on its ports and data; returns once it serves requests. */
  public synchronized void start() {
    if (server != null) {
      return;
    }
    KafkaRaftServer starting = new KafkaRaftServer(new KafkaConfig(properties), Time.SYSTEM);
    starting.startup();
    server = starting;
    if (scramPort != 0) {
      addScramUser();
    }
  }

  /** The folder of the SCRAM listener's key store and of its certificate as PEM. */
  private Path tlsDir() {
    return dataDir.resolveSibling(dataDir.getFileName() + "-tls").toAbsolutePath();
  }

  private Path keystore() {
    return tlsDir().resolve("broker.p12");
  }

  /** The SCRAM listener's certificate (self-signed, for 127.0.0.1), as a client's PEM trust. */
  private Path certificate() {
    return tlsDir().resolve("ca.crt");
  }

  /** The SCRAM listener's key and certificate, made with the JDK's keytool for this run. */
  private void makeCertificate() {
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    try {
      Files.createDirectories(tlsDir());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (List<String> command :
        List.of(
            List.of(
                keytool,
                "-genkeypair",
                "-alias",
                "broker",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "7",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore().toString(),
                "-storepass",
                keystorePassword,
                "-keypass",
                keystorePassword),
            List.of(
                keytool,
                "-exportcert",
                "-rfc",
                "-alias",
                "broker",
                "-keystore",
                keystore().toString(),
                "-storepass",
                keystorePassword,
                "-file",
                certificate().toString()))) {
      CommandRun run = CommandRun.run(command, Map.of(), Duration.ofSeconds(60));
      if (run.exitCode() != 0) {
        throw new IllegalStateException("keytool failed: " + run.stderr());
      }
    }
  }

  /** The SCRAM listener's user, created (again) through the plain listener; KRaft stores it. */
  private void addScramUser() {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      SCRAM_USER,
                      new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
                      scramPassword)))
          .all()
          .get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot create the SCRAM user", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating the SCRAM user", e);
    }
  }

  /** Stops the broker, keeping its data; clients see it as unreachable until {@link #start()}. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    server.shutdown();
    server.awaitShutdown();
    server = null;
  }

  /**
   * Creates every Lifeboat topic under the prefix, with {@link #PARTITIONS} (compacted where the
   * topic says so); existing ones stay.
   */
  public void createLifeboatTopics(String prefix) {
    createLifeboatTopics(bootstrapServers(), prefix);
  }

  /** Creates every Lifeboat topic under the prefix on the broker at that address. */
  static void createLifeboatTopics(String bootstrapServers, String prefix) {
    List<NewTopic> topics =
        Arrays.stream(Topic.values())
            .map(
                topic ->
                    new NewTopic(topic.nameWith(prefix), PARTITIONS, (short) 1)
                        .configs(
                            topic.compacted()
                                ? Map.of("cleanup.policy", "compact")
                                : Map.<String, String>of()))
            .toList();
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      for (NewTopic topic : topics) {
        try {
          admin.createTopics(List.of(topic)).all().get();
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("cannot create topic " + topic.name(), e.getCause());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }

  private Properties properties() {
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    String scram = scramPort == 0 ? "" : ",SCRAM://127.0.0.1:" + scramPort;
    props.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:"
            + brokerPort
            + ",CONTROLLER://127.0.0.1:"
            + controllerPort
            + scram);
    props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + scram);
    props.put(
        "listener.security.protocol.map",
        "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT" + (scramPort == 0 ? "" : ",SCRAM:SASL_SSL"));
    if (scramPort != 0) {
      props.put("listener.name.scram.ssl.keystore.type", "PKCS12");
      props.put("listener.name.scram.ssl.keystore.location", keystore().toString());
      props.put("listener.name.scram.ssl.keystore.password", keystorePassword);
      props.put("listener.name.scram.ssl.key.password", keystorePassword);
      props.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
      props.put(
          "listener.name.scram.scram-sha-512.sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    }
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("log.dirs", dataDir.toAbsolutePath().toString());
    props.put("num.partitions", Integer.toString(PARTITIONS));
    props.put("auto.create.topics.enable", "true");
    // One node: every internal topic has one replica (docs/architecture.md, tests without Docker).
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "3");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "3");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    return props;
  }

  private void format() {
    if (Files.exists(dataDir.resolve("meta.properties"))) {
      // Formatted already: a broker started again on its log (killed and restarted) keeps its
      // cluster id, which a new format would contradict.
      return;
    }
    try {
      Files.createDirectories(dataDir);
      Path config = dataDir.resolve("server.properties");
      try (Writer writer = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
        properties.store(writer, "Lifeboat test broker");
      }
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      // StorageTool.execute, never main: main exits the JVM (docs/architecture.md, tests without
      // Docker).
      int status =
          StorageTool.execute(
              new String[] {
                "format",
                "--cluster-id",
                Uuid.randomUuid().toString(),
                "--config",
                config.toAbsolutePath().toString(),
                "--ignore-formatted"
              },
              new PrintStream(output, true, StandardCharsets.UTF_8));
      if (status != 0) {
        throw new IllegalStateException(
            "formatting the Kafka log dir failed: " + output.toString(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + dataDir, e);
    }
  }
}
