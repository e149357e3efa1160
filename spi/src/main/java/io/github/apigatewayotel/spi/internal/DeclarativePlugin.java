package io.github.apigatewayotel.spi.internal;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.incubator.config.DeclarativeConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The plugin as declarative (YAML) configuration starts it. The configuration is read and validated
 * while the SDK is built, so a bad value fails the host's start-up as with properties. Declarative
 * configuration hands no plugin the SDK it builds; the sources start on the plugin's own thread
 * once that SDK is the global {@code OpenTelemetry} (the Java agent and autoconfigure with {@code
 * otel.config.file} set it; a host that builds its SDK itself sets it with {@code
 * GlobalOpenTelemetry.set}). Their records are emitted through its logs bridge.
 */
public final class DeclarativePlugin {

  private static final Logger logger = Logger.getLogger(DeclarativePlugin.class.getName());

  private static final Duration GLOBAL_POLL = Duration.ofMillis(50);

  /** How long to wait for the global OpenTelemetry before saying so (once; waiting goes on). */
  private static final Duration GLOBAL_PATIENCE = Duration.ofSeconds(30);

  private final PluginWiring wiring;
  private final ClosesWithSdk closesWithSdk = new ClosesWithSdk();

  private DeclarativePlugin(ApiGatewayConfig config) {
    this.wiring = PluginWiring.create(config);
  }

  /**
   * {@code exporter} with the receiver's datapoints in its exports, for the plugin configured by
   * {@code properties} ({@code otel.apigateway.*}, from {@link DeclarativeConfigKeys}); the
   * plugin's sources start once the host's SDK is the global one.
   */
  public static MetricExporter start(Map<String, String> properties, MetricExporter exporter) {
    // The receiver's sums follow the temporality of the exporter they leave through, as they
    // follow otel.exporter.otlp.metrics.temporality.preference under autoconfigure.
    properties.putIfAbsent(
        ApiGatewayConfig.OTLP_METRICS_TEMPORALITY,
        exporter.getAggregationTemporality(InstrumentType.COUNTER) == AggregationTemporality.DELTA
            ? "delta"
            : "cumulative");
    ApiGatewayConfig config;
    try {
      config = ApiGatewayConfig.fromConfig(DefaultConfigProperties.createFromMap(properties));
    } catch (ConfigurationException e) {
      throw new ConfigurationException(
          "apigateway (declarative configuration, keys as otel.apigateway.*): " + e.getMessage(),
          e);
    }
    DeclarativePlugin plugin = new DeclarativePlugin(config);
    MetricExporter withReceiver =
        plugin.wiring.exportReceiverPoints(exporter, plugin.closesWithSdk);
    Thread starter = new Thread(plugin::startWhenGlobal, "apigateway-otel-start");
    starter.setDaemon(true);
    starter.start();
    return withReceiver;
  }

  /**
   * The block of a component the plugin builds inside its own, as the SDK would hand it over
   * ({@link NestedComponentConfig}).
   */
  public static DeclarativeConfigProperties nestedComponentConfig(
      DeclarativeConfigProperties block, DeclarativeConfigProperties parent) {
    return NestedComponentConfig.of(block, parent);
  }

  private void startWhenGlobal() {
    long waited = 0;
    boolean said = false;
    while (!GlobalOpenTelemetry.isSet()) {
      if (closesWithSdk.isShutDown()) {
        return;
      }
      if (!said && waited >= GLOBAL_PATIENCE.toMillis()) {
        said = true;
        logger.warning(
            "apigateway-otel: waiting for the host's SDK to become the global OpenTelemetry "
                + "(GlobalOpenTelemetry.set) before starting");
      }
      try {
        Thread.sleep(GLOBAL_POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      waited += GLOBAL_POLL.toMillis();
    }
    try {
      closesWithSdk.attach(wiring.start(GlobalOpenTelemetry.get()));
    } catch (RuntimeException e) {
      // Never into the host: the SDK runs on without the plugin's sources.
      logger.log(Level.WARNING, "apigateway-otel: the plugin could not start", e);
    }
  }
}
