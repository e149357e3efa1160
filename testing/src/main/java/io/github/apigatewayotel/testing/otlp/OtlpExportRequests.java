package io.github.apigatewayotel.testing.otlp;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * Flattens decoded OTLP export requests into one entry per log record or metric, each with the
 * resource and scope it came under. Shared by the HTTP and the gRPC test receivers, so both report
 * what they received the same way.
 */
final class OtlpExportRequests {

  private OtlpExportRequests() {}

  static List<ReceivedLog> logRecords(Iterable<ExportLogsServiceRequest> requests) {
    List<ReceivedLog> records = new ArrayList<>();
    for (ExportLogsServiceRequest request : requests) {
      for (ResourceLogs resourceLogs : request.getResourceLogsList()) {
        for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
          for (LogRecord record : scopeLogs.getLogRecordsList()) {
            records.add(new ReceivedLog(resourceLogs.getResource(), scopeLogs.getScope(), record));
          }
        }
      }
    }
    return records;
  }

  static List<ReceivedMetric> metrics(Iterable<ExportMetricsServiceRequest> requests) {
    List<ReceivedMetric> metrics = new ArrayList<>();
    for (ExportMetricsServiceRequest request : requests) {
      for (ResourceMetrics resourceMetrics : request.getResourceMetricsList()) {
        for (ScopeMetrics scopeMetrics : resourceMetrics.getScopeMetricsList()) {
          for (Metric metric : scopeMetrics.getMetricsList()) {
            metrics.add(
                new ReceivedMetric(resourceMetrics.getResource(), scopeMetrics.getScope(), metric));
          }
        }
      }
    }
    return metrics;
  }

  /** The number data points of the {@code aws.apigateway.*} metrics in {@code request}. */
  static long apiGatewayPointCount(ExportMetricsServiceRequest request) {
    long points = 0;
    for (ResourceMetrics resourceMetrics : request.getResourceMetricsList()) {
      for (ScopeMetrics scopeMetrics : resourceMetrics.getScopeMetricsList()) {
        for (Metric metric : scopeMetrics.getMetricsList()) {
          if (metric.getName().startsWith("aws.apigateway.")) {
            points +=
                metric.hasSum()
                    ? metric.getSum().getDataPointsCount()
                    : metric.getGauge().getDataPointsCount();
          }
        }
      }
    }
    return points;
  }
}
