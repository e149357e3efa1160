package io.github.apigatewayotel.logs;

import io.github.apigatewayotel.logs.CloudWatchLogsTestFixture.MutableClock;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A real SDK (logger and meter providers, an in-memory metric reader) with the request metrics'
 * producer registered, a bridge feeding them, and a clock the test moves.
 */
final class RequestMetricsHarness implements AutoCloseable {

  static final String DURATION = "http.server.request.duration";
  static final String REQUESTS = "aws.apigateway.requests";
  static final String BODY_SIZE = "http.server.response.body.size";
  static final String INTEGRATION = "aws.apigateway.integration.duration";

  /** A REST format with everything the request metrics read. */
  static final String FORMAT =
      "{\"requestId\":\"$context.requestId\",\"apiId\":\"$context.apiId\",\"stage\":\"$context.stage\","
          + "\"requestTime\":$context.requestTimeEpoch,\"httpMethod\":\"$context.httpMethod\","
          + "\"resourcePath\":\"$context.resourcePath\",\"status\":$context.status,"
          + "\"responseLength\":$context.responseLength,\"responseLatency\":$context.responseLatency,"
          + "\"integrationLatency\":$context.integrationLatency,\"xrayTraceId\":\"$context.xrayTraceId\"}";

  final MutableClock clock;
  final InMemoryLogRecordExporter logs = InMemoryLogRecordExporter.create();
  final SdkLoggerProvider loggerProvider =
      SdkLoggerProvider.builder()
          .addLogRecordProcessor(SimpleLogRecordProcessor.create(logs))
          .build();
  final InMemoryMetricReader reader;
  final RequestMetrics requestMetrics;
  final SdkMeterProvider meterProvider;
  final AccessLogBridge bridge;
  final AccessLogFormat format = AccessLogFormat.of(FORMAT);

  RequestMetricsHarness(long nowMillis, AggregationTemporality temporality) {
    this(nowMillis, temporality, builder -> {});
  }

  RequestMetricsHarness(
      long nowMillis,
      AggregationTemporality temporality,
      Consumer<RequestMetrics.Builder> settings) {
    clock = new MutableClock(nowMillis);
    reader =
        temporality == AggregationTemporality.DELTA
            ? InMemoryMetricReader.createDelta()
            : InMemoryMetricReader.create();
    RequestMetrics.Builder builder =
        RequestMetrics.builder().setAggregationTemporality(temporality).setClock(clock);
    settings.accept(builder);
    requestMetrics = builder.build();
    meterProvider =
        SdkMeterProvider.builder()
            .registerMetricReader(reader)
            .registerMetricProducer(requestMetrics.metricProducer())
            .build();
    bridge =
        AccessLogBridge.builder(loggerProvider)
            .setFormat(format)
            .setMeterProvider(meterProvider)
            .setCloudRegion("eu-west-1")
            .setCloudAccountId("123456789012")
            .setRequestMetrics(requestMetrics)
            .build();
  }

  /** A line of {@link #FORMAT}; {@code trace} null for none. */
  static String line(
      String requestId,
      long epochMillis,
      String method,
      String route,
      int status,
      long latencyMs,
      String trace) {
    return "{\"requestId\":\""
        + requestId
        + "\",\"apiId\":\"a1b2c3d4e5\",\"stage\":\"prod\","
        + "\"requestTime\":"
        + epochMillis
        + ",\"httpMethod\":\""
        + method
        + "\","
        + "\"resourcePath\":\""
        + route
        + "\",\"status\":"
        + status
        + ",\"responseLength\":321,"
        + "\"responseLatency\":"
        + latencyMs
        + ",\"integrationLatency\":"
        + Math.max(0, latencyMs - 8)
        + ",\"xrayTraceId\":\""
        + (trace == null ? "-" : trace)
        + "\"}";
  }

  void emit(String line) {
    bridge.emit(format, line, LogOrigin.unknown(), clock.millis());
  }

  /** One collection: what a reader gets now. */
  List<MetricData> collect() {
    return new ArrayList<>(reader.collectAllMetrics());
  }

  static List<HistogramPointData> histogram(List<MetricData> metrics, String name) {
    List<HistogramPointData> points = new ArrayList<>();
    for (MetricData metric : metrics) {
      if (metric.getName().equals(name)) {
        points.addAll(metric.getHistogramData().getPoints());
      }
    }
    return points;
  }

  static List<LongPointData> sum(List<MetricData> metrics, String name) {
    List<LongPointData> points = new ArrayList<>();
    for (MetricData metric : metrics) {
      if (metric.getName().equals(name)) {
        points.addAll(metric.getLongSumData().getPoints());
      }
    }
    return points;
  }

  static MetricData metric(List<MetricData> metrics, String name) {
    return metrics.stream().filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
  }

  /** The sum of a self-metric counter over points whose attributes include {@code attributes}. */
  static long counter(List<MetricData> metrics, String name, Attributes attributes) {
    long total = 0;
    for (LongPointData point : sum(metrics, name)) {
      boolean matches = true;
      for (Map.Entry<AttributeKey<?>, Object> e : attributes.asMap().entrySet()) {
        matches &= e.getValue().equals(point.getAttributes().get(e.getKey()));
      }
      if (matches) {
        total += point.getValue();
      }
    }
    return total;
  }

  @Override
  public void close() {
    loggerProvider.close();
    meterProvider.close();
  }
}
