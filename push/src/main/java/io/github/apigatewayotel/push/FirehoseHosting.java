package io.github.apigatewayotel.push;

import io.github.apigatewayotel.logs.AccessLogBridge;
import io.github.apigatewayotel.logs.AccessLogFormat;
import io.github.apigatewayotel.logs.LogDeliveryTracker;
import io.github.apigatewayotel.logs.StageAccessLogFormats;
import io.github.apigatewayotel.receiver.MetricExportConfirmations;
import io.github.apigatewayotel.receiver.StreamedMetrics;
import io.github.apigatewayotel.receiver.StreamedMetricsDiscovery;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Runs the {@link FirehoseEndpoint} in an autoconfigured SDK (the standalone host): hooks the
 * host's exporters so that the endpoint sees what they exported ({@link MetricExportConfirmations},
 * {@link LogDeliveryTracker}), registers the streamed metrics' producer, and starts the endpoint
 * once the SDK is built. Inert unless {@value FirehoseEndpointConfig#LISTEN} is set.
 */
public final class FirehoseHosting implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(FirehoseHosting.class.getName());
  private static final Duration FORMAT_REFRESH = Duration.ofMinutes(15);

  private final MetricExportConfirmations confirmations = MetricExportConfirmations.create();
  private final AtomicReference<OpenTelemetrySdk> sdk = new AtomicReference<>();
  private final AtomicReference<StreamedMetrics> metrics = new AtomicReference<>();
  private volatile ConfigProperties config;
  private volatile boolean metricExporterWrapped;
  private volatile LogDeliveryTracker tracker;
  private FirehoseEndpoint endpoint;
  private StreamedMetricsDiscovery discovery;
  private StageAccessLogFormats stageFormats;

  private FirehoseHosting() {}

  public static FirehoseHosting create() {
    return new FirehoseHosting();
  }

  /** Adds the endpoint's hooks to an autoconfigure builder (before it builds the SDK). */
  public void customize(AutoConfigurationCustomizer customizer) {
    customizer.addMetricExporterCustomizer(
        (exporter, properties) -> {
          config = properties;
          if (FirehoseEndpointConfig.enabled(properties)
              && properties.getBoolean(FirehoseEndpointConfig.METRICS_ENABLED, true)) {
            metricExporterWrapped = true;
            return confirmations.wrap(exporter);
          }
          return exporter;
        });
    customizer.addLogRecordExporterCustomizer(
        (exporter, properties) -> {
          config = properties;
          if (FirehoseEndpointConfig.enabled(properties)
              && properties.getBoolean(FirehoseEndpointConfig.LOGS_ENABLED, true)) {
            tracker = LogDeliveryTracker.create(this::flushLogs);
            return tracker.wrap(exporter);
          }
          return exporter;
        });
    customizer.addMeterProviderCustomizer(
        (builder, properties) -> {
          config = properties;
          if (FirehoseEndpointConfig.enabled(properties)) {
            builder.registerMetricProducer(
                new MetricProducer() {
                  @Override
                  public Collection<MetricData> produce(Resource resource) {
                    StreamedMetrics current = metrics.get();
                    return current == null ? List.of() : current.produce(resource);
                  }
                });
          }
          return builder;
        });
  }

  /**
   * Starts the endpoint if {@value FirehoseEndpointConfig#LISTEN} is set; returns whether it did.
   */
  public synchronized boolean start(OpenTelemetrySdk openTelemetry) {
    ConfigProperties properties = config;
    if (properties == null || !FirehoseEndpointConfig.enabled(properties)) {
      return false;
    }
    sdk.set(openTelemetry);
    FirehoseEndpoint.Builder builder =
        FirehoseEndpointConfig.apply(properties, FirehoseEndpoint.builder())
            .setMeterProvider(openTelemetry.getMeterProvider());
    String prefix = properties.getString("otel.apigateway.tags.prefix", "aws.tag.");
    String endpointOverride = properties.getString("otel.apigateway.aws.endpoint");
    boolean metricsOn = properties.getBoolean(FirehoseEndpointConfig.METRICS_ENABLED, true);
    boolean logsOn = properties.getBoolean(FirehoseEndpointConfig.LOGS_ENABLED, true);
    if (metricsOn && exportsNowhere(properties, "otel.metrics.exporter")) {
      // nothing would ever collect the points: every request would wait for its timeout, then 503
      logger.warning(
          "apigateway-otel: otel.metrics.exporter=none: the Firehose endpoint does not serve "
              + FirehoseEndpoint.METRIC_STREAMS_PATH
              + " (set an exporter, or "
              + FirehoseEndpointConfig.METRICS_ENABLED
              + "=false)");
      metricsOn = false;
    }
    if (logsOn && exportsNowhere(properties, "otel.logs.exporter")) {
      logger.warning(
          "apigateway-otel: otel.logs.exporter=none: the Firehose endpoint does not serve "
              + FirehoseEndpoint.LOGS_PATH
              + " (set an exporter, or "
              + FirehoseEndpointConfig.LOGS_ENABLED
              + "=false)");
      logsOn = false;
    }
    if (!metricsOn && !logsOn) {
      logger.warning(
          "apigateway-otel: the Firehose endpoint has nothing to serve and does not start");
      return false;
    }
    if (metricsOn) {
      // Without a wrapped exporter (none configured, or a pull reader) nothing would confirm.
      MetricExportConfirmations confirming = metricExporterWrapped ? confirmations : null;
      StreamedMetrics streamed;
      if (properties.getBoolean(FirehoseEndpointConfig.DISCOVERY, true)) {
        StreamedMetricsDiscovery.Builder d =
            StreamedMetricsDiscovery.builder().meterProvider(openTelemetry.getMeterProvider());
        if (endpointOverride != null) {
          d.endpointOverride(URI.create(endpointOverride));
        }
        discovery = d.build();
        streamed = StreamedMetrics.create(prefix, discovery, confirming);
      } else {
        streamed = StreamedMetrics.create(prefix, confirming);
      }
      metrics.set(streamed);
      builder.setMetrics(streamed, () -> openTelemetry.getSdkMeterProvider().forceFlush());
    }
    if (logsOn) {
      String formatValue = properties.getString("otel.apigateway.logs.format");
      AccessLogFormat format = null;
      Function<String, AccessLogFormat> byGroup = null;
      if (formatValue != null && formatValue.trim().equalsIgnoreCase("auto")) {
        byGroup = stageFormats(properties, endpointOverride);
      } else if (formatValue != null && !formatValue.isBlank()) {
        try {
          format = AccessLogFormat.of(formatValue.trim());
        } catch (IllegalArgumentException e) {
          throw new ConfigurationException(
              "Invalid value for otel.apigateway.logs.format: "
                  + e.getMessage()
                  + " (value: "
                  + formatValue
                  + ")",
              e);
        }
      }
      AccessLogBridge.Builder bridge =
          AccessLogBridge.builder(openTelemetry.getSdkLoggerProvider())
              .setMeterProvider(openTelemetry.getMeterProvider());
      if (format != null) {
        bridge.setFormat(format);
      }
      if (tracker != null) {
        bridge.setDeliveryTracker(tracker);
      }
      builder.setLogs(bridge.build(), byGroup, null);
    }
    try {
      endpoint = builder.build();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "apigateway-otel: the Firehose endpoint cannot listen on "
              + properties.getString(FirehoseEndpointConfig.LISTEN)
              + ": "
              + e.getMessage(),
          e);
    }
    logger.info("apigateway-otel: Firehose endpoint listening on " + endpoint.address());
    return true;
  }

  private static boolean exportsNowhere(ConfigProperties properties, String key) {
    List<String> exporters = properties.getList(key);
    return exporters.size() == 1 && "none".equals(exporters.get(0).trim());
  }

  /** The running endpoint, or null. */
  public synchronized FirehoseEndpoint endpoint() {
    return endpoint;
  }

  /**
   * Under {@code otel.apigateway.logs.format=auto}: each subscription's log group parsed with the
   * format of the stage writing to it (apigateway:GET, first configured region), read at start and
   * every 15 minutes; a group no stage names gets the default format.
   */
  private Function<String, AccessLogFormat> stageFormats(
      ConfigProperties properties, String endpointOverride) {
    List<String> regions = properties.getList("otel.apigateway.regions");
    if (regions.isEmpty()) {
      logger.warning(
          "apigateway-otel: otel.apigateway.logs.format=auto needs otel.apigateway.regions to read"
              + " the stages' formats; the Firehose endpoint parses with the default format");
      return null;
    }
    StageAccessLogFormats.Builder b = StageAccessLogFormats.builder().setRegion(regions.get(0));
    if (endpointOverride != null) {
      b.setEndpointOverride(URI.create(endpointOverride));
    }
    stageFormats = b.build();
    stageFormats.refresh();
    AtomicReference<Instant> next = new AtomicReference<>(Instant.now().plus(FORMAT_REFRESH));
    StageAccessLogFormats formats = stageFormats;
    return group -> {
      Instant due = next.get();
      if (Instant.now().isAfter(due)
          && next.compareAndSet(due, Instant.now().plus(FORMAT_REFRESH))) {
        formats.refresh();
      }
      return formats.formatOf(group);
    };
  }

  private CompletableResultCode flushLogs() {
    OpenTelemetrySdk current = sdk.get();
    return current == null
        ? CompletableResultCode.ofSuccess()
        : current.getSdkLoggerProvider().forceFlush();
  }

  /** Stops the endpoint (requests under way get 5 seconds) and its AWS clients. */
  @Override
  public synchronized void close() {
    if (endpoint != null) {
      endpoint.close();
      endpoint = null;
    }
    if (discovery != null) {
      discovery.close();
    }
    if (stageFormats != null) {
      stageFormats.close();
    }
  }
}
