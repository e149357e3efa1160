package io.github.apigatewayotel.spi.internal;

import io.github.apigatewayotel.receiver.ApiGatewayMetricsReceiver;
import io.github.apigatewayotel.receiver.MetricExportConfirmations;
import io.github.apigatewayotel.receiver.MetricReaderLanes;
import io.github.apigatewayotel.receiver.PollSummary;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Logger;

/** The metrics receiver, built from the configuration on the plugin's thread. */
final class MetricsSource implements PluginSource {

  private static final Logger logger = Logger.getLogger(MetricsSource.class.getName());

  /** Per-series high-water marks of the receiver live here, below the state directory. */
  static final String STATE_SUBDIRECTORY = "metrics";

  private final ApiGatewayMetricsReceiver receiver;

  /**
   * {@code confirmations}: null when no exporter was wrapped (collection counts as export);
   * {@code readerLanes}: the host's metric readers, each wrapped to get every datapoint.
   */
  MetricsSource(
      ApiGatewayConfig config,
      MeterProvider meterProvider,
      DeferredMetricProducer sink,
      MetricExportConfirmations confirmations,
      MetricReaderLanes readerLanes) {
    ApiGatewayMetricsReceiver.Builder builder =
        ApiGatewayMetricsReceiver.builder()
            .regions(AwsAccess.regions(config))
            .period(config.metricsPeriod())
            .delay(config.metricsDelay())
            .lookback(config.metricsLookback())
            .pollInterval(config.metricsInterval())
            .discoveryInterval(config.discoveryInterval())
            .tagAttributePrefix(config.tagsPrefix())
            .detailedMetrics(config.metricsDetailed())
            .getMetricDataConcurrency(config.metricsConcurrency())
            .getMetricDataTransport(config.metricsTransport())
            .maxPendingPoints(config.metricsMaxPendingPoints())
            .maxExportPoints(config.metricsExportMaxPoints())
            .aggregationTemporality(
                config.temporality() == ApiGatewayConfig.Temporality.DELTA
                    ? AggregationTemporality.DELTA
                    : AggregationTemporality.CUMULATIVE)
            .metricReaderLanes(readerLanes)
            .meterProvider(meterProvider);
    config.awsEndpoint().ifPresent(builder::endpointOverride);
    config.roleArn().ifPresent(builder::roleArn);
    config.roleExternalId().ifPresent(builder::externalId);
    config.accountId().ifPresent(builder::accountId);
    config.stateDir().ifPresent(dir -> builder.stateDirectory(dir.resolve(STATE_SUBDIRECTORY)));
    if (confirmations != null) {
      builder.exportConfirmations(confirmations);
    }
    config.apisInclude().forEach(builder::includeApi);
    config.apisExclude().forEach(builder::excludeApi);
    config.apisIncludeTags().forEach(builder::includeTag);
    config.apisExcludeTags().forEach(builder::excludeTag);
    this.receiver = builder.build();
    sink.set(receiver.metricProducer());
  }

  @Override
  public String name() {
    return "cloudwatch metrics";
  }

  @Override
  public void runOnce() {
    PollSummary summary = receiver.pollOnce();
    logger.info("apigateway-otel: one metrics poll: " + summary);
  }

  @Override
  public void start(ScheduledExecutorService executor) {
    // The receiver keeps its own single thread: its polls must not queue behind log sources.
    receiver.start();
  }

  @Override
  public void close() {
    receiver.close();
  }
}
