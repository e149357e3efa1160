package io.github.apigatewayotel.receiver.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The metric table of DESIGN.md: which CloudWatch metrics each API type publishes, which statistics
 * are queried, and the OTel name, kind and unit each becomes. Nothing else is ever queried.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class MetricCatalog {

  private static final String PREFIX = "aws.apigateway.";
  private static final Map<ApiType, Map<String, List<MetricDescriptor>>> TABLE = build();

  private MetricCatalog() {}

  /**
   * The descriptors for {@code cloudWatchMetric} of an API of {@code type}; empty if not in the
   * contract.
   */
  public static List<MetricDescriptor> descriptors(ApiType type, String cloudWatchMetric) {
    return TABLE.get(type).getOrDefault(cloudWatchMetric, List.of());
  }

  /**
   * The CloudWatch statistics of each metric of the table, all API types together, in the table's
   * order: {@code Latency} -> Average, Maximum, Minimum, p50, p75, p90, p95, p99; {@code Count} ->
   * Sum.
   */
  public static Map<String, List<String>> statistics() {
    Map<String, Set<String>> byMetric = new LinkedHashMap<>();
    for (ApiType type : ApiType.values()) {
      TABLE
          .get(type)
          .forEach(
              (metric, descriptors) -> {
                Set<String> stats = byMetric.computeIfAbsent(metric, m -> new LinkedHashSet<>());
                descriptors.forEach(d -> stats.add(d.statistic()));
              });
    }
    Map<String, List<String>> result = new java.util.TreeMap<>();
    byMetric.forEach((metric, stats) -> result.put(metric, List.copyOf(stats)));
    return Collections.unmodifiableMap(result);
  }

  /**
   * The table with, for each metric named in {@code chosen}, only the statistics named there
   * (metrics not named keep all of theirs); the names must be the table's ({@link #statistics}).
   */
  public static Selection select(Map<String, ? extends Collection<String>> chosen) {
    Map<ApiType, Map<String, List<MetricDescriptor>>> selected = new EnumMap<>(ApiType.class);
    TABLE.forEach(
        (type, byMetric) -> {
          Map<String, List<MetricDescriptor>> kept = new HashMap<>();
          byMetric.forEach(
              (metric, descriptors) -> {
                Collection<String> stats = chosen.get(metric);
                List<MetricDescriptor> list =
                    stats == null
                        ? descriptors
                        : descriptors.stream().filter(d -> stats.contains(d.statistic())).toList();
                if (!list.isEmpty()) {
                  kept.put(metric, list);
                }
              });
          selected.put(type, kept);
        });
    return new Selection(selected);
  }

  /**
   * The descriptors queried, per API type and CloudWatch metric: the table or a choice of its
   * statistics.
   */
  public static final class Selection {
    private final Map<ApiType, Map<String, List<MetricDescriptor>>> table;

    private Selection(Map<ApiType, Map<String, List<MetricDescriptor>>> table) {
      this.table = table;
    }

    /**
     * The descriptors for {@code cloudWatchMetric} of an API of {@code type}; empty if none is
     * queried.
     */
    public List<MetricDescriptor> descriptors(ApiType type, String cloudWatchMetric) {
      return table.get(type).getOrDefault(cloudWatchMetric, List.of());
    }
  }

  /** Every descriptor, all API types (an OTel name may appear for several types). */
  public static List<MetricDescriptor> all() {
    List<MetricDescriptor> all = new ArrayList<>();
    TABLE.values().forEach(byMetric -> byMetric.values().forEach(all::addAll));
    return all;
  }

  private static Map<ApiType, Map<String, List<MetricDescriptor>>> build() {
    Map<ApiType, Map<String, List<MetricDescriptor>>> table = new EnumMap<>(ApiType.class);
    for (ApiType type : ApiType.values()) {
      table.put(type, new HashMap<>());
    }
    sum(table, ApiType.HTTP, "4xx", "4xx", "{error}", "Client-side errors of an HTTP API");
    sum(table, ApiType.HTTP, "5xx", "5xx", "{error}", "Server-side errors of an HTTP API");
    sum(table, ApiType.REST, "4XXError", "4xxerror", "{error}", "Client-side errors of a REST API");
    sum(table, ApiType.REST, "5XXError", "5xxerror", "{error}", "Server-side errors of a REST API");
    sum(
        table,
        ApiType.REST,
        "CacheHitCount",
        "cache_hit_count",
        "{request}",
        "Requests served from the API cache");
    sum(
        table,
        ApiType.REST,
        "CacheMissCount",
        "cache_miss_count",
        "{request}",
        "Requests served by the backend while caching is on");
    sum(table, ApiType.REST, "Count", "count", "{request}", "API requests");
    sum(table, ApiType.HTTP, "Count", "count", "{request}", "API requests");
    sum(
        table,
        ApiType.HTTP,
        "DataProcessed",
        "data_processed",
        "By",
        "Data processed by an HTTP API");
    webSocket(
        table,
        "ClientError",
        "client_error",
        "{error}",
        "Requests answered 4XX by API Gateway before the integration ran");
    webSocket(
        table,
        "ConnectCount",
        "connect_count",
        "{connection}",
        "Messages sent to the $connect route integration");
    webSocket(
        table, "ExecutionError", "execution_error", "{error}", "Errors calling the integration");
    webSocket(
        table,
        "IntegrationError",
        "integration_error",
        "{error}",
        "Requests the integration answered 4XX/5XX");
    webSocket(
        table, "MessageCount", "message_count", "{message}", "Messages sent to and from clients");
    for (ApiType type : ApiType.values()) {
      latency(
          table,
          type,
          "IntegrationLatency",
          "integration_latency",
          List.of("p90", "p95", "p99"),
          "Time between API Gateway relaying a request to the backend and receiving its response");
    }
    for (ApiType type : List.of(ApiType.REST, ApiType.HTTP)) {
      latency(
          table,
          type,
          "Latency",
          "latency",
          List.of("p50", "p75", "p90", "p95", "p99"),
          "Time between API Gateway receiving a request and returning its response");
    }
    table.replaceAll(
        (type, byMetric) -> {
          byMetric.replaceAll((metric, list) -> List.copyOf(list));
          return Collections.unmodifiableMap(byMetric);
        });
    return table;
  }

  private static void sum(
      Map<ApiType, Map<String, List<MetricDescriptor>>> table,
      ApiType type,
      String metric,
      String name,
      String unit,
      String description) {
    add(table, type, new MetricDescriptor(metric, "Sum", PREFIX + name, true, unit, description));
  }

  /**
   * WebSocket counts: Average as a Gauge under the bare name, Sum as a monotonic Sum under {@code
   * .sum}.
   */
  private static void webSocket(
      Map<ApiType, Map<String, List<MetricDescriptor>>> table,
      String metric,
      String name,
      String unit,
      String description) {
    add(
        table,
        ApiType.WEBSOCKET,
        new MetricDescriptor(
            metric, "Average", PREFIX + name, false, unit, description + " (average per period)"));
    add(
        table,
        ApiType.WEBSOCKET,
        new MetricDescriptor(metric, "Sum", PREFIX + name + ".sum", true, unit, description));
  }

  private static void latency(
      Map<ApiType, Map<String, List<MetricDescriptor>>> table,
      ApiType type,
      String metric,
      String name,
      List<String> percentiles,
      String description) {
    add(
        table,
        type,
        new MetricDescriptor(
            metric, "Average", PREFIX + name, false, "ms", description + " (average)"));
    add(
        table,
        type,
        new MetricDescriptor(
            metric,
            "Maximum",
            PREFIX + name + ".maximum",
            false,
            "ms",
            description + " (maximum)"));
    add(
        table,
        type,
        new MetricDescriptor(
            metric,
            "Minimum",
            PREFIX + name + ".minimum",
            false,
            "ms",
            description + " (minimum)"));
    for (String percentile : percentiles) {
      add(
          table,
          type,
          new MetricDescriptor(
              metric,
              percentile,
              PREFIX + name + "." + percentile,
              false,
              "ms",
              description + " (" + percentile + ")"));
    }
  }

  private static void add(
      Map<ApiType, Map<String, List<MetricDescriptor>>> table,
      ApiType type,
      MetricDescriptor descriptor) {
    table
        .get(type)
        .computeIfAbsent(descriptor.cloudWatchMetric(), k -> new ArrayList<>())
        .add(descriptor);
  }
}
