package io.github.apigatewayotel.examples;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Prometheus server and promtool (Debian package {@code prometheus}), found on the PATH.
 * Tests that need them skip, saying so, where they are missing, unless the environment variable
 * {@value #REQUIRED} is {@code true} ({@code .ci/run} installs the package and sets it): then a
 * missing binary fails the test instead of skipping it.
 */
final class PrometheusBinaries {

  static final String REQUIRED = "APIGATEWAY_OTEL_REQUIRE_PROMETHEUS";

  private PrometheusBinaries() {}

  static Path prometheus() {
    return require("prometheus");
  }

  static Path promtool() {
    return require("promtool");
  }

  private static Path require(String name) {
    Optional<Path> found = onPath(name);
    String missing = name + " is not installed (Debian/Ubuntu package: prometheus)";
    if (found.isEmpty() && "true".equalsIgnoreCase(System.getenv(REQUIRED))) {
      throw new AssertionError(missing + ", and " + REQUIRED + "=true");
    }
    Assumptions.assumeTrue(found.isPresent(), missing);
    return found.get();
  }

  private static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
