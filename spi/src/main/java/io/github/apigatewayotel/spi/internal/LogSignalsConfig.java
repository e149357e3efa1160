package io.github.apigatewayotel.spi.internal;

import io.github.apigatewayotel.logs.RequestMetrics;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import java.time.Duration;
import java.util.List;

/**
 * The {@code otel.apigateway.logs.*} keys of what the bridge derives beyond access-log records:
 * per-route request metrics from the access log, and the execution log. Read by {@link
 * ApiGatewayConfig} with its own rules (strict booleans, durations, ranges), its own class so the
 * configuration's main file stays one screen per concern.
 */
record LogSignalsConfig(
    boolean requestMetrics,
    Duration requestMetricsGrace,
    int maxSeriesPerStage,
    boolean executionLogs,
    List<String> executionLogGroupPrefixes) {

  static final String METRICS_ENABLED = "otel.apigateway.logs.metrics.enabled";
  /** How long a minute of request metrics stays open after its end for late lines. */
  static final String METRICS_GRACE = "otel.apigateway.logs.metrics.grace";
  static final String METRICS_MAX_SERIES = "otel.apigateway.logs.metrics.max.series.per.stage";
  static final String EXECUTION_ENABLED = "otel.apigateway.logs.execution.enabled";
  static final String EXECUTION_GROUP_PREFIXES = "otel.apigateway.logs.execution.group.prefixes";

  /** API Gateway names every execution-log group so; a longer prefix picks APIs or stages. */
  static final String DEFAULT_EXECUTION_PREFIX = "API-Gateway-Execution-Logs_";
  /** A minute open for more than a day would hold a day of series in memory. */
  static final Duration MAX_GRACE = Duration.ofDays(1);

  static LogSignalsConfig read(ConfigProperties config, List<AccessLogLocation> sources) {
    boolean metrics = StrictProperties.strictBoolean(config, METRICS_ENABLED, true);
    Duration grace =
        StrictProperties.nonNegative(config, METRICS_GRACE, RequestMetrics.DEFAULT_GRACE_PERIOD);
    StrictProperties.require(
        grace.compareTo(MAX_GRACE) <= 0, METRICS_GRACE, config.getString(METRICS_GRACE), "at most 1d");
    int maxSeries =
        StrictProperties.intInRange(
            config, METRICS_MAX_SERIES, RequestMetrics.DEFAULT_MAX_SERIES_PER_STAGE, 1, 100_000);
    boolean execution = StrictProperties.strictBoolean(config, EXECUTION_ENABLED, false);
    if (execution) {
      // API Gateway writes execution logs to CloudWatch Logs only.
      StrictProperties.require(
          sources.stream().anyMatch(AccessLogLocation.CloudWatchLogs.class::isInstance),
          EXECUTION_ENABLED,
          config.getString(EXECUTION_ENABLED),
          "false unless " + ApiGatewayConfig.LOGS_SOURCE
              + " includes cloudwatch (execution logs are read from CloudWatch Logs only)");
    }
    List<String> prefixes = config.getList(EXECUTION_GROUP_PREFIXES);
    return new LogSignalsConfig(
        metrics,
        grace,
        maxSeries,
        execution,
        prefixes.isEmpty() ? List.of(DEFAULT_EXECUTION_PREFIX) : List.copyOf(prefixes));
  }
}
