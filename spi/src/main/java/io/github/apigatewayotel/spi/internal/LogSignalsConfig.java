package io.github.apigatewayotel.spi.internal;

import io.github.apigatewayotel.logs.RequestMetrics;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@code otel.apigateway.logs.*} keys of what the bridge derives beyond access-log records:
 * per-route request metrics from the access log, and the execution log. Read by {@link
 * ApiGatewayConfig} with its own rules (strict booleans, durations, ranges), its own class so the
 * configuration's main file stays one screen per concern. The request metrics' settings are applied
 * straight onto {@link RequestMetrics.Builder}, as {@link ReceiverProperties} applies the
 * receiver's: a key not set leaves the builder's default.
 */
final class LogSignalsConfig {

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

  private final boolean requestMetrics;
  private final List<Consumer<RequestMetrics.Builder>> requestMetricsSettings = new ArrayList<>();
  private final boolean executionLogs;
  private final List<String> executionLogGroupPrefixes;

  private LogSignalsConfig(ConfigProperties config, List<AccessLogLocation> sources) {
    requestMetrics = StrictProperties.strictBoolean(config, METRICS_ENABLED, true);
    Duration grace =
        StrictProperties.nonNegative(config, METRICS_GRACE, RequestMetrics.DEFAULT_GRACE_PERIOD);
    StrictProperties.require(
        grace.compareTo(MAX_GRACE) <= 0,
        METRICS_GRACE,
        config.getString(METRICS_GRACE),
        "at most 1d");
    if (isSet(config, METRICS_GRACE)) {
      requestMetricsSettings.add(builder -> builder.setGracePeriod(grace));
    }
    int maxSeries =
        StrictProperties.intInRange(
            config, METRICS_MAX_SERIES, RequestMetrics.DEFAULT_MAX_SERIES_PER_STAGE, 1, 100_000);
    if (isSet(config, METRICS_MAX_SERIES)) {
      requestMetricsSettings.add(builder -> builder.setMaxSeriesPerStage(maxSeries));
    }
    boolean execution = StrictProperties.strictBoolean(config, EXECUTION_ENABLED, false);
    if (execution) {
      // API Gateway writes execution logs to CloudWatch Logs only.
      StrictProperties.require(
          sources.stream().anyMatch(AccessLogLocation.CloudWatchLogs.class::isInstance),
          EXECUTION_ENABLED,
          config.getString(EXECUTION_ENABLED),
          "false unless "
              + ApiGatewayConfig.LOGS_SOURCE
              + " includes cloudwatch (execution logs are read from CloudWatch Logs only)");
    }
    executionLogs = execution;
    List<String> prefixes = config.getList(EXECUTION_GROUP_PREFIXES);
    executionLogGroupPrefixes =
        prefixes.isEmpty() ? List.of(DEFAULT_EXECUTION_PREFIX) : List.copyOf(prefixes);
  }

  /** Reads the keys; a bad value fails with a {@code ConfigurationException}. */
  static LogSignalsConfig read(ConfigProperties config, List<AccessLogLocation> sources) {
    return new LogSignalsConfig(config, sources);
  }

  /** Whether request metrics are derived from the access log. */
  boolean requestMetrics() {
    return requestMetrics;
  }

  /**
   * Sets each request-metrics property the user set onto {@code builder}; the others keep its
   * defaults.
   */
  void applyTo(RequestMetrics.Builder builder) {
    requestMetricsSettings.forEach(setting -> setting.accept(builder));
  }

  /** Whether execution logs are read (from CloudWatch Logs). */
  boolean executionLogs() {
    return executionLogs;
  }

  /** The execution-log groups' prefixes. */
  List<String> executionLogGroupPrefixes() {
    return executionLogGroupPrefixes;
  }

  private static boolean isSet(ConfigProperties config, String key) {
    String value = config.getString(key);
    return value != null && !value.isBlank();
  }
}
