package io.github.apigatewayotel.spi;

import com.google.auto.service.AutoService;
import io.github.apigatewayotel.spi.internal.DeclarativeConfigKeys;
import io.github.apigatewayotel.spi.internal.DeclarativePlugin;
import io.opentelemetry.api.incubator.config.DeclarativeConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.autoconfigure.spi.internal.ComponentProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The plugin in OpenTelemetry's declarative (YAML) configuration, as the metric exporter {@code
 * apigateway} of a periodic reader: it wraps the exporter named under its {@code exporter} key,
 * whose exports then carry the CloudWatch datapoints too, and every other key is an {@code
 * otel.apigateway.*} property (README, "Declarative configuration"). The SDK's declarative
 * configuration parses a reader's {@code producers} but never registers them (through SDK 1.67), so
 * the receiver cannot be a metric producer there.
 */
@AutoService(ComponentProvider.class)
public final class ApiGatewayMetricExporterComponentProvider implements ComponentProvider {

  /** The key naming the exporter the plugin's exports go through. */
  static final String EXPORTER = "exporter";

  @Override
  public Class<MetricExporter> getType() {
    return MetricExporter.class;
  }

  @Override
  public String getName() {
    return "apigateway";
  }

  @Override
  public MetricExporter create(DeclarativeConfigProperties config) {
    MetricExporter exporter = nestedExporter(config);
    Map<String, String> properties =
        DeclarativeConfigKeys.toProperties(
            DeclarativeConfigProperties.toMap(config), List.of(EXPORTER));
    return DeclarativePlugin.start(properties, exporter);
  }

  /** The one exporter named under {@code exporter}, built by its own component provider. */
  private static MetricExporter nestedExporter(DeclarativeConfigProperties config) {
    DeclarativeConfigProperties block = config.getStructured(EXPORTER);
    Set<String> names = block == null ? Set.of() : block.getPropertyKeys();
    if (names.size() != 1) {
      throw new ConfigurationException(
          "apigateway: '"
              + EXPORTER
              + "' must name exactly one metric exporter (for example "
              + "exporter: {otlp_http: {endpoint: http://localhost:4318/v1/metrics}}), got "
              + names);
    }
    String name = names.iterator().next();
    DeclarativeConfigProperties exporterConfig =
        DeclarativePlugin.nestedComponentConfig(
            block.getStructured(name, DeclarativeConfigProperties.empty()), config);
    for (ComponentProvider provider : config.getComponentLoader().load(ComponentProvider.class)) {
      if (provider.getType() == MetricExporter.class && provider.getName().equals(name)) {
        return (MetricExporter) provider.create(exporterConfig);
      }
    }
    throw new ConfigurationException(
        "apigateway: no metric exporter named '" + name + "' (is its exporter on the classpath?)");
  }
}
