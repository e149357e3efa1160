package io.github.apigatewayotel.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Read once, a file that does not exist is a mistake the host hears about, not an empty run. */
class OnceMissingFileTest {

  @Test
  void aMissingFileReadOnceIsAFailedSource(@TempDir Path temp) throws Exception {
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(
                () ->
                    Map.of(
                        "otel.service.name", "once-missing-file-test",
                        "otel.traces.exporter", "none",
                        "otel.metrics.exporter", "none",
                        "otel.logs.exporter", "none",
                        "otel.apigateway.mode", "once",
                        "otel.apigateway.metrics.enabled", "false",
                        "otel.apigateway.logs.source", "file:" + temp.resolve("acess.log")))
            .build()
            .getOpenTelemetrySdk();
    try {
      ApiGatewayPlugin plugin = ApiGatewayPlugin.of(sdk).orElseThrow();
      assertThat(plugin.awaitCompletion(Duration.ofSeconds(10))).isTrue();
      assertThat(plugin.failedSources()).isEqualTo(1);
    } finally {
      sdk.shutdown().join(10, TimeUnit.SECONDS);
    }
  }
}
