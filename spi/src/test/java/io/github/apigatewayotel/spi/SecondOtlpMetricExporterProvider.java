package io.github.apigatewayotel.spi;

import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.metrics.ConfigurableMetricExporterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;

/**
 * A second metric exporter for tests, {@code otel.metrics.exporter=otlp,second-otlp}: OTLP/HTTP to
 * {@value #ENDPOINT}, so autoconfigure builds a second metric reader, as it would for Prometheus.
 */
public final class SecondOtlpMetricExporterProvider implements ConfigurableMetricExporterProvider {

  static final String NAME = "second-otlp";
  static final String ENDPOINT = "test.second.otlp.endpoint";

  @Override
  public MetricExporter createExporter(ConfigProperties config) {
    return OtlpHttpMetricExporter.builder()
        .setEndpoint(config.getString(ENDPOINT) + "/v1/metrics")
        .build();
  }

  @Override
  public String getName() {
    return NAME;
  }
}
