package io.github.apigatewayotel.testing.otlp;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** An OTLP receiver on loopback, over HTTP or gRPC, as tests of outages see it. */
public interface OtlpBackend extends AutoCloseable {

  /** {@code http/protobuf} or {@code grpc}: the value of {@code otel.exporter.otlp.protocol}. */
  String protocol();

  /** The base URL exporters send to. */
  String endpoint();

  /**
   * While {@code refusing}, every export is refused as a backend outage refuses it (503,
   * UNAVAILABLE).
   */
  void refuse(boolean refusing);

  /**
   * From now on, rejects as invalid data every export whose decoded request matches (HTTP 400, gRPC
   * {@code INVALID_ARGUMENT}: permanent by the OTLP specification), recording nothing of it: a
   * backend refusing a poison record, and with it the batch it came in.
   */
  void rejectAsInvalid(
      Predicate<ExportLogsServiceRequest> logs, Predicate<ExportMetricsServiceRequest> metrics);

  /**
   * From now on, answers each export {@code delay} after recording it: a backend slower than the
   * exporter's timeout still stores what the exporter then reports as failed.
   */
  void delayResponses(Duration delay);

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
