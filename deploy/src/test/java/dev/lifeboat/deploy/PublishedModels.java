package dev.lifeboat.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.lifeboat.testkit.CommandRun;
import dev.lifeboat.testkit.OutsideTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks rendered objects against the models their projects publish, as npm packages pinned in
 * {@code deploy/models/package.json}: {@code kubernetes-models} for Kubernetes' own kinds, {@code
 * @kubernetes-models/cloudnative-pg} for CloudNativePG's and {@code
 * @kubernetes-models/prometheus-operator} for the monitoring component's. Each object is checked
 * twice:
 *
 * <ul>
 *   <li>as a TypeScript literal of its model's type, compiled by {@code tsc --strict}: a field the
 *       model does not have, a value of the wrong type, or an apiVersion it does not serve is an
 *       error (an API server would prune the first silently, so the object would not do what it
 *       says);
 *   <li>by the model's own schema validator (required fields, formats, enumerations).
 * </ul>
 *
 * Strimzi's kinds are read by Strimzi's Java model instead ({@link StrimziResourcesTest}). The
 * packages are installed once under {@code target/} with {@code npm ci}; without Node.js and npm
 * the test skips with the reason (fails in CI).
 */
final class PublishedModels {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TSC_ERROR =
      Pattern.compile("^.*?o(\\d+)\\.ts\\((\\d+),\\d+\\): (.*)$");

  private final Path folder;
  private final Path node;

  private PublishedModels(Path folder, Path node) {
    this.folder = folder;
    this.node = node;
  }

  /** The packages, installed under {@code target/manifest-models} unless they already are. */
  static PublishedModels installed() throws IOException {
    Path npm = OutsideTools.require("npm", "apt-get install nodejs npm");
    Path node = OutsideTools.require("node", "apt-get install nodejs");
    Path folder = Path.of("target", "manifest-models").toAbsolutePath();
    Files.createDirectories(folder);
    Path models = Repo.root().resolve("deploy/models");
    String lock = Files.readString(models.resolve("package-lock.json"));
    Path installedLock = folder.resolve("package-lock.json");
    if (!Files.exists(folder.resolve("node_modules"))
        || !Files.exists(installedLock)
        || !Files.readString(installedLock).equals(lock)) {
      Files.copy(
          models.resolve("package.json"),
          folder.resolve("package.json"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.writeString(installedLock, lock);
      CommandRun install =
          CommandRun.run(
              List.of(
                  npm.toString(),
                  "ci",
                  "--prefix",
                  folder.toString(),
                  "--no-audit",
                  "--no-fund",
                  "--ignore-scripts"),
              Map.of(),
              Duration.ofMinutes(5));
      if (install.exitCode() != 0) {
        OutsideTools.missing(
            "npm ci of deploy/models failed (is the npm registry reachable?): " + install.stderr());
      }
    }
    return new PublishedModels(folder, node);
  }

  /**
   * What the published models find wrong in the objects, one line per problem naming the object;
   * empty when every object is as its model says. Objects of Strimzi's kinds are left out.
   *
   * @param documents the objects, each as one YAML document
   */
  List<String> problems(List<String> documents) throws IOException {
    Path objects = folder.resolve("objects");
    clear(objects);
    List<String> names = new ArrayList<>();
    List<Path> sources = new ArrayList<>();
    StringBuilder validate = new StringBuilder();
    List<String> problems = new ArrayList<>();
    for (String document : documents) {
      JsonNode object = YAML.readTree(document);
      String apiVersion = object.path("apiVersion").asText();
      String kind = object.path("kind").asText();
      if (apiVersion.startsWith("kafka.strimzi.io/")) {
        continue;
      }
      int index = names.size();
      String name = kind + " " + object.path("metadata").path("name").asText();
      names.add(name);
      String module = module(apiVersion, kind);
      String json = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(object);
      Path source = objects.resolve("o" + index + ".ts");
      Files.writeString(
          source,
          "import type { I"
              + kind
              + " as Model } from \""
              + module
              + "\";\nexport const object: Model = "
              + json
              + ";\n");
      sources.add(source);
      // Imported one by one: a module no package has (tsc names it) fails only its own object.
      validate
          .append("try { const { ")
          .append(kind)
          .append(": Model } = await import(\"")
          .append(module)
          .append("\"); new Model(")
          .append(JSON.writeValueAsString(object))
          .append(").validate(); } catch (e) { console.log(")
          .append(JSON.writeValueAsString(name + ": "))
          .append(" + e.message.split(\"\\n\")[0]); }\n");
    }
    problems.addAll(typeErrors(sources, names));
    Path script = objects.resolve("validate.mjs");
    Files.writeString(script, validate.toString());
    CommandRun run =
        CommandRun.run(
            List.of(node.toString(), script.toString()), Map.of(), Duration.ofMinutes(2));
    if (run.exitCode() != 0) {
      problems.add("schema validation did not run: " + firstLine(run.stderr()));
    }
    run.stdout().lines().filter(line -> !line.isBlank()).forEach(problems::add);
    return problems;
  }

  private List<String> typeErrors(List<Path> sources, List<String> names) {
    if (sources.isEmpty()) {
      return List.of();
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                node.toString(),
                folder.resolve("node_modules/typescript/bin/tsc").toString(),
                "--noEmit",
                "--strict",
                "--pretty",
                "false",
                "--module",
                "nodenext",
                "--moduleResolution",
                "nodenext",
                "--target",
                "es2022",
                "--skipLibCheck"));
    sources.forEach(source -> command.add(source.toString()));
    CommandRun run = CommandRun.run(command, Map.of(), Duration.ofMinutes(3));
    List<String> errors = new ArrayList<>();
    for (String line : run.stdout().lines().toList()) {
      Matcher error = TSC_ERROR.matcher(line);
      if (error.matches()) {
        errors.add(names.get(Integer.parseInt(error.group(1))) + ": " + error.group(3));
      } else if (!line.isBlank() && !errors.isEmpty()) {
        errors.set(errors.size() - 1, errors.get(errors.size() - 1) + " " + line.strip());
      }
    }
    if (run.exitCode() != 0 && errors.isEmpty()) {
      errors.add("tsc failed: " + run.stdout() + run.stderr());
    }
    return errors;
  }

  /** The package module of a kind's model; an apiVersion no package serves names none there. */
  private static String module(String apiVersion, String kind) {
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    String path = apiVersion + "/" + kind;
    if (group.equals("postgresql.cnpg.io")) {
      return "@kubernetes-models/cloudnative-pg/" + path;
    }
    if (group.equals("monitoring.coreos.com")) {
      return "@kubernetes-models/prometheus-operator/" + path;
    }
    return "kubernetes-models/" + path;
  }

  private static String firstLine(String text) {
    return text.lines().filter(line -> !line.isBlank()).findFirst().orElse(text);
  }

  private static void clear(Path folder) throws IOException {
    if (Files.exists(folder)) {
      try (Stream<Path> files = Files.walk(folder)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(file);
        }
      }
    }
    Files.createDirectories(folder);
  }
}
