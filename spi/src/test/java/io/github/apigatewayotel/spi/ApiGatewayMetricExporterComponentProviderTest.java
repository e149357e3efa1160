package io.github.apigatewayotel.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.internal.data.ImmutableGaugeData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.metrics.TestMetricData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiGatewayMetricExporterComponentProviderTest {

  private static final Map<String, Object> NOTHING_TO_START =
      Map.of("metrics", Map.of("enabled", false), "logs", Map.of("enabled", false));

  private final ApiGatewayMetricExporterComponentProvider provider =
      new ApiGatewayMetricExporterComponentProvider();

  @Test
  void isTheMetricExporterNamedApigateway() {
    assertThat(provider.getType()).isEqualTo(MetricExporter.class);
    assertThat(provider.getName()).isEqualTo("apigateway");
  }

  @Test
  void exportsThroughTheExporterNamedUnderExporterAndShutsItDown() {
    MetricExporter exporter =
        provider.create(config(Map.of("recording_test", Map.of()), NOTHING_TO_START));
    MetricData point =
        TestMetricData.builder()
            .setResource(Resource.getDefault())
            .setName("host.metric")
            .setDescription("")
            .setUnit("1")
            .setDoubleGaugeData(ImmutableGaugeData.empty())
            .build();

    assertThat(exporter.export(List.of(point)).isSuccess()).isTrue();
    assertThat(exporter.shutdown().join(10, java.util.concurrent.TimeUnit.SECONDS).isSuccess())
        .isTrue();

    synchronized (RecordingMetricExporterProvider.exports) {
      assertThat(RecordingMetricExporterProvider.exports).containsExactly(List.of(point));
    }
    assertThat(RecordingMetricExporterProvider.shutDown).isTrue();
  }

  @Test
  void withoutExactlyOneExporterSaysWhatToWrite() {
    assertThatThrownBy(() -> provider.create(new MapDeclarativeConfig(NOTHING_TO_START)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'exporter' must name exactly one metric exporter")
        .hasMessageContaining("otlp_http");
    assertThatThrownBy(
            () ->
                provider.create(
                    config(
                        Map.of("recording_test", Map.of(), "other", Map.of()), NOTHING_TO_START)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("exactly one");
  }

  @Test
  void anExporterNobodyProvidesIsNamed() {
    assertThatThrownBy(() -> provider.create(config(Map.of("nope", Map.of()), NOTHING_TO_START)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no metric exporter named 'nope'");
  }

  @Test
  void aBadValueFailsNamingItsPropertyAndTheYamlBlock() {
    assertThatThrownBy(
            () ->
                provider.create(
                    config(
                        Map.of("recording_test", Map.of()),
                        Map.of(
                            "metrics",
                            Map.of("period", "banana"),
                            "logs",
                            Map.of("enabled", false)))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("declarative configuration")
        .hasMessageContaining("otel.apigateway.metrics.period")
        .hasMessageContaining("banana");
  }

  private static MapDeclarativeConfig config(
      Map<String, Object> exporter, Map<String, Object> plugin) {
    Map<String, Object> block = new java.util.HashMap<>(plugin);
    block.put("exporter", exporter);
    return new MapDeclarativeConfig(block);
  }
}
