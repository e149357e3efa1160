package io.github.apigatewayotel.spi.internal;

import static io.github.apigatewayotel.spi.internal.ApiGatewayConfig.APIS_EXCLUDE;
import static io.github.apigatewayotel.spi.internal.ApiGatewayConfig.APIS_EXCLUDE_TAGS;
import static io.github.apigatewayotel.spi.internal.ApiGatewayConfig.APIS_INCLUDE;
import static io.github.apigatewayotel.spi.internal.ApiGatewayConfig.APIS_INCLUDE_TAGS;
import static io.github.apigatewayotel.spi.internal.ApiGatewayConfig.DISCOVERY_INTERVAL;
import static io.github.apigatewayotel.spi.internal.ApiGatewayConfig.METRICS_CONCURRENCY;
import static io.github.apigatewayotel.spi.internal.ApiGatewayConfig.METRICS_DELAY;
import static io.github.apigatewayotel.spi.internal.ApiGatewayConfig.METRICS_DETAILED;
import static io.github.apigatewayotel.spi.internal.ApiGatewayConfig.METRICS_EXPORT_MAX_POINTS;
import static io.github.apigatewayotel.spi.internal.ApiGatewayConfig.METRICS_INTERVAL;
import static io.github.apigatewayotel.spi.internal.ApiGatewayConfig.METRICS_LOOKBACK;
import static io.github.apigatewayotel.spi.internal.ApiGatewayConfig.METRICS_MAX_PENDING_POINTS;
import static io.github.apigatewayotel.spi.internal.ApiGatewayConfig.METRICS_PERIOD;
import static io.github.apigatewayotel.spi.internal.ApiGatewayConfig.METRICS_PRICE_PER_THOUSAND_REQUESTS;
import static io.github.apigatewayotel.spi.internal.ApiGatewayConfig.METRICS_RECENTLY_ACTIVE;
import static io.github.apigatewayotel.spi.internal.ApiGatewayConfig.METRICS_STATISTICS;
import static io.github.apigatewayotel.spi.internal.ApiGatewayConfig.METRICS_TRANSPORT;
import static io.github.apigatewayotel.spi.internal.ApiGatewayConfig.TAGS_PREFIX;
import static io.github.apigatewayotel.spi.internal.StrictProperties.intInRange;
import static io.github.apigatewayotel.spi.internal.StrictProperties.invalid;
import static io.github.apigatewayotel.spi.internal.StrictProperties.nonNegative;
import static io.github.apigatewayotel.spi.internal.StrictProperties.positive;
import static io.github.apigatewayotel.spi.internal.StrictProperties.require;
import static io.github.apigatewayotel.spi.internal.StrictProperties.spelling;

import io.github.apigatewayotel.receiver.ApiGatewayMetricsReceiver;
import io.github.apigatewayotel.receiver.ApiGatewayMetricsReceiverBuilder;
import io.github.apigatewayotel.receiver.MetricStatistics;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The metrics receiver's own properties ({@code otel.apigateway.metrics.*}, {@code apis.*}, {@code
 * tags.prefix}), as opentelemetry-java-contrib's {@code InferredSpansConfig} applies its
 * properties: read strictly at start-up (a bad value fails it, naming the key and the value in the
 * user's units), then applied straight onto {@link ApiGatewayMetricsReceiverBuilder} when the
 * receiver is built. A key not set leaves the builder's default: the defaults live in {@link
 * ApiGatewayMetricsReceiver}'s constants only. The settings the plugin shares with its other
 * sources (regions, AWS access, temporality) stay in {@link ApiGatewayConfig}; the discovery
 * interval, shared with the log sources, is applied here too.
 */
final class ReceiverProperties {

  /** The deprecation warnings keep the logger they were always logged under. */
  private static final Logger logger = Logger.getLogger(ApiGatewayConfig.class.getName());

  /** A poll reads at most this many periods back: a longer interval would lose periods. */
  private static final int MAX_INTERVAL_PERIODS = 200;

  /** AWS/ApiGateway publishes one-minute data: periods are whole minutes. */
  private static final long PERIOD_UNIT_SECONDS = 60;

  private final List<Consumer<ApiGatewayMetricsReceiverBuilder>> settings = new ArrayList<>();
  private final Duration pollInterval;

  private ReceiverProperties(ConfigProperties config) {
    Duration period = positive(config, METRICS_PERIOD, ApiGatewayMetricsReceiver.DEFAULT_PERIOD);
    require(
        period.getNano() == 0 && period.getSeconds() % PERIOD_UNIT_SECONDS == 0,
        METRICS_PERIOD,
        config.getString(METRICS_PERIOD),
        "a whole number of minutes (AWS/ApiGateway metrics have one-minute resolution)");
    if (isSet(config, METRICS_PERIOD)) {
      settings.add(builder -> builder.period(period));
    }
    Duration lookback =
        positive(config, METRICS_LOOKBACK, ApiGatewayMetricsReceiver.DEFAULT_LOOKBACK);
    requireLookbackCoversPeriod(config, lookback, period);
    if (isSet(config, METRICS_LOOKBACK)) {
      settings.add(builder -> builder.lookback(lookback));
    }
    if (isSet(config, METRICS_DELAY)) {
      Duration delay = nonNegative(config, METRICS_DELAY, ApiGatewayMetricsReceiver.DEFAULT_DELAY);
      settings.add(builder -> builder.delay(delay));
    }
    if (isSet(config, METRICS_DETAILED)) {
      boolean detailed = StrictProperties.strictBoolean(config, METRICS_DETAILED, true);
      settings.add(builder -> builder.detailedMetrics(detailed));
    }
    if (isSet(config, METRICS_CONCURRENCY)) {
      int concurrency =
          intInRange(
              config,
              METRICS_CONCURRENCY,
              ApiGatewayMetricsReceiver.DEFAULT_CONCURRENCY,
              1,
              ApiGatewayMetricsReceiver.MAX_CONCURRENCY);
      settings.add(builder -> builder.getMetricDataConcurrency(concurrency));
    }
    String maxPendingKey = spelling(config, METRICS_MAX_PENDING_POINTS);
    if (isSet(config, maxPendingKey)) {
      int points =
          intInRange(
              config,
              maxPendingKey,
              ApiGatewayMetricsReceiver.DEFAULT_MAX_PENDING_POINTS,
              ApiGatewayMetricsReceiver.MIN_PENDING_POINTS,
              Integer.MAX_VALUE);
      settings.add(builder -> builder.maxPendingPoints(points));
    }
    if (isSet(config, METRICS_EXPORT_MAX_POINTS)) {
      int points =
          intInRange(
              config,
              METRICS_EXPORT_MAX_POINTS,
              ApiGatewayMetricsReceiver.DEFAULT_MAX_EXPORT_POINTS,
              ApiGatewayMetricsReceiver.MIN_EXPORT_POINTS,
              Integer.MAX_VALUE);
      settings.add(builder -> builder.maxExportPoints(points));
    }
    warnIfTransportSet(config);
    // Unset, the builder's own default: 5 minutes, or the period when longer.
    Duration defaultInterval =
        ApiGatewayMetricsReceiver.DEFAULT_POLL_INTERVAL.compareTo(period) >= 0
            ? ApiGatewayMetricsReceiver.DEFAULT_POLL_INTERVAL
            : period;
    pollInterval = positive(config, METRICS_INTERVAL, defaultInterval);
    require(
        pollInterval.compareTo(period.multipliedBy(MAX_INTERVAL_PERIODS)) <= 0,
        METRICS_INTERVAL,
        config.getString(METRICS_INTERVAL),
        "at most "
            + MAX_INTERVAL_PERIODS
            + " periods ("
            + period.multipliedBy(MAX_INTERVAL_PERIODS)
            + "): a poll reads at most that far back");
    if (isSet(config, METRICS_INTERVAL)) {
      settings.add(builder -> builder.pollInterval(pollInterval));
    }
    if (isSet(config, METRICS_STATISTICS)) {
      MetricStatistics statistics = parseStatistics(config);
      settings.add(builder -> builder.statistics(statistics));
    }
    if (isSet(config, METRICS_RECENTLY_ACTIVE)) {
      boolean recentlyActive =
          StrictProperties.strictBoolean(config, METRICS_RECENTLY_ACTIVE, true);
      settings.add(builder -> builder.recentlyActiveOnly(recentlyActive));
    }
    if (isSet(config, METRICS_PRICE_PER_THOUSAND_REQUESTS)) {
      double price = parsePrice(config);
      settings.add(builder -> builder.pricePerThousandMetricRequests(price));
    }
    List<String> include = config.getList(APIS_INCLUDE);
    List<String> exclude = config.getList(APIS_EXCLUDE);
    Map<String, String> includeTags = config.getMap(APIS_INCLUDE_TAGS);
    Map<String, String> excludeTags = config.getMap(APIS_EXCLUDE_TAGS);
    settings.add(
        builder -> {
          include.forEach(builder::includeApi);
          exclude.forEach(builder::excludeApi);
          includeTags.forEach(builder::includeTag);
          excludeTags.forEach(builder::excludeTag);
        });
    // Set but empty is a choice too: no prefix.
    String prefix = config.getString(TAGS_PREFIX);
    if (prefix != null) {
      settings.add(builder -> builder.tagAttributePrefix(prefix.trim()));
    }
    // One key paces both discoveries: CloudWatchLogsProperties applies it onto the log sources.
    if (isSet(config, DISCOVERY_INTERVAL)) {
      Duration discovery =
          positive(
              config, DISCOVERY_INTERVAL, ApiGatewayMetricsReceiver.DEFAULT_DISCOVERY_INTERVAL);
      settings.add(builder -> builder.discoveryInterval(discovery));
    }
  }

  /**
   * Reads the receiver's properties; a bad value fails with a {@code ConfigurationException}. Every
   * key is read whatever the others say, so that each is known ({@link PropertyKeysRead}).
   */
  static ReceiverProperties read(ConfigProperties config) {
    return new ReceiverProperties(config);
  }

  /** Sets each property the user set onto {@code builder}; the others keep its defaults. */
  void applyTo(ApiGatewayMetricsReceiverBuilder builder) {
    settings.forEach(setting -> setting.accept(builder));
  }

  /** How often each query is read: the user's interval, or the builder's default for the period. */
  Duration pollInterval() {
    return pollInterval;
  }

  private static boolean isSet(ConfigProperties config, String key) {
    String value = config.getString(key);
    return value != null && !value.isBlank();
  }

  /** {@code Metric:stat|stat,...}; an unknown metric or statistic is named in the message. */
  private static MetricStatistics parseStatistics(ConfigProperties config) {
    return StrictProperties.parse(
        METRICS_STATISTICS, config.getString(METRICS_STATISTICS), MetricStatistics::parse);
  }

  private static double parsePrice(ConfigProperties config) {
    String value = config.getString(METRICS_PRICE_PER_THOUSAND_REQUESTS);
    String expected = "a price in US dollars of zero or more, such as 0.01";
    try {
      double price = Double.parseDouble(value.trim());
      require(
          price >= 0 && !Double.isInfinite(price),
          METRICS_PRICE_PER_THOUSAND_REQUESTS,
          value,
          expected);
      return price;
    } catch (NumberFormatException e) {
      throw invalid(METRICS_PRICE_PER_THOUSAND_REQUESTS, value, expected);
    }
  }

  /**
   * The lookback must hold a period. The message names what the user set, in the user's units: the
   * period, when the lookback is the default; else the lookback.
   */
  private static void requireLookbackCoversPeriod(
      ConfigProperties config, Duration lookback, Duration period) {
    if (lookback.compareTo(period) >= 0) {
      return;
    }
    String lookbackValue = config.getString(METRICS_LOOKBACK);
    String periodValue = config.getString(METRICS_PERIOD);
    if (lookbackValue == null || lookbackValue.isBlank()) {
      throw invalid(
          METRICS_PERIOD,
          periodValue,
          "at most "
              + METRICS_LOOKBACK
              + " ("
              + DurationText.of(ApiGatewayMetricsReceiver.DEFAULT_LOOKBACK)
              + " by default); set "
              + METRICS_LOOKBACK
              + " to "
              + periodValue.strip()
              + " or more as well");
    }
    throw invalid(
        METRICS_LOOKBACK,
        lookbackValue,
        "at least "
            + METRICS_PERIOD
            + " ("
            + (periodValue == null || periodValue.isBlank()
                ? DurationText.of(ApiGatewayMetricsReceiver.DEFAULT_PERIOD) + " by default"
                : periodValue.strip())
            + ")");
  }

  /**
   * The lean GetMetricData transport is gone (RECEIVER_BENCHMARK.md: against the SDK's CBOR client
   * it no longer saved enough CPU to keep its code); a host that still names it starts as before.
   */
  private static void warnIfTransportSet(ConfigProperties config) {
    String value = config.getString(METRICS_TRANSPORT);
    if (value == null || value.isBlank()) {
      return;
    }
    String trimmed = value.trim();
    if (!trimmed.equalsIgnoreCase("lean") && !trimmed.equalsIgnoreCase("sdk")) {
      throw invalid(
          METRICS_TRANSPORT,
          value,
          "lean or sdk, or better no value: the property is deprecated and ignored");
    }
    logger.warning(
        METRICS_TRANSPORT
            + "="
            + trimmed
            + " is deprecated and ignored: GetMetricData always goes through the AWS SDK's"
            + " CloudWatch client now. Remove the property.");
  }
}
