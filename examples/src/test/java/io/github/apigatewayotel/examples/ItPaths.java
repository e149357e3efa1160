package io.github.apigatewayotel.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where the build put what the end-to-end tests run (see the failsafe configuration). */
final class ItPaths {

  /** An access log in the seed's JSON format, bundled in the examples jar. */
  static final String SAMPLE_RESOURCE = "/sample-access-log.jsonl";

  private ItPaths() {}

  static Path dropInJar() {
    return existing(System.getProperty("apigateway.dropin.jar"));
  }

  static Path standaloneJar() {
    return existing(System.getProperty("apigateway.standalone.jar"));
  }

  /** The demo: the standalone host with the simulated account ({@code demo.DemoHost}). */
  static Path demoJar() {
    return existing(System.getProperty("apigateway.demo.jar"));
  }

  static Path javaAgentJar() {
    return existing(System.getProperty("apigateway.it.dir") + "/opentelemetry-javaagent.jar");
  }

  /** The module's build directory ({@code target}), where tests leave what they produced. */
  static Path buildDirectory() {
    return existing(System.getProperty("apigateway.it.dir")).getParent();
  }

  static Path examplesClasses() {
    return existing(System.getProperty("apigateway.examples.classes"));
  }

  /** The classpath of a plain SDK-autoconfigure host: OpenTelemetry and its OTLP exporter. */
  static String hostClasspath() throws IOException {
    return Files.readString(
            existing(System.getProperty("apigateway.it.dir") + "/host-classpath.txt"))
        .trim();
  }

  /** The bundled sample access log (the seed's JSON format), copied into {@code dir}. */
  static Path sampleAccessLog(Path dir) throws IOException {
    Path file = dir.resolve("access.log");
    try (InputStream in = ItPaths.class.getResourceAsStream(SAMPLE_RESOURCE)) {
      Files.copy(in, file);
    }
    return file;
  }

  static List<String> lines(Path file) throws IOException {
    return Files.readAllLines(file, StandardCharsets.UTF_8);
  }

  private static Path existing(String path) {
    assertThat(path).as("system property set by failsafe").isNotNull();
    Path file = Path.of(path);
    assertThat(file).as("built by mvn package").exists();
    return file;
  }
}
