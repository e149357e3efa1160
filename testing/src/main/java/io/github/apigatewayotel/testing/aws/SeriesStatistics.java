package io.github.apigatewayotel.testing.aws;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the {@link RouteMinute}s a CloudWatch series covers into the statistic CloudWatch reports
 * for it. Every API Gateway metric is one datapoint per request: counts and errors are 0 or 1 (Sum
 * = how many, SampleCount = requests, Average = the rate), latencies are milliseconds and
 * DataProcessed is bytes. Routes add up to their stage and stages to their API.
 */
final class SeriesStatistics {

  private static final Pattern PERCENTILE = Pattern.compile("p(\\d{1,2}(?:\\.\\d+)?)");

  private SeriesStatistics() {}

  static double value(String metric, String stat, List<RouteMinute> minutes) {
    return switch (metric) {
      case "Latency" -> latency(stat, minutes, false);
      case "IntegrationLatency" -> latency(stat, minutes, true);
      case "DataProcessed" -> dataProcessed(stat, minutes);
      default -> perRequestFlag(metric, stat, minutes);
    };
  }

  /** A metric each request reports as 0 or 1. */
  private static double perRequestFlag(String metric, String stat, List<RouteMinute> minutes) {
    long samples = 0;
    long sum = 0;
    for (RouteMinute m : minutes) {
      samples += m.requests();
      sum +=
          switch (metric) {
            case "Count", "MessageCount", "ConnectCount" -> m.requests();
            case "4XXError", "4xx", "ClientError" -> m.clientErrors();
            case "5XXError", "5xx" -> m.serverErrors();
            case "ExecutionError" -> m.executionErrors();
            case "IntegrationError" -> m.serverErrors() - m.executionErrors();
            case "CacheHitCount" -> m.cacheHits();
            case "CacheMissCount" -> m.cacheMisses();
            default -> throw new IllegalArgumentException("unknown metric " + metric);
          };
    }
    return switch (stat) {
      case "Sum" -> sum;
      case "SampleCount" -> samples;
      case "Average" -> samples == 0 ? 0 : (double) sum / samples;
      case "Minimum" -> samples > 0 && sum == samples ? 1 : 0;
      case "Maximum" -> sum > 0 ? 1 : 0;
      default ->
          throw new IllegalArgumentException("unsupported statistic " + stat + " for " + metric);
    };
  }

  private static double dataProcessed(String stat, List<RouteMinute> minutes) {
    long samples = 0;
    long sum = 0;
    boolean anyError = false;
    boolean anyOk = false;
    for (RouteMinute m : minutes) {
      samples += m.requests();
      sum += m.bytesProcessed();
      int errors = m.clientErrors() + m.serverErrors();
      anyError |= errors > 0;
      anyOk |= m.requests() > errors;
    }
    if (samples == 0) {
      return 0;
    }
    double average = (double) sum / samples;
    return switch (stat) {
      case "Sum" -> sum;
      case "SampleCount" -> samples;
      case "Average" -> average;
      // error responses are the smallest; successful ones spread up to twice the mean
      case "Minimum" -> anyError ? TrafficShape.ERROR_RESPONSE_BYTES : Math.floor(average);
      case "Maximum" -> anyOk ? Math.ceil(average * 2) : TrafficShape.ERROR_RESPONSE_BYTES;
      default ->
          throw new IllegalArgumentException(
              "unsupported statistic " + stat + " for DataProcessed");
    };
  }

  /**
   * Minimum and maximum over the routes; average and percentiles request-weighted over them (an
   * approximation of the merged distribution's percentile that keeps p50 <= p90 <= p99).
   */
  private static double latency(String stat, List<RouteMinute> minutes, boolean integration) {
    Matcher percentile = PERCENTILE.matcher(stat);
    double q = percentile.matches() ? Double.parseDouble(percentile.group(1)) / 100 : Double.NaN;
    if (!percentile.matches()
        && !List.of("Sum", "SampleCount", "Average", "Minimum", "Maximum").contains(stat)) {
      throw new IllegalArgumentException("unsupported statistic " + stat);
    }
    long samples = 0;
    double weighted = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = 0;
    for (RouteMinute m : minutes) {
      if (m.requests() == 0) {
        continue;
      }
      LatencyProfile profile = integration ? m.integrationLatency() : m.latency();
      samples += m.requests();
      min = Math.min(min, profile.minimum());
      max = Math.max(max, profile.maximum());
      double v =
          switch (stat) {
            case "Sum", "Average" -> profile.average();
            case "SampleCount", "Minimum", "Maximum" -> 0;
            default -> profile.quantile(q);
          };
      weighted += m.requests() * v;
    }
    if (samples == 0) {
      return 0;
    }
    return switch (stat) {
      case "Sum" -> weighted;
      case "SampleCount" -> samples;
      case "Minimum" -> min;
      case "Maximum" -> max;
      // clamp: rounding of the weighted mean must not step outside [min, max]
      default -> Math.min(max, Math.max(min, weighted / samples));
    };
  }
}
