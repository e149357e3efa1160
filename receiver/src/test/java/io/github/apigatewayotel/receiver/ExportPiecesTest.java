package io.github.apigatewayotel.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.apigatewayotel.testing.otlp.OtlpGrpcTestReceiver;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A catch-up (the receiver down for 200 periods) holds far more than one OTLP request may: the
 * receiver hands the SDK bounded pieces, and an OTLP/gRPC backend with an OpenTelemetry Collector's
 * default limit (4 MiB per message) gets every point exactly once, in requests under the limit.
 */
class ExportPiecesTest {

  /**
   * gRPC's default maximum inbound message, which a Collector's OTLP/gRPC receiver keeps by
   * default.
   */
  static final int COLLECTOR_GRPC_LIMIT = 4 * 1024 * 1024;

  @RegisterExtension final ReceiverHarness harness = ReceiverHarness.demo();
  OtlpGrpcTestReceiver backend;

  @BeforeEach
  void setUp() throws Exception {
    backend = OtlpGrpcTestReceiver.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    backend.close();
  }

  @Test
  void aCatchUpOf200PeriodsReachesABackendWithTheCollectorsDefaultLimitInPiecesEveryPointOnce(
      @TempDir Path state) throws Exception {
    try (var first =
        harness.export(
            harness.receiverBuilder().detailedMetrics(false).stateDirectory(state).build())) {
      first.pollAndExport(); // the receiver ran, then stopped for 200 minutes
    }
    harness.clock.advance(Duration.ofMinutes(200));

    MetricExportConfirmations confirmations = MetricExportConfirmations.create();
    MetricReaderLanes lanes = MetricReaderLanes.create();
    ApiGatewayMetricsReceiver receiver =
        harness
            .receiverBuilder()
            .maxExportPoints(ApiGatewayMetricsReceiver.DEFAULT_MAX_EXPORT_POINTS)
            .detailedMetrics(false)
            .stateDirectory(state)
            .exportConfirmations(confirmations)
            .metricReaderLanes(lanes)
            .build();
    SdkMeterProvider provider =
        SdkMeterProvider.builder()
            .registerMetricReader(
                lanes.wrap(
                    PeriodicMetricReader.builder(
                            confirmations.wrap(
                                OtlpGrpcMetricExporter.builder()
                                    .setEndpoint(backend.endpoint())
                                    .build()))
                        .setInterval(
                            Duration.ofHours(
                                1)) // only the first flush is the test's: the receiver asks for the
                        // rest
                        .build()))
            .registerMetricProducer(receiver.metricProducer())
            .build();
    try {
      PollSummary catchUp = receiver.pollOnce();
      long points = catchUp.pointsExported();
      provider.forceFlush().join(30, TimeUnit.SECONDS);

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(receivedPoints())
                      .as("points delivered, %d requests refused", backend.rejectedRequests())
                      .isGreaterThanOrEqualTo(points));
      List<ExportMetricsServiceRequest> requests = backend.metricRequests();
      assertThat(backend.rejectedRequests()).isZero();
      assertThat(requests.stream().mapToLong(ExportMetricsServiceRequest::getSerializedSize).sum())
          .as("more than one request may hold")
          .isGreaterThan(2L * COLLECTOR_GRPC_LIMIT);
      assertThat(requests)
          .hasSizeGreaterThanOrEqualTo(
              (int) (points / ApiGatewayMetricsReceiver.DEFAULT_MAX_EXPORT_POINTS));
      assertThat(requests)
          .allSatisfy(
              request ->
                  assertThat(request.getSerializedSize())
                      .isLessThanOrEqualTo(COLLECTOR_GRPC_LIMIT));
      Set<String> keys = new HashSet<>();
      for (ExportMetricsServiceRequest request : requests) {
        forEachPoint(
            request,
            (metric, point) ->
                assertThat(
                        keys.add(
                            metric.getName()
                                + point.getAttributesList()
                                + "@"
                                + point.getTimeUnixNano()))
                    .as("delivered twice")
                    .isTrue());
      }
      assertThat(keys).hasSize((int) points);
      System.out.printf(
          "catch-up of %d points: %d OTLP/gRPC requests of %,d bytes together, the largest %,d bytes%n",
          points,
          requests.size(),
          requests.stream().mapToLong(ExportMetricsServiceRequest::getSerializedSize).sum(),
          requests.stream()
              .mapToInt(ExportMetricsServiceRequest::getSerializedSize)
              .max()
              .orElse(0));
    } finally {
      receiver.close();
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void closingTheReceiverExportsEveryPendingPieceBeforeTheHostsFinalFlush() throws Exception {
    MetricExportConfirmations confirmations = MetricExportConfirmations.create();
    MetricReaderLanes lanes = MetricReaderLanes.create();
    ApiGatewayMetricsReceiver receiver =
        harness
            .receiverBuilder()
            .maxExportPoints(ApiGatewayMetricsReceiver.DEFAULT_MAX_EXPORT_POINTS)
            .exportConfirmations(confirmations)
            .metricReaderLanes(lanes)
            .build();
    SdkMeterProvider provider =
        SdkMeterProvider.builder()
            .registerMetricReader(
                lanes.wrap(
                    PeriodicMetricReader.builder(
                            confirmations.wrap(
                                OtlpGrpcMetricExporter.builder()
                                    .setEndpoint(backend.endpoint())
                                    .build()))
                        .setInterval(Duration.ofHours(1))
                        .build()))
            .registerMetricProducer(receiver.metricProducer())
            .build();
    try {
      long points =
          receiver.pollOnce().pointsExported(); // as --once: one poll, then the host stops
      assertThat(points)
          .as("more than one piece")
          .isGreaterThan(ApiGatewayMetricsReceiver.DEFAULT_MAX_EXPORT_POINTS);
      receiver.close(); // the plugin stops before the SDK's final flush, which exports one piece
      assertThat(receivedPoints()).as("exported while the receiver closed").isEqualTo(points);
    } finally {
      receiver.close();
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  private long receivedPoints() {
    long[] count = {0};
    for (ExportMetricsServiceRequest request : backend.metricRequests()) {
      forEachPoint(request, (metric, point) -> count[0]++);
    }
    return count[0];
  }

  private static void forEachPoint(
      ExportMetricsServiceRequest request,
      java.util.function.BiConsumer<Metric, NumberDataPoint> action) {
    for (ResourceMetrics resource : request.getResourceMetricsList()) {
      for (ScopeMetrics scope : resource.getScopeMetricsList()) {
        for (Metric metric : scope.getMetricsList()) {
          if (!metric.getName().startsWith("aws.apigateway.")) {
            continue;
          }
          List<NumberDataPoint> points =
              metric.hasSum()
                  ? metric.getSum().getDataPointsList()
                  : metric.getGauge().getDataPointsList();
          points.forEach(point -> action.accept(metric, point));
        }
      }
    }
  }
}
