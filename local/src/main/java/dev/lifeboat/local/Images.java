package dev.lifeboat.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./lifeboat images}: builds the four services' images for every platform asked (amd64 and
 * arm64 by default: Hetzner's CAX servers are ARM) with {@code docker buildx}, pushes them, and
 * pins the digests the registry answered in {@code k8s/components/images}, the component both
 * overlays use. With {@code --pin-only} it pins from the metadata files of an earlier build.
 */
@Command(
    name = "images",
    description =
        "Build the services' images for amd64 and arm64, push them, and pin their digests in"
            + " k8s/components/images.")
public final class Images implements Callable<Integer> {

  /** The services whose images the cluster runs, as the base manifests name them. */
  public static final List<String> SERVICES =
      List.of("node-watcher", "volume-orchestrator", "hcloud-adapter", "audit-service");

  /** The registry the base manifests name: it serves no images. */
  public static final String PLACEHOLDER = "registry.example.com/lifeboat";

  private static final Pattern REGISTRY =
      Pattern.compile("[a-z0-9]+([.-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*");
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  @Option(
      names = "--registry",
      required = true,
      description = "Where to push, with its host, such as ghcr.io/you/lifeboat.")
  String registry;

  @Option(
      names = "--platform",
      defaultValue = "linux/amd64,linux/arm64",
      description = "The platforms to build for (default: ${DEFAULT-VALUE}).")
  String platform;

  @Option(
      names = "--tag",
      defaultValue = "0.1.0",
      description = "The tag (default: ${DEFAULT-VALUE}).")
  String tag;

  @Option(
      names = "--pin-only",
      description = "Build nothing: pin the digests of the last build's metadata files.")
  boolean pinOnly;

  private final PrintStream out;
  private final Path root;

  /** The command for the repository at {@code lifeboat.root} (the script's folder). */
  public Images() {
    this(
        Lifeboat.OUT,
        Path.of(System.getProperty("lifeboat.root", ".")).toAbsolutePath().normalize());
  }

  /** The command, printing on {@code out}, for the repository at {@code root}. */
  public Images(PrintStream out, Path root) {
    this.out = out;
    this.root = root;
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    String where = registry(registry);
    Map<String, String> digests = new LinkedHashMap<>();
    for (String service : SERVICES) {
      Path metadata = root.resolve(service).resolve("target/image-metadata.json");
      if (!pinOnly) {
        build(service, where, metadata);
      }
      digests.put(service, digest(service, metadata));
    }
    Path component = root.resolve("k8s/components/images/kustomization.yaml");
    Files.writeString(component, component(where, tag, digests));
    out.println("Pinned in " + root.relativize(component) + ":");
    digests.forEach((service, digest) -> out.println("  " + where + "/" + service + "@" + digest));
    return 0;
  }

  private void build(String service, String where, Path metadata)
      throws IOException, InterruptedException {
    if (!Files.isDirectory(root.resolve(service).resolve("target/quarkus-app"))) {
      throw new IllegalStateException(
          service + "/target/quarkus-app is missing: run ./mvnw -B package -DskipTests first");
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                "docker",
                "buildx",
                "build",
                "--platform",
                platform,
                "--file",
                service + "/src/main/docker/Dockerfile.jvm",
                "--tag",
                where + "/" + service + ":" + tag,
                "--metadata-file",
                metadata.toString(),
                "--push",
                service));
    out.println("$ " + String.join(" ", command));
    Process process;
    try {
      process = new ProcessBuilder(command).directory(root.toFile()).inheritIO().start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "docker is not installed here; building multi-arch images needs docker buildx"
              + " (docs/deploy.md, step 4)",
          e);
    }
    int exit = process.waitFor();
    if (exit != 0) {
      throw new IllegalStateException("docker buildx build of " + service + " exited " + exit);
    }
  }

  /** The registry, checked: a host is required, so that it never means Docker Hub. */
  static String registry(String registry) {
    String trimmed = registry.strip().replaceAll("/+$", "");
    if (!REGISTRY.matcher(trimmed).matches()) {
      throw new IllegalArgumentException(
          "--registry " + registry + " is not a registry path such as ghcr.io/you/lifeboat");
    }
    String host = trimmed.split("/")[0];
    if (!trimmed.contains("/") || !(host.contains(".") || host.contains(":"))) {
      throw new IllegalArgumentException(
          "--registry "
              + registry
              + " names no registry host (such as ghcr.io/you/lifeboat): it would mean Docker"
              + " Hub, someone else's namespace");
    }
    if (trimmed.equals(PLACEHOLDER)) {
      throw new IllegalArgumentException("--registry " + registry + " is the placeholder");
    }
    return trimmed;
  }

  /** The digest the registry answered for the image, from buildx's metadata file. */
  static String digest(String service, Path metadata) throws IOException {
    if (!Files.exists(metadata)) {
      throw new IllegalStateException(
          metadata + " is missing: build and push " + service + " first (without --pin-only)");
    }
    JsonNode read = new ObjectMapper().readTree(metadata.toFile());
    String digest = read.path("containerimage.digest").asText("");
    if (!DIGEST.matcher(digest).matches()) {
      throw new IllegalStateException(
          metadata + " holds no containerimage.digest of the form sha256:<64 hex digits>");
    }
    return digest;
  }

  /** The component's text: each base image renamed into the registry and pinned by digest. */
  static String component(String registry, String tag, Map<String, String> digests) {
    StringBuilder text =
        new StringBuilder(
            "# Where the cluster pulls Lifeboat's images from, for both overlays: written by\n"
                + "# ./lifeboat images --registry "
                + registry
                + " (tag "
                + tag
                + "), each image pinned by the\n"
                + "# digest the registry answered (docs/deploy.md, step 4).\n"
                + "apiVersion: kustomize.config.k8s.io/v1alpha1\n"
                + "kind: Component\n"
                + "images:\n");
    for (String service : SERVICES) {
      text.append("  - name: ")
          .append(PLACEHOLDER)
          .append('/')
          .append(service)
          .append("\n    newName: ")
          .append(registry)
          .append('/')
          .append(service)
          .append("\n    digest: ")
          .append(digests.get(service))
          .append('\n');
    }
    return text.toString();
  }
}
