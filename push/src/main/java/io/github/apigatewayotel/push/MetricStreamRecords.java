package io.github.apigatewayotel.push;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.apigatewayotel.receiver.StreamedMetrics;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Decodes the records of a CloudWatch Metric Stream in either output format and adds their {@code
 * AWS/ApiGateway} datapoints to a {@link StreamedMetrics.Batch}:
 *
 * <ul>
 *   <li>OpenTelemetry 1.0: size-delimited {@code ExportMetricsServiceRequest} messages; each
 *       datapoint a summary (count = SampleCount, sum = Sum, quantile 0 = Minimum, 1 = Maximum,
 *       others the additional percentile statistics), named by its {@code MetricName},
 *       {@code Namespace} and {@code Dimensions} attributes, the account and region in the resource;
 *   <li>JSON: one object per line ({@code namespace}, {@code metric_name}, {@code dimensions},
 *       {@code timestamp} in milliseconds, {@code value} with {@code sum}, {@code count},
 *       {@code min}, {@code max} and percentiles such as {@code p99}).
 * </ul>
 *
 * Average is Sum / SampleCount, as CloudWatch computes it. A JSON record starts with {@code {};
 * anything else is read as OpenTelemetry 1.0.
 */
final class MetricStreamRecords {

  static final String NAMESPACE = "AWS/ApiGateway";

  /** Metric Streams send one-minute aggregates. */
  static final long STREAM_PERIOD_SECONDS = 60;

  private static final JsonFactory JSON = new JsonFactory();

  /** What one record held. */
  record Outcome(int datapoints, int points, int otherNamespace) {}

  /** A record that is neither format. */
  static final class NotAMetricStreamRecord extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotAMetricStreamRecord(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private MetricStreamRecords() {}

  static Outcome add(byte[] data, StreamedMetrics.Batch batch) {
    int first = 0;
    while (first < data.length && Character.isWhitespace(data[first])) {
      first++;
    }
    if (first < data.length && data[first] == '{') {
      return addJson(data, batch);
    }
    return addOpenTelemetry(data, batch);
  }

  private static Outcome addOpenTelemetry(byte[] data, StreamedMetrics.Batch batch) {
    int datapoints = 0;
    int points = 0;
    int other = 0;
    try (InputStream in = new ByteArrayInputStream(data)) {
      for (ExportMetricsServiceRequest request = ExportMetricsServiceRequest.parseDelimitedFrom(in);
          request != null;
          request = ExportMetricsServiceRequest.parseDelimitedFrom(in)) {
        for (ResourceMetrics resourceMetrics : request.getResourceMetricsList()) {
          Map<String, String> resource = strings(resourceMetrics.getResource().getAttributesList());
          String account = resource.get("cloud.account.id");
          String region = resource.get("cloud.region");
          for (ScopeMetrics scope : resourceMetrics.getScopeMetricsList()) {
            for (Metric metric : scope.getMetricsList()) {
              if (!metric.hasSummary()) {
                continue;
              }
              for (SummaryDataPoint point : metric.getSummary().getDataPointsList()) {
                Map<String, String> dimensions = new HashMap<>();
                String namespace = null;
                String metricName = null;
                for (KeyValue kv : point.getAttributesList()) {
                  switch (kv.getKey()) {
                    case "Namespace" -> namespace = kv.getValue().getStringValue();
                    case "MetricName" -> metricName = kv.getValue().getStringValue();
                    case "Dimensions" ->
                        dimensions.putAll(strings(kv.getValue().getKvlistValue().getValuesList()));
                    default -> {}
                  }
                }
                if (metricName == null) {
                  metricName = metric.getName().substring(metric.getName().lastIndexOf('/') + 1);
                }
                if (!NAMESPACE.equals(namespace)) {
                  other++;
                  continue;
                }
                Map<String, Double> statistics = new HashMap<>();
                statistics.put("SampleCount", (double) point.getCount());
                statistics.put("Sum", point.getSum());
                if (point.getCount() > 0) {
                  statistics.put("Average", point.getSum() / point.getCount());
                }
                for (SummaryDataPoint.ValueAtQuantile q : point.getQuantileValuesList()) {
                  statistics.put(statisticOfQuantile(q.getQuantile()), q.getValue());
                }
                long start = TimeUnit.NANOSECONDS.toSeconds(point.getStartTimeUnixNano());
                long end = TimeUnit.NANOSECONDS.toSeconds(point.getTimeUnixNano());
                long period = end > start ? end - start : STREAM_PERIOD_SECONDS;
                datapoints++;
                points +=
                    batch.add(account, region, metricName, dimensions, statistics, start, period);
              }
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new NotAMetricStreamRecord(
          "not an OpenTelemetry 1.0 metric stream record: " + e.getMessage(), e);
    }
    return new Outcome(datapoints, points, other);
  }

  /** 0 -> Minimum, 1 -> Maximum, 0.99 -> p99, 0.999 -> p99.9 (CloudWatch's percentile names). */
  static String statisticOfQuantile(double quantile) {
    if (quantile == 0.0) {
      return "Minimum";
    }
    if (quantile == 1.0) {
      return "Maximum";
    }
    return "p"
        + BigDecimal.valueOf(quantile).movePointRight(2).stripTrailingZeros().toPlainString();
  }

  private static Outcome addJson(byte[] data, StreamedMetrics.Batch batch) {
    int datapoints = 0;
    int points = 0;
    int other = 0;
    try (JsonParser parser = JSON.createParser(data)) {
      for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
        if (t != JsonToken.START_OBJECT) {
          throw new NotAMetricStreamRecord(
              "a JSON metric stream record holds objects, not " + t, null);
        }
        String namespace = null;
        String metricName = null;
        String account = null;
        String region = null;
        long timestamp = -1;
        Map<String, String> dimensions = new LinkedHashMap<>();
        Map<String, Double> statistics = new HashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String field = parser.currentName();
          JsonToken value = parser.nextToken();
          switch (field) {
            case "namespace" -> namespace = parser.getValueAsString();
            case "metric_name" -> metricName = parser.getValueAsString();
            case "account_id" -> account = parser.getValueAsString();
            case "region" -> region = parser.getValueAsString();
            case "timestamp" -> timestamp = parser.getValueAsLong(-1);
            case "dimensions" -> readStrings(parser, value, dimensions);
            case "value" -> readValues(parser, value, statistics);
            default -> parser.skipChildren();
          }
        }
        if (!NAMESPACE.equals(namespace)) {
          other++;
          continue;
        }
        if (metricName == null || timestamp < 0) {
          throw new NotAMetricStreamRecord(
              "a JSON metric stream line has no metric_name or timestamp", null);
        }
        datapoints++;
        points +=
            batch.add(
                account,
                region,
                metricName,
                dimensions,
                statistics,
                TimeUnit.MILLISECONDS.toSeconds(timestamp),
                STREAM_PERIOD_SECONDS);
      }
    } catch (IOException e) {
      throw new NotAMetricStreamRecord("not a JSON metric stream record: " + e.getMessage(), e);
    }
    return new Outcome(datapoints, points, other);
  }

  private static void readStrings(JsonParser parser, JsonToken value, Map<String, String> into)
      throws IOException {
    if (value != JsonToken.START_OBJECT) {
      parser.skipChildren();
      return;
    }
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      parser.nextToken();
      into.put(key, parser.getValueAsString());
    }
  }

  private static void readValues(JsonParser parser, JsonToken value, Map<String, Double> into)
      throws IOException {
    if (value != JsonToken.START_OBJECT) {
      parser.skipChildren();
      return;
    }
    Double sum = null;
    Double count = null;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      JsonToken v = parser.nextToken();
      if (!v.isNumeric()) {
        parser.skipChildren();
        continue;
      }
      double d = parser.getDoubleValue();
      switch (key) {
        case "sum" -> {
          sum = d;
          into.put("Sum", d);
        }
        case "count" -> {
          count = d;
          into.put("SampleCount", d);
        }
        case "min" -> into.put("Minimum", d);
        case "max" -> into.put("Maximum", d);
        default -> into.put(key, d); // additional statistics: p99, p99.9, ...
      }
    }
    if (sum != null && count != null && count > 0) {
      into.put("Average", sum / count);
    }
  }

  private static Map<String, String> strings(Iterable<KeyValue> attributes) {
    Map<String, String> out = new HashMap<>();
    for (KeyValue kv : attributes) {
      AnyValue v = kv.getValue();
      if (v.hasStringValue()) {
        out.put(kv.getKey(), v.getStringValue());
      }
    }
    return out;
  }
}
