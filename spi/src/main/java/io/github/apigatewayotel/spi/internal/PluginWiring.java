package io.github.apigatewayotel.spi.internal;

import io.github.apigatewayotel.logs.LogDeliveryTracker;
import io.github.apigatewayotel.logs.RequestMetrics;
import io.github.apigatewayotel.receiver.MetricExportConfirmations;
import io.github.apigatewayotel.receiver.MetricReaderLanes;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.logging.Logger;

/** What the plugin builds from one configuration, in the order autoconfigure needs it. */
public final class PluginWiring {

  private static final Logger logger = Logger.getLogger(PluginWiring.class.getName());

  private final ApiGatewayConfig config;
  private final DeferredMetricProducer metricProducer = new DeferredMetricProducer();
  private final MetricExportConfirmations metricConfirmations =
      MetricExportConfirmations.create(OtlpRejections::permanentRejection);
  private final MetricReaderLanes metricReaderLanes = MetricReaderLanes.create();
  private final AtomicReference<OpenTelemetrySdk> sdk = new AtomicReference<>();
  private volatile boolean metricExporterWrapped;
  private volatile LogDeliveryTracker logTracker;

  /** Null unless access logs are read with request metrics on. */
  private final RequestMetrics requestMetrics;

  private PluginWiring(ApiGatewayConfig config) {
    this.config = config;
    this.requestMetrics = requestMetrics(config, metricReaderLanes);
  }

  /**
   * The request metrics derived from access logs: made now, with no AWS access, because their
   * producer is registered while the meter provider is built. Each reader lane gets its own view
   * (closed minutes once per push reader, running totals for pull readers), in the plugin's
   * temporality.
   */
  private static RequestMetrics requestMetrics(ApiGatewayConfig config, MetricReaderLanes lanes) {
    LogSignalsConfig signals = config.logSignals();
    if (!config.logsEnabled() || !signals.requestMetrics()) {
      return null;
    }
    RequestMetrics.Builder builder =
        RequestMetrics.builder()
            .setAggregationTemporality(
                config.temporality() == ApiGatewayConfig.Temporality.DELTA
                    ? AggregationTemporality.DELTA
                    : AggregationTemporality.CUMULATIVE)
            .setReaderLanes(lanes::count, lanes::collectingLane, lanes::pulls);
    signals.applyTo(builder);
    return builder.build();
  }

  public static PluginWiring create(ApiGatewayConfig config) {
    return new PluginWiring(config);
  }

  /**
   * The host's metric exporter, confirming to the receiver which points it exported (unless {@link
   * ApiGatewayConfig#EXPORT_CONFIRM} is false or metrics are off).
   */
  public MetricExporter wrapMetricExporter(MetricExporter exporter) {
    if (!config.exportConfirm()) {
      return exporter;
    }
    MetricExporter wrapped = exporter;
    if (config.metricsEnabled()) {
      metricExporterWrapped = true;
      wrapped = metricConfirmations.wrap(wrapped);
    }
    // The request metrics' minutes of a failed export are offered again, as CloudWatch's are.
    return requestMetrics == null ? wrapped : requestMetrics.wrap(wrapped);
  }

  /**
   * The host's metric reader, collecting the receiver's datapoints from a lane of its own, so every
   * reader gets every datapoint (unless metrics are off).
   */
  public MetricReader wrapMetricReader(MetricReader reader) {
    if (!config.metricsEnabled() && requestMetrics == null) {
      return reader;
    }
    return metricReaderLanes.wrap(reader);
  }

  /**
   * The host's log exporter, confirming to the access-log sources which records it exported (unless
   * {@link ApiGatewayConfig#EXPORT_CONFIRM} is false or logs are off).
   */
  public synchronized LogRecordExporter wrapLogExporter(LogRecordExporter exporter) {
    if (!config.logsEnabled() || !config.exportConfirm()) {
      return exporter;
    }
    if (logTracker == null) {
      logTracker = LogDeliveryTracker.create(this::flushLogs, OtlpRejections::permanentRejection);
    }
    return logTracker.wrap(exporter);
  }

  private CompletableResultCode flushLogs() {
    OpenTelemetrySdk current = sdk.get();
    return current == null
        ? CompletableResultCode.ofSuccess()
        : current.getSdkLoggerProvider().forceFlush();
  }

  /**
   * The host's metric exporter, sending the receiver's datapoints with every export of the SDK's
   * own metrics: declarative configuration gives a plugin no way to register a producer, so the
   * receiver joins the exports of the reader whose exporter this wraps. Delivery is confirmed as
   * with {@link #wrapMetricExporter}; shutting the exporter down closes {@code plugin}.
   */
  public MetricExporter exportReceiverPoints(MetricExporter exporter, ClosesWithSdk plugin) {
    return new ReceiverPointsMetricExporter(metricProducer, wrapMetricExporter(exporter), plugin);
  }

  /** Registers the receiver's producer; it starts collecting only once {@link #start} runs. */
  public void registerMetricProducers(SdkMeterProviderBuilder builder) {
    if (config.metricsEnabled()) {
      builder.registerMetricProducer(metricProducer);
    }
    if (requestMetrics != null) {
      builder.registerMetricProducer(requestMetrics.metricProducer());
    }
  }

  /** Builds and starts every enabled source on the plugin's own threads; returns at once. */
  public PluginRuntime start(OpenTelemetrySdk sdk) {
    this.sdk.set(sdk);
    return start((OpenTelemetry) sdk);
  }

  /**
   * As {@link #start(OpenTelemetrySdk)}, for a host that hands over only its {@code OpenTelemetry}
   * (the global one, under declarative configuration): records are emitted through its logs bridge
   * and no log exporter was wrapped, so hand-over counts as delivery.
   */
  public PluginRuntime start(OpenTelemetry sdk) {
    if (!config.metricsEnabled() && !config.logsEnabled()) {
      // Inert, and without touching the AWS SDK: the Lambda forwarder's package leaves it out.
      logger.fine("apigateway-otel: metrics and logs both disabled; nothing to start");
      PluginRuntime idle = new PluginRuntime(config.mode(), List.of());
      idle.start();
      return idle;
    }
    // Before any AWS client exists: no level the host sets may make it log credentials.
    CredentialLoggers.cap();
    // Without a wrapped exporter (none configured, or a pull reader) nothing would ever confirm.
    MetricExportConfirmations confirmations = metricExporterWrapped ? metricConfirmations : null;
    List<Supplier<PluginSource>> factories = new ArrayList<>();
    // One account look-up for both sides: they agree, and STS is asked once per attempt.
    AccountIdLookup accountId = AccountIdLookup.of(config);
    if (config.metricsEnabled()) {
      factories.add(
          () ->
              new MetricsSource(
                  config,
                  sdk.getMeterProvider(),
                  metricProducer,
                  confirmations,
                  metricReaderLanes,
                  accountId));
    }
    factories.addAll(
        SourceFactories.logSources(config, sdk, logTracker, requestMetrics, accountId));
    if (factories.isEmpty()) {
      logger.info(
          "apigateway-otel: no source enabled ("
              + ApiGatewayConfig.METRICS_ENABLED
              + ", "
              + ApiGatewayConfig.LOGS_ENABLED
              + ")");
    }
    if (config.coordination().enabled()) {
      factories.add(
          () -> new FleetSource(config.coordination())); // last: closed after every source
    }
    PluginRuntime runtime = new PluginRuntime(config.mode(), factories);
    runtime.start();
    return runtime;
  }
}
