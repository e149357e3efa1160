package io.github.apigatewayotel.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.testing.aws.CloudWatchSimulator;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a simulated account holds for the receiver to export, computed from its series and
 * DESIGN.md's metric table, independently of the receiver's code: the datapoints by {@link #key},
 * and the fewest AWS calls that read them.
 */
final class ExpectedDatapoints {

  private static final String PREFIX = "aws.apigateway.";

  private ExpectedDatapoints() {}

  /** One OTel metric of a CloudWatch metric: the statistic queried and whether it is a Sum. */
  private record Statistic(String stat, String otelName, boolean sum) {}

  /** A datapoint's identity: metric, API, stage, route and the start of its period. */
  static String key(String name, String apiId, String stage, String route, long periodStart) {
    return name + "|" + apiId + "|" + stage + "|" + route + "|" + periodStart;
  }

  /**
   * Every datapoint {@code account} holds in {@code region} for the {@code minutes} whole periods
   * of {@code periodSeconds} before {@code now}, by {@link #key}, with its value.
   */
  static Map<String, Double> of(
      SimulatedAccount account, String region, Instant now, int minutes, int periodSeconds) {
    Map<String, Double> expected = new HashMap<>();
    long end = now.getEpochSecond();
    for (SimulatedAccount.Series series : account.series(region)) {
      SimulatedAccount.ApiType type = account.api(series.apiId()).type();
      for (Statistic statistic : statistics(type, series.metricName())) {
        for (int m = minutes; m >= 1; m--) {
          long periodStart = end - (long) m * periodSeconds;
          account
              .datapoint(
                  series, statistic.stat(), Instant.ofEpochSecond(periodStart), periodSeconds)
              .ifPresent(
                  value ->
                      expected.put(
                          key(
                              statistic.otelName(),
                              series.apiId(),
                              series.dimensions().getOrDefault("Stage", ""),
                              routeOf(series),
                              periodStart),
                          value));
        }
      }
    }
    return expected;
  }

  /**
   * The fewest AWS calls that read everything without faults: discovery, the GetMetricData calls
   * for {@code points} datapoints at {@code datapointsPerCall}, and the FilterLogEvents calls for
   * {@code lines} lines of {@code groups} log groups at {@code logPageSize}.
   */
  static long faultFreeCalls(
      SimulatedAccount account,
      String region,
      int points,
      int datapointsPerCall,
      int groups,
      int lines,
      int logPageSize) {
    int series = account.series(region).size();
    long queries = 0;
    for (SimulatedAccount.Series s : account.series(region)) {
      queries += statistics(account.api(s.apiId()).type(), s.metricName()).size();
    }
    long discovery = 4 + ceilDiv(series, CloudWatchSimulator.LIST_METRICS_PAGE_SIZE);
    long getMetricData =
        ceilDiv(queries, CloudWatchSimulator.MAX_QUERIES_PER_CALL)
            + ceilDiv(points, datapointsPerCall);
    long logCalls = 1 + groups + ceilDiv(lines, logPageSize);
    return discovery + getMetricData + logCalls;
  }

  /** The route a series names: its Route dimension, else {@code Method Resource}, else none. */
  private static String routeOf(SimulatedAccount.Series series) {
    Map<String, String> d = series.dimensions();
    if (d.containsKey("Route")) {
      return d.get("Route");
    }
    return d.containsKey("Method") ? d.get("Method") + " " + d.get("Resource") : "";
  }

  /** DESIGN.md's metric table: the statistics exported for a CloudWatch metric of an API type. */
  private static List<Statistic> statistics(SimulatedAccount.ApiType type, String metric) {
    switch (metric) {
      case "IntegrationLatency":
        return latency(PREFIX + "integration_latency", List.of("p90", "p95", "p99"));
      case "Latency":
        return latency(PREFIX + "latency", List.of("p50", "p75", "p90", "p95", "p99"));
      case "4XXError", "5XXError", "4xx", "5xx":
        return List.of(new Statistic("Sum", PREFIX + metric.toLowerCase(), true));
      case "CacheHitCount":
        return List.of(new Statistic("Sum", PREFIX + "cache_hit_count", true));
      case "CacheMissCount":
        return List.of(new Statistic("Sum", PREFIX + "cache_miss_count", true));
      case "Count":
        return List.of(new Statistic("Sum", PREFIX + "count", true));
      case "DataProcessed":
        return List.of(new Statistic("Sum", PREFIX + "data_processed", true));
      default:
        assertThat(type).as(metric).isEqualTo(SimulatedAccount.ApiType.WEBSOCKET);
        String base = PREFIX + metric.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase();
        return List.of(
            new Statistic("Average", base, false), new Statistic("Sum", base + ".sum", true));
    }
  }

  private static List<Statistic> latency(String base, List<String> percentiles) {
    List<Statistic> statistics = new ArrayList<>();
    statistics.add(new Statistic("Average", base, false));
    statistics.add(new Statistic("Maximum", base + ".maximum", false));
    statistics.add(new Statistic("Minimum", base + ".minimum", false));
    percentiles.forEach(p -> statistics.add(new Statistic(p, base + "." + p, false)));
    return statistics;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
