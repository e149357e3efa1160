package io.github.apigatewayotel.spi.internal;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Logger;

/** What the plugin builds from one configuration, in the order autoconfigure needs it. */
public final class PluginWiring {

  private static final Logger logger = Logger.getLogger(PluginWiring.class.getName());

  private final ApiGatewayConfig config;
  private final DeferredMetricProducer metricProducer = new DeferredMetricProducer();

  private PluginWiring(ApiGatewayConfig config) {
    this.config = config;
  }

  public static PluginWiring create(ApiGatewayConfig config) {
    return new PluginWiring(config);
  }

  /** Registers the receiver's producer; it starts collecting only once {@link #start} runs. */
  public void registerMetricProducers(SdkMeterProviderBuilder builder) {
    if (config.metricsEnabled()) {
      builder.registerMetricProducer(metricProducer);
    }
  }

  /** Builds and starts every enabled source on the plugin's own threads; returns at once. */
  public PluginRuntime start(OpenTelemetrySdk sdk) {
    // Before any AWS client exists: its signers must never log credentials at FINE.
    ShadedSdkSignerLogging.cap();
    List<Supplier<PluginSource>> factories = new ArrayList<>();
    if (config.metricsEnabled()) {
      factories.add(() -> new MetricsSource(config, sdk.getMeterProvider(), metricProducer));
    }
    factories.addAll(SourceFactories.logSources(config, sdk));
    if (factories.isEmpty()) {
      logger.info(
          "apigateway-otel: no source enabled ("
              + ApiGatewayConfig.METRICS_ENABLED
              + ", "
              + ApiGatewayConfig.LOGS_ENABLED
              + ")");
    }
    PluginRuntime runtime = new PluginRuntime(config.mode(), factories);
    runtime.start();
    return runtime;
  }
}
