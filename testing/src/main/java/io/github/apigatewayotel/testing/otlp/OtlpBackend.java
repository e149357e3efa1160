package io.github.apigatewayotel.testing.otlp;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.util.List;

/** An OTLP receiver on loopback, over HTTP or gRPC, as tests of outages see it. */
public interface OtlpBackend extends AutoCloseable {

  /** {@code http/protobuf} or {@code grpc}: the value of {@code otel.exporter.otlp.protocol}. */
  String protocol();

  /** The base URL exporters send to. */
  String endpoint();

  /** While {@code refusing}, every export is refused as a backend outage refuses it (503, UNAVAILABLE). */
  void refuse(boolean refusing);

  /** Exports refused so far. */
  int rejectedRequests();

  /** Every export request of logs accepted so far, decoded. */
  List<ExportLogsServiceRequest> logRequests();

  /** Every export request of metrics accepted so far, decoded. */
  List<ExportMetricsServiceRequest> metricRequests();

  /** Every log record accepted so far, with the resource and scope it came under. */
  default List<ReceivedLog> logRecords() {
    return OtlpExportRequests.logRecords(logRequests());
  }

  /** Every metric accepted so far, with the resource and scope it came under. */
  default List<ReceivedMetric> metrics() {
    return OtlpExportRequests.metrics(metricRequests());
  }

  @Override
  void close();
}
