package io.github.apigatewayotel.spi;

import io.github.apigatewayotel.testing.otlp.OtlpBackend;
import io.github.apigatewayotel.testing.otlp.ReceivedMetric;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** What an OTLP test backend received of the receiver's CloudWatch datapoints. */
final class ReceivedDatapoints {

  private ReceivedDatapoints() {}

  /** Each received aws.apigateway.* point by metric, attributes and time, with its count. */
  static Map<String, Integer> byKey(OtlpBackend backend) {
    Map<String, Integer> counts = new HashMap<>();
    for (ReceivedMetric received : backend.metrics()) {
      Metric metric = received.metric();
      if (!metric.getName().startsWith("aws.apigateway.")) {
        continue;
      }
      List<NumberDataPoint> points =
          metric.hasSum()
              ? metric.getSum().getDataPointsList()
              : metric.getGauge().getDataPointsList();
      for (NumberDataPoint point : points) {
        StringBuilder key = new StringBuilder(metric.getName());
        for (KeyValue attribute : point.getAttributesList()) {
          key.append('|').append(attribute.getKey()).append('=').append(attribute.getValue());
        }
        key.append('@').append(point.getTimeUnixNano());
        counts.merge(key.toString(), 1, Integer::sum);
      }
    }
    return counts;
  }

  /** The latest value of one of the plugin's own counters, as this backend got it. */
  static OptionalLong counter(OtlpBackend backend, String name) {
    OptionalLong latest = OptionalLong.empty();
    for (ReceivedMetric received : backend.metrics()) {
      if (received.name().equals(name) && received.metric().hasSum()) {
        for (NumberDataPoint point : received.metric().getSum().getDataPointsList()) {
          latest = OptionalLong.of(point.getAsInt());
        }
      }
    }
    return latest;
  }

  /** The receiver's count of datapoints it emitted, as this backend got it; -1 before any. */
  static long receiverEmitted(OtlpBackend backend) {
    return counter(backend, "apigateway_otel.receiver.datapoints.exported").orElse(-1);
  }
}
