package io.github.apigatewayotel.spi;

import io.github.apigatewayotel.testing.otlp.OtlpBackend;
import io.github.apigatewayotel.testing.otlp.ReceivedLog;
import io.github.apigatewayotel.testing.otlp.ReceivedMetric;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * What an OTLP test backend received of the plugin's data, keyed as {@link ExpectedDatapoints} keys
 * what the account holds: the API Gateway datapoints, the access-log records by request id, and the
 * plugin's own counters.
 */
final class ReceivedApiGatewayData {

  private final OtlpBackend backend;
  private final int periodSeconds;

  ReceivedApiGatewayData(OtlpBackend backend, int periodSeconds) {
    this.backend = backend;
    this.periodSeconds = periodSeconds;
  }

  /**
   * The API Gateway datapoints received, by {@link ExpectedDatapoints#key}, with how often each
   * came.
   */
  Map<String, Integer> points() {
    Map<String, Integer> received = new HashMap<>();
    forEachPoint((key, point) -> received.merge(key, 1, Integer::sum), false);
    return received;
  }

  /** The values of the gauges received (Sums may be running totals). */
  Map<String, Double> gaugeValues() {
    Map<String, Double> values = new HashMap<>();
    forEachPoint((key, point) -> values.put(key, point.getAsDouble()), true);
    return values;
  }

  /** The access-log records received, by {@code aws.request_id}, with how often each came. */
  Map<String, Integer> lines() {
    Map<String, Integer> received = new HashMap<>();
    for (ReceivedLog log : backend.logRecords()) {
      received.merge(String.valueOf(log.stringAttribute("aws.request_id")), 1, Integer::sum);
    }
    return received;
  }

  /**
   * The total of a cumulative counter of the plugin's own: the last value of each attribute set
   * matching {@code filter}, summed.
   */
  long counter(String name, Predicate<List<KeyValue>> filter) {
    Map<String, Long> last = new HashMap<>();
    for (ReceivedMetric received : backend.metrics()) {
      if (!received.name().equals(name)) {
        continue;
      }
      for (NumberDataPoint point : received.metric().getSum().getDataPointsList()) {
        if (filter.test(point.getAttributesList())) {
          last.merge(point.getAttributesList().toString(), point.getAsInt(), Math::max);
        }
      }
    }
    return last.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The copies beyond the first, over all keys. */
  static long duplicates(Map<String, Integer> counts) {
    return counts.values().stream().mapToLong(n -> n - 1).sum();
  }

  /** Whether the attribute {@code key} holds one of {@code values}. */
  static boolean has(List<KeyValue> attributes, String key, String... values) {
    return List.of(values).contains(text(attributes, key));
  }

  private void forEachPoint(BiConsumer<String, NumberDataPoint> action, boolean gaugesOnly) {
    for (ReceivedMetric received : backend.metrics()) {
      Metric metric = received.metric();
      if (!metric.getName().startsWith("aws.apigateway.") || (gaugesOnly && !metric.hasGauge())) {
        continue;
      }
      boolean sum = metric.hasSum();
      List<NumberDataPoint> dataPoints =
          sum ? metric.getSum().getDataPointsList() : metric.getGauge().getDataPointsList();
      for (NumberDataPoint point : dataPoints) {
        // A Sum ends at its period's end, a Gauge is stamped at its period's start.
        long periodStart =
            TimeUnit.NANOSECONDS.toSeconds(point.getTimeUnixNano()) - (sum ? periodSeconds : 0);
        List<KeyValue> attributes = point.getAttributesList();
        String route = text(attributes, "aws.apigateway.route_key");
        if (route.isEmpty() && !text(attributes, "http.request.method").isEmpty()) {
          String original = text(attributes, "http.request.method_original");
          String method = original.isEmpty() ? text(attributes, "http.request.method") : original;
          route = method + " " + text(attributes, "http.route");
        }
        action.accept(
            ExpectedDatapoints.key(
                metric.getName(),
                text(attributes, "aws.apigateway.api.id"),
                text(attributes, "aws.apigateway.stage"),
                route,
                periodStart),
            point);
      }
    }
  }

  private static String text(List<KeyValue> attributes, String key) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key)) {
        return kv.getValue().getStringValue();
      }
    }
    return "";
  }
}
