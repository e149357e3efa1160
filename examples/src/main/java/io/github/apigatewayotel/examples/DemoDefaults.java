package io.github.apigatewayotel.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Defaults for {@code --demo}: the plugin reads an access log bundled in this jar (the seed's JSON
 * format) and, unless an OTLP endpoint is configured, prints the OTLP JSON it would send. Every
 * default yields to a system property or environment variable the user sets.
 */
final class DemoDefaults {

  static final String SAMPLE_RESOURCE = "/sample-access-log.jsonl";

  private DemoDefaults() {}

  static Map<String, String> properties() {
    Map<String, String> properties = new HashMap<>();
    properties.put("otel.service.name", "apigateway-otel-demo");
    properties.put("otel.apigateway.metrics.enabled", "false");
    properties.put("otel.apigateway.logs.source", "file:" + extractSample());
    properties.put("otel.traces.exporter", "none");
    if (!otlpEndpointConfigured()) {
      properties.put("otel.logs.exporter", "experimental-otlp/stdout");
      properties.put("otel.metrics.exporter", "none");
    }
    return properties;
  }

  private static boolean otlpEndpointConfigured() {
    return System.getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != null
        || System.getProperty("otel.exporter.otlp.endpoint") != null;
  }

  private static Path extractSample() {
    try (InputStream in = DemoDefaults.class.getResourceAsStream(SAMPLE_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the jar has no " + SAMPLE_RESOURCE);
      }
      Path file = Files.createTempFile("apigateway-otel-sample-", ".log");
      file.toFile().deleteOnExit();
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("could not extract the demo access log", e);
    }
  }
}
