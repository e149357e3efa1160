package io.github.apigatewayotel.receiver;

import io.github.apigatewayotel.receiver.internal.MetricCatalog;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which statistics of each CloudWatch metric the receiver fetches: by default every one of the
 * metric table (README), or a choice among them per metric, e.g. only {@code p99} and {@code
 * Average} of {@code Latency}. CloudWatch bills every statistic of every series as one metric
 * requested, so each statistic left out cuts the bill. Metrics not named keep all their statistics.
 * Immutable.
 */
public final class MetricStatistics {

  private static final MetricStatistics ALL = new MetricStatistics(Map.of());

  /** Chosen metric (CloudWatch name) -> its statistics, in the table's order. */
  private final Map<String, List<String>> chosen;

  private MetricStatistics(Map<String, List<String>> chosen) {
    this.chosen = chosen;
  }

  /** Every statistic of the metric table: the default. */
  public static MetricStatistics all() {
    return ALL;
  }

  /**
   * The metric table's CloudWatch metrics and, for each, the statistics it offers, e.g. {@code
   * Latency -> [Average, Maximum, Minimum, p50, p75, p90, p95, p99]}.
   */
  public static Map<String, List<String>> table() {
    return MetricCatalog.statistics();
  }

  /**
   * Parses {@code Metric:stat|stat,Metric:stat...}, e.g. {@code
   * Latency:p99|Average,IntegrationLatency:p99} (CloudWatch metric and statistic names as in the
   * table; statistics in any case; blanks around names ignored). An empty or blank spec is {@link
   * #all()}.
   *
   * @throws IllegalArgumentException naming the offending token: a metric or statistic the table
   *     does not have, a metric named twice, a metric without statistics, or a malformed entry
   */
  public static MetricStatistics parse(String spec) {
    Objects.requireNonNull(spec, "spec");
    MetricStatistics result = ALL;
    if (spec.isBlank()) {
      return result;
    }
    for (String entry : spec.split(",", -1)) {
      int colon = entry.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException(
            "'" + entry.strip() + "' is not Metric:stat|stat (e.g. Latency:p99|Average)");
      }
      List<String> statistics = new ArrayList<>();
      for (String statistic : entry.substring(colon + 1).split("\\|", -1)) {
        statistics.add(statistic.strip());
      }
      result = result.with(entry.substring(0, colon).strip(), statistics);
    }
    return result;
  }

  /**
   * These choices and, for {@code metric}, only {@code statistics} (any case; each must be one the
   * table has for it).
   *
   * @throws IllegalArgumentException naming the offending metric or statistic
   */
  public MetricStatistics with(String metric, List<String> statistics) {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(statistics, "statistics");
    Map<String, List<String>> table = table();
    List<String> offered = table.get(metric);
    if (offered == null) {
      String hint = "";
      for (String known : table.keySet()) {
        if (known.equalsIgnoreCase(metric)) {
          hint = " (metric names are case-sensitive: did you mean '" + known + "'?)";
        }
      }
      throw new IllegalArgumentException(
          "unknown CloudWatch metric '"
              + metric
              + "'"
              + hint
              + "; the metric table has "
              + table.keySet());
    }
    if (chosen.containsKey(metric)) {
      throw new IllegalArgumentException("metric '" + metric + "' is named twice");
    }
    if (statistics.isEmpty() || statistics.stream().allMatch(String::isEmpty)) {
      throw new IllegalArgumentException(
          "metric '" + metric + "' names no statistic; it offers " + offered);
    }
    Set<String> picked = new LinkedHashSet<>();
    for (String statistic : statistics) {
      picked.add(tableSpelling(metric, statistic, offered));
    }
    List<String> ordered = new ArrayList<>();
    for (String statistic :
        offered) { // the table's order: the plan stays the same whatever the spelling
      if (picked.contains(statistic)) {
        ordered.add(statistic);
      }
    }
    Map<String, List<String>> updated = new LinkedHashMap<>(chosen);
    updated.put(metric, List.copyOf(ordered));
    return new MetricStatistics(Collections.unmodifiableMap(updated));
  }

  private static String tableSpelling(String metric, String statistic, List<String> offered) {
    for (String candidate : offered) {
      if (candidate.equalsIgnoreCase(statistic)) {
        return candidate;
      }
    }
    throw new IllegalArgumentException(
        "unknown statistic '"
            + statistic
            + "' of CloudWatch metric '"
            + metric
            + "'; it offers "
            + offered);
  }

  /**
   * The statistics fetched of {@code metric}: those chosen, else all the table has (empty for an
   * unknown metric).
   */
  public List<String> statistics(String metric) {
    List<String> picked = chosen.get(metric);
    return picked != null ? picked : table().getOrDefault(metric, List.of());
  }

  /** The metrics given a choice (the others keep every statistic) and their statistics. */
  public Map<String, List<String>> chosen() {
    return chosen;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MetricStatistics other && chosen.equals(other.chosen);
  }

  @Override
  public int hashCode() {
    return chosen.hashCode();
  }

  /** The choices in the form {@link #parse} reads; empty for {@link #all()}. */
  @Override
  public String toString() {
    StringBuilder spec = new StringBuilder();
    chosen.forEach(
        (metric, statistics) -> {
          if (spec.length() > 0) {
            spec.append(',');
          }
          spec.append(metric).append(':').append(String.join("|", statistics));
        });
    return spec.toString();
  }
}
