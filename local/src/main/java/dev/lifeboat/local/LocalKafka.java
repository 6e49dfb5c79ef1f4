package dev.lifeboat.local;

import dev.lifeboat.testkit.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The local run's Kafka broker: one KRaft node (broker and controller) in this JVM, on fixed ports,
 * with every Lifeboat topic created; writes its ready file once it serves. Arguments: data dir,
 * broker port, controller port, topic prefix, ready file.
 */
public final class LocalKafka {

  private LocalKafka() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println(
          "usage: LocalKafka <data dir> <broker port> <controller port> <topic prefix> <ready file>");
      System.exit(2);
    }
    Path data = Path.of(args[0]);
    KafkaBroker broker = KafkaBroker.at(data, Integer.parseInt(args[1]), Integer.parseInt(args[2]));
    broker.start();
    Runtime.getRuntime().addShutdownHook(new Thread(broker::stop, "kafka-stop"));
    broker.createLifeboatTopics(args[3]);
    Files.writeString(Path.of(args[4]), broker.bootstrapServers());
    System.out.println("Kafka serves on " + broker.bootstrapServers() + ", data in " + data);
    Thread.currentThread().join();
  }
}
