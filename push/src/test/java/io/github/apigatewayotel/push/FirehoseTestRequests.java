package io.github.apigatewayotel.push;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * What Firehose sends, built from AWS's documented formats: the delivery request JSON, Metric
 * Streams' OpenTelemetry 1.0 records (size-delimited ExportMetricsServiceRequest, built with the
 * official opentelemetry-proto classes) and JSON records, CloudWatch Logs subscription payloads.
 */
final class FirehoseTestRequests {

  private FirehoseTestRequests() {}

  /**
   * The delivery request body: {@code {"requestId", "timestamp", "records": [{"data": base64}]}}.
   */
  static byte[] request(String requestId, List<byte[]> records) {
    StringBuilder json =
        new StringBuilder("{\"requestId\":\"")
            .append(requestId)
            .append("\",\"timestamp\":")
            .append(System.currentTimeMillis())
            .append(",\"records\":[");
    for (int i = 0; i < records.size(); i++) {
      json.append(i == 0 ? "" : ",")
          .append("{\"data\":\"")
          .append(Base64.getEncoder().encodeToString(records.get(i)))
          .append("\"}");
    }
    return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }

  /** One statistic set of a CloudWatch datapoint, as a stream carries it. */
  record Datapoint(
      String metricName,
      Map<String, String> dimensions,
      long periodStartEpochSeconds,
      double sampleCount,
      double sum,
      double min,
      double max,
      Map<Double, Double> percentiles) {}

  /**
   * An OpenTelemetry 1.0 record: each datapoint its own size-delimited message, as Metric Streams
   * writes them.
   */
  static byte[] openTelemetryRecord(String account, String region, List<Datapoint> datapoints) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      for (Datapoint d : datapoints) {
        SummaryDataPoint.Builder point =
            SummaryDataPoint.newBuilder()
                .setStartTimeUnixNano(TimeUnit.SECONDS.toNanos(d.periodStartEpochSeconds()))
                .setTimeUnixNano(TimeUnit.SECONDS.toNanos(d.periodStartEpochSeconds() + 60))
                .setCount((long) d.sampleCount())
                .setSum(d.sum())
                .addQuantileValues(quantile(0.0, d.min()))
                .addQuantileValues(quantile(1.0, d.max()))
                .addAttributes(string("Namespace", "AWS/ApiGateway"))
                .addAttributes(string("MetricName", d.metricName()))
                .addAttributes(
                    KeyValue.newBuilder()
                        .setKey("Dimensions")
                        .setValue(
                            AnyValue.newBuilder()
                                .setKvlistValue(
                                    KeyValueList.newBuilder()
                                        .addAllValues(
                                            d.dimensions().entrySet().stream()
                                                .map(e -> string(e.getKey(), e.getValue()))
                                                .toList()))));
        d.percentiles().forEach((q, v) -> point.addQuantileValues(quantile(q, v)));
        ExportMetricsServiceRequest.newBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder()
                    .setResource(
                        Resource.newBuilder()
                            .addAttributes(string("cloud.provider", "aws"))
                            .addAttributes(string("cloud.account.id", account))
                            .addAttributes(string("cloud.region", region))
                            .addAttributes(
                                string(
                                    "aws.exporter.arn",
                                    "arn:aws:cloudwatch:"
                                        + region
                                        + ":"
                                        + account
                                        + ":metric-stream/apigateway")))
                    .addScopeMetrics(
                        ScopeMetrics.newBuilder()
                            .addMetrics(
                                Metric.newBuilder()
                                    .setName("amazonaws.com/AWS/ApiGateway/" + d.metricName())
                                    .setUnit("{Count}")
                                    .setSummary(Summary.newBuilder().addDataPoints(point)))))
            .build()
            .writeDelimitedTo(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A JSON record: one object per line, the documented CloudWatch metric stream JSON format. */
  static byte[] jsonRecord(String account, String region, List<Datapoint> datapoints) {
    StringBuilder out = new StringBuilder();
    for (Datapoint d : datapoints) {
      out.append("{\"metric_stream_name\":\"apigateway\",\"account_id\":\"")
          .append(account)
          .append("\",\"region\":\"")
          .append(region)
          .append("\",\"namespace\":\"AWS/ApiGateway\",\"metric_name\":\"")
          .append(d.metricName())
          .append("\",\"dimensions\":{");
      int i = 0;
      for (Map.Entry<String, String> e : d.dimensions().entrySet()) {
        out.append(i++ == 0 ? "" : ",")
            .append('"')
            .append(e.getKey())
            .append("\":\"")
            .append(e.getValue())
            .append('"');
      }
      out.append("},\"timestamp\":")
          .append(TimeUnit.SECONDS.toMillis(d.periodStartEpochSeconds()))
          .append(",\"value\":{\"max\":")
          .append(d.max())
          .append(",\"min\":")
          .append(d.min())
          .append(",\"sum\":")
          .append(d.sum())
          .append(",\"count\":")
          .append(d.sampleCount());
      d.percentiles()
          .forEach(
              (q, v) ->
                  out.append(",\"")
                      .append(MetricStreamRecords.statisticOfQuantile(q))
                      .append("\":")
                      .append(v));
      out.append("},\"unit\":\"Count\"}\n");
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A CloudWatch Logs subscription payload (gzip JSON), as a subscription filter gives Firehose.
   */
  static byte[] subscription(
      String messageType,
      String logGroup,
      String logStream,
      List<String> messages,
      long timestamp) {
    StringBuilder json =
        new StringBuilder("{\"messageType\":\"")
            .append(messageType)
            .append("\",\"owner\":\"123456789012\",\"logGroup\":\"")
            .append(logGroup)
            .append("\",\"logStream\":\"")
            .append(logStream)
            .append("\",\"subscriptionFilters\":[\"apigateway-to-firehose\"],\"logEvents\":[");
    for (int i = 0; i < messages.size(); i++) {
      json.append(i == 0 ? "" : ",")
          .append("{\"id\":\"")
          .append(i)
          .append("\",\"timestamp\":")
          .append(timestamp)
          .append(",\"message\":\"")
          .append(messages.get(i).replace("\\", "\\\\").replace("\"", "\\\""))
          .append("\"}");
    }
    return gzip(json.append("]}").toString().getBytes(StandardCharsets.UTF_8));
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static SummaryDataPoint.ValueAtQuantile quantile(double q, double v) {
    return SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(q).setValue(v).build();
  }

  private static KeyValue string(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }
}
