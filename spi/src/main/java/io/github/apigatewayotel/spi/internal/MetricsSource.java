package io.github.apigatewayotel.spi.internal;

import io.github.apigatewayotel.receiver.ApiGatewayMetricsReceiver;
import io.github.apigatewayotel.receiver.ApiGatewayMetricsReceiverBuilder;
import io.github.apigatewayotel.receiver.MetricExportConfirmations;
import io.github.apigatewayotel.receiver.MetricReaderLanes;
import io.github.apigatewayotel.receiver.PollSummary;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Logger;

/** The metrics receiver, built from the configuration on the plugin's thread. */
final class MetricsSource implements PluginSource {

  private static final Logger logger = Logger.getLogger(MetricsSource.class.getName());

  /** Per-series high-water marks of the receiver live here, below the state directory. */
  static final String STATE_SUBDIRECTORY = "metrics";

  private final ApiGatewayMetricsReceiver receiver;
  private final List<String> regions;

  /**
   * {@code confirmations}: null when no exporter was wrapped (collection counts as export); {@code
   * readerLanes}: the host's metric readers, each wrapped to get every datapoint.
   */
  MetricsSource(
      ApiGatewayConfig config,
      MeterProvider meterProvider,
      DeferredMetricProducer sink,
      MetricExportConfirmations confirmations,
      MetricReaderLanes readerLanes,
      AccountIdLookup accountId) {
    this.regions = AwsAccess.regions(config);
    ApiGatewayMetricsReceiverBuilder builder =
        ApiGatewayMetricsReceiver.builder()
            .regions(regions)
            .aggregationTemporality(
                config.temporality() == ApiGatewayConfig.Temporality.DELTA
                    ? AggregationTemporality.DELTA
                    : AggregationTemporality.CUMULATIVE)
            .metricReaderLanes(readerLanes)
            .meterProvider(meterProvider);
    config.awsEndpoint().ifPresent(builder::endpointOverride);
    builder.roleArns(config.roleArns()).linkedAccounts(config.linkedAccounts());
    config.roleExternalId().ifPresent(builder::externalId);
    if (config.accountId().isPresent()) {
      builder.accountId(config.accountId().get());
    } else {
      builder.accountIdSupplier(accountId::refresh); // one look-up for metrics and logs
    }
    config.stateDir().ifPresent(dir -> builder.stateDirectory(dir.resolve(STATE_SUBDIRECTORY)));
    config.coordination().fleet(config).ifPresent(builder::fleet); // marks in the fleet table then
    if (confirmations != null) {
      builder.exportConfirmations(confirmations);
    }
    config.receiver().applyTo(builder);
    this.receiver = builder.build();
    sink.set(receiver.metricProducer());
    logger.info(
        "apigateway-otel: CloudWatch AWS/ApiGateway metrics of "
            + String.join(", ", regions)
            + " (regions from "
            + AwsAccess.regionsOrigin(config)
            + ")"
            + (config.mode() == ApiGatewayConfig.Mode.ONCE
                ? ", one poll"
                : ", polled every " + DurationText.of(config.receiver().pollInterval())));
  }

  @Override
  public String name() {
    return "cloudwatch metrics in " + String.join(", ", regions);
  }

  @Override
  public List<String> runOnce() {
    PollSummary summary = receiver.pollOnce();
    logger.info("apigateway-otel: one metrics poll: " + summary);
    if (summary.failedCalls() > 0 && summary.problems().isEmpty()) {
      return List.of(summary.failedCalls() + " AWS call(s) failed");
    }
    return summary.problems();
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
