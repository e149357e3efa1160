package io.github.apigatewayotel.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the standalone host's wiring starts, from the properties alone. */
class FirehoseHostingTest {

  private static OpenTelemetrySdk sdk(FirehoseHosting hosting, Map<String, String> extra) {
    Map<String, String> properties = new HashMap<>();
    properties.put("otel.traces.exporter", "none");
    properties.put("otel.metric.export.interval", "3600000");
    properties.put("otel.apigateway.firehose.discovery", "false");
    properties.putAll(extra);
    var builder =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> properties)
            .disableShutdownHook();
    hosting.customize(builder);
    return builder.build().getOpenTelemetrySdk();
  }

  @Test
  void offUnlessListenIsSet() {
    FirehoseHosting hosting = FirehoseHosting.create();
    try (OpenTelemetrySdk sdk =
        sdk(hosting, Map.of("otel.metrics.exporter", "none", "otel.logs.exporter", "none"))) {
      assertThat(hosting.start(sdk)).isFalse();
      assertThat(hosting.endpoint()).isNull();
    }
  }

  @Test
  void aSignalExportedNowhereIsNotServedRatherThanAnsweredWithTimeouts() throws Exception {
    FirehoseHosting hosting = FirehoseHosting.create();
    try (OpenTelemetrySdk sdk =
        sdk(
            hosting,
            Map.of(
                "otel.metrics.exporter",
                "none",
                "otel.logs.exporter",
                "otlp",
                "otel.exporter.otlp.protocol",
                "http/protobuf",
                "otel.exporter.otlp.endpoint",
                "http://127.0.0.1:9",
                "otel.apigateway.firehose.listen",
                "127.0.0.1:0"))) {
      assertThat(hosting.start(sdk)).isTrue();
      int port = hosting.endpoint().address().getPort();
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> metrics =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metric-streams"))
                  .POST(HttpRequest.BodyPublishers.ofString("{\"records\":[]}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> logs =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/logs"))
                  .header("X-Amz-Firehose-Request-Id", "empty")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"records\":[]}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(metrics.statusCode()).isEqualTo(404);
      assertThat(logs.statusCode()).isEqualTo(200);
    } finally {
      hosting.close();
    }
  }

  @Test
  void nothingToServeStartsNothing() {
    FirehoseHosting hosting = FirehoseHosting.create();
    try (OpenTelemetrySdk sdk =
        sdk(
            hosting,
            Map.of(
                "otel.metrics.exporter",
                "none",
                "otel.logs.exporter",
                "none",
                "otel.apigateway.firehose.listen",
                "127.0.0.1:0"))) {
      assertThat(hosting.start(sdk)).isFalse();
    }
  }
}
