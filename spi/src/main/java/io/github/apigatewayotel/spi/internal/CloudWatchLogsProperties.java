package io.github.apigatewayotel.spi.internal;

import static io.github.apigatewayotel.spi.internal.ApiGatewayConfig.DISCOVERY_INTERVAL;
import static io.github.apigatewayotel.spi.internal.ApiGatewayConfig.LOGS_GROUPS;
import static io.github.apigatewayotel.spi.internal.ApiGatewayConfig.LOGS_GROUP_PREFIXES;
import static io.github.apigatewayotel.spi.internal.ApiGatewayConfig.LOGS_INTERVAL;
import static io.github.apigatewayotel.spi.internal.ApiGatewayConfig.LOGS_LOOKBACK;
import static io.github.apigatewayotel.spi.internal.ApiGatewayConfig.LOGS_OVERLAP;
import static io.github.apigatewayotel.spi.internal.StrictProperties.nonNegative;
import static io.github.apigatewayotel.spi.internal.StrictProperties.positive;

import io.github.apigatewayotel.logs.CloudWatchLogsSource;
import io.github.apigatewayotel.logs.CloudWatchLogsSourceBuilder;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The CloudWatch Logs sources' properties ({@code otel.apigateway.logs.lookback}, {@code
 * logs.overlap}, {@code logs.interval}, {@code discovery.interval}, and for access logs {@code
 * logs.groups}, {@code logs.group.prefixes}), read strictly at start-up and applied straight onto
 * each {@link CloudWatchLogsSourceBuilder}: a key not set leaves the builder's default ({@link
 * CloudWatchLogsSource}'s constants). The two intervals also pace what has no builder of its own
 * here (the file sources, the chained polls, the stage-format refresher): {@link #pollInterval},
 * {@link #discoveryInterval}, the builder's defaults when not set.
 */
final class CloudWatchLogsProperties {

  private final List<Consumer<CloudWatchLogsSourceBuilder>> settings = new ArrayList<>();
  private final List<String> logGroups;
  private final List<String> logGroupPrefixes;
  private final Duration pollInterval;
  private final Duration discoveryInterval;

  private CloudWatchLogsProperties(ConfigProperties config) {
    if (isSet(config, LOGS_LOOKBACK)) {
      Duration lookback = nonNegative(config, LOGS_LOOKBACK, CloudWatchLogsSource.DEFAULT_LOOKBACK);
      settings.add(builder -> builder.setLookback(lookback));
    }
    if (isSet(config, LOGS_OVERLAP)) {
      Duration overlap =
          nonNegative(config, LOGS_OVERLAP, CloudWatchLogsSource.DEFAULT_INGESTION_OVERLAP);
      settings.add(builder -> builder.setIngestionOverlap(overlap));
    }
    // One key paces both discoveries: ReceiverProperties applies it onto the receiver too.
    discoveryInterval =
        positive(config, DISCOVERY_INTERVAL, CloudWatchLogsSource.DEFAULT_DISCOVERY_INTERVAL);
    if (isSet(config, DISCOVERY_INTERVAL)) {
      settings.add(builder -> builder.setDiscoveryInterval(discoveryInterval));
    }
    // Access logs only: execution logs have groups of their own (LogSignalsConfig).
    logGroups = List.copyOf(config.getList(LOGS_GROUPS));
    logGroupPrefixes = List.copyOf(config.getList(LOGS_GROUP_PREFIXES));
    // Files too: one key paces every access-log source the plugin runs.
    pollInterval = positive(config, LOGS_INTERVAL, CloudWatchLogsSource.DEFAULT_POLL_INTERVAL);
    if (isSet(config, LOGS_INTERVAL)) {
      settings.add(builder -> builder.setPollInterval(pollInterval));
    }
  }

  /** Reads the sources' properties; a bad value fails with a {@code ConfigurationException}. */
  static CloudWatchLogsProperties read(ConfigProperties config) {
    return new CloudWatchLogsProperties(config);
  }

  /**
   * Sets each property the user set that access-log and execution-log sources share onto {@code
   * builder}; the others keep its defaults.
   */
  void applyTo(CloudWatchLogsSourceBuilder builder) {
    settings.forEach(setting -> setting.accept(builder));
  }

  /**
   * Adds the access-log groups the user named, and the prefixes; with neither, the builder
   * discovers its default prefix's groups.
   */
  void applyAccessLogGroupsTo(CloudWatchLogsSourceBuilder builder) {
    builder.addLogGroupNames(logGroups).addLogGroupNamePrefixes(logGroupPrefixes);
  }

  /** The access-log groups read, as the start-up message names them. */
  void describeAccessLogGroups(List<String> what) {
    if (!logGroups.isEmpty()) {
      what.add("groups " + logGroups);
    }
    if (!logGroupPrefixes.isEmpty()) {
      what.add("groups starting with " + logGroupPrefixes);
    } else if (logGroups.isEmpty()) {
      what.add("groups starting with " + List.of(CloudWatchLogsSource.DEFAULT_LOG_GROUP_PREFIX));
    }
  }

  /** {@code logs.interval}: every access-log source's pace, files included. */
  Duration pollInterval() {
    return pollInterval;
  }

  /** {@code discovery.interval}: the stage-format refresher's pace too. */
  Duration discoveryInterval() {
    return discoveryInterval;
  }

  private static boolean isSet(ConfigProperties config, String key) {
    String value = config.getString(key);
    return value != null && !value.isBlank();
  }
}
