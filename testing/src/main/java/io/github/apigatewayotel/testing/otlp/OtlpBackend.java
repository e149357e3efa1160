package io.github.apigatewayotel.testing.otlp;

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

  /** Every log record accepted so far. */
  List<ReceivedLog> logRecords();

  /** Every metric accepted so far. */
  List<ReceivedMetric> metrics();

  @Override
  void close();
}
