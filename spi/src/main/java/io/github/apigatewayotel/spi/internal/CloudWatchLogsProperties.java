package io.github.apigatewayotel.spi.internal;

import static io.github.apigatewayotel.spi.internal.ApiGatewayConfig.LOGS_LOOKBACK;
import static io.github.apigatewayotel.spi.internal.ApiGatewayConfig.LOGS_OVERLAP;
import static io.github.apigatewayotel.spi.internal.StrictProperties.nonNegative;

import io.github.apigatewayotel.logs.CloudWatchLogsSource;
import io.github.apigatewayotel.logs.CloudWatchLogsSourceBuilder;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The CloudWatch Logs sources' own properties ({@code otel.apigateway.logs.lookback}, {@code
 * logs.overlap}), read strictly at start-up and applied straight onto each {@link
 * CloudWatchLogsSourceBuilder} (access and execution logs alike): a key not set leaves the
 * builder's default ({@link CloudWatchLogsSource#DEFAULT_LOOKBACK}, {@link
 * CloudWatchLogsSource#DEFAULT_INGESTION_OVERLAP}). The settings the file source and the metrics
 * receiver share with them ({@code logs.interval}, {@code discovery.interval}) stay in {@link
 * ApiGatewayConfig}.
 */
final class CloudWatchLogsProperties {

  private final List<Consumer<CloudWatchLogsSourceBuilder>> settings = new ArrayList<>();

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
  }

  /** Reads the sources' properties; a bad value fails with a {@code ConfigurationException}. */
  static CloudWatchLogsProperties read(ConfigProperties config) {
    return new CloudWatchLogsProperties(config);
  }

  /** Sets each property the user set onto {@code builder}; the others keep its defaults. */
  void applyTo(CloudWatchLogsSourceBuilder builder) {
    settings.forEach(setting -> setting.accept(builder));
  }

  private static boolean isSet(ConfigProperties config, String key) {
    String value = config.getString(key);
    return value != null && !value.isBlank();
  }
}
