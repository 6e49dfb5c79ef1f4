package dev.lifeboat.audit.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import picocli.CommandLine;

/**
 * The audit service's entry point: {@code replay ...} runs the database-free replay command and
 * exits; anything else starts the service.
 */
@QuarkusMain
public class AuditMain {

  private AuditMain() {}

  public static void main(String... args) {
    if (args.length > 0 && args[0].equals("replay")) {
      String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
      System.exit(new CommandLine(new ReplayCommand()).execute(rest));
    }
    Quarkus.run(args);
  }
}
