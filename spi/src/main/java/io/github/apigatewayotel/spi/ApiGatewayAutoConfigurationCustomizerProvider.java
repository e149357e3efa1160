package io.github.apigatewayotel.spi;

import com.google.auto.service.AutoService;
import io.github.apigatewayotel.spi.internal.ApiGatewayConfig;
import io.github.apigatewayotel.spi.internal.ClosesWithSdk;
import io.github.apigatewayotel.spi.internal.CommandLineSecrets;
import io.github.apigatewayotel.spi.internal.PluginRuntime;
import io.github.apigatewayotel.spi.internal.PluginWiring;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.internal.AutoConfigureListener;

/**
 * Wires the receiver and the access-log bridge into the host SDK that autoconfigure (or the Java
 * agent) builds. Configuration is read and validated while the meter provider is built, so a bad
 * {@code otel.apigateway.*} value fails start-up; everything that talks to AWS starts afterwards on
 * the plugin's own threads.
 */
@AutoService(AutoConfigurationCustomizerProvider.class)
public final class ApiGatewayAutoConfigurationCustomizerProvider
    implements AutoConfigurationCustomizerProvider, AutoConfigureListener {

  private PluginWiring wiring;
  private final ClosesWithSdk closesWithSdk = new ClosesWithSdk();

  @Override
  public void customize(AutoConfigurationCustomizer customizer) {
    // Exporters are built before the meter provider is customized: whichever comes first reads
    // (and validates) the configuration.
    customizer.addMetricExporterCustomizer(
        (exporter, config) -> wiring(config).wrapMetricExporter(exporter));
    // Each reader its own lane of the receiver's datapoints, else two readers (OTLP and
    // Prometheus, say) would split them. Readers too are built before the meter provider is
    // customized, so every lane exists before the receiver starts.
    customizer.addMetricReaderCustomizer(
        (reader, config) -> wiring(config).wrapMetricReader(reader));
    customizer.addLogRecordExporterCustomizer(
        (exporter, config) -> wiring(config).wrapLogExporter(exporter));
    customizer.addMeterProviderCustomizer(
        (builder, config) -> {
          wiring(config).registerMetricProducers(builder);
          return builder;
        });
    customizer.addLoggerProviderCustomizer(
        (builder, config) -> builder.addLogRecordProcessor(closesWithSdk));
    // The Java agent puts the command line in the resource: -D secrets must not leave with it.
    customizer.addResourceCustomizer((resource, config) -> CommandLineSecrets.redact(resource));
  }

  private synchronized PluginWiring wiring(ConfigProperties config) {
    if (wiring == null) {
      wiring = PluginWiring.create(ApiGatewayConfig.fromConfig(config));
    }
    return wiring;
  }

  // AutoConfigureListener is how autoconfigure hands its SDK to a provider once built: the log
  // bridge needs the finished LoggerProvider, which no customizer sees.
  @Override
  public void afterAutoConfigure(OpenTelemetrySdk sdk) {
    PluginWiring current;
    synchronized (this) {
      current = wiring;
    }
    if (current == null) {
      return;
    }
    PluginRuntime runtime = current.start(sdk);
    ApiGatewayPlugin.register(sdk, runtime);
    closesWithSdk.attach(runtime);
  }

  @Override
  public int order() {
    // After the host's own customizers, so the exporters and readers they set up are in place.
    return Integer.MAX_VALUE - 100;
  }
}
