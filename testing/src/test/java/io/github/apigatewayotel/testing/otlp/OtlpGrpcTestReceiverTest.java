package io.github.apigatewayotel.testing.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SDK's real OTLP/gRPC exporters (over OkHttp, as hosts run them) export to the receiver: what
 * they send comes back decoded, and while the receiver refuses, their exports fail and every
 * attempt is counted.
 */
class OtlpGrpcTestReceiverTest {

  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  private static final AttributeKey<Long> STATUS_CODE =
      AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  private static final Resource RESOURCE =
      Resource.create(Attributes.of(SERVICE_NAME, "grpc-receiver-test"));
  private static final String SCOPE = "io.github.apigatewayotel.test";

  /** Bounds each export; exports on loopback take milliseconds. */
  private static final long EXPORT_BOUND_SECONDS = 10;

  /** Attempts per export; UNAVAILABLE is retryable, so each one reaches the receiver. */
  private static final int ATTEMPTS = 3;

  private static final RetryPolicy FAST_RETRIES =
      RetryPolicy.builder()
          .setMaxAttempts(ATTEMPTS)
          .setInitialBackoff(Duration.ofMillis(5))
          .setMaxBackoff(Duration.ofMillis(5))
          .build();
  private static final String THREAD_PREFIX = "otlp-grpc-test-receiver";

  private OtlpGrpcTestReceiver receiver;
  private OtlpGrpcLogRecordExporter logExporter;
  private OtlpGrpcMetricExporter metricExporter;

  @BeforeEach
  void start() throws IOException {
    receiver = OtlpGrpcTestReceiver.start();
    logExporter =
        OtlpGrpcLogRecordExporter.builder()
            .setEndpoint(receiver.endpoint())
            .setRetryPolicy(FAST_RETRIES)
            .build();
    metricExporter =
        OtlpGrpcMetricExporter.builder()
            .setEndpoint(receiver.endpoint())
            .setRetryPolicy(FAST_RETRIES)
            .setCompression("gzip")
            .build();
  }

  @AfterEach
  void stop() {
    logExporter.shutdown().join(EXPORT_BOUND_SECONDS, TimeUnit.SECONDS);
    metricExporter.shutdown().join(EXPORT_BOUND_SECONDS, TimeUnit.SECONDS);
    receiver.close();
  }

  @Test
  void logRecordsExportedOverGrpcComeBackDecodedWithTheirResourceAndScope() {
    assertThat(receiver.endpoint()).matches("http://127\\.0\\.0\\.1:\\d+");

    assertThat(export(logExporter.export(twoAccessLogRecords())).isSuccess()).isTrue();

    List<ReceivedLog> logs = receiver.logRecords();
    assertThat(logs)
        .extracting(ReceivedLog::body)
        .containsExactly("GET /pets 200", "GET /pets 503");
    assertThat(logs)
        .extracting(log -> log.attribute(STATUS_CODE.getKey()).map(AnyValue::getIntValue))
        .containsExactly(Optional.of(200L), Optional.of(503L));
    assertThat(logs)
        .extracting(log -> log.record().getSeverityText())
        .containsExactly("INFO", "ERROR");
    assertThat(logs).allSatisfy(log -> assertThat(log.scope().getName()).isEqualTo(SCOPE));
    assertThat(logs)
        .allSatisfy(
            log ->
                assertThat(ReceivedLog.find(log.resource().getAttributesList(), "service.name"))
                    .map(AnyValue::getStringValue)
                    .hasValue("grpc-receiver-test"));
    assertThat(receiver.logRequests()).hasSize(1);
    assertThat(receiver.metrics()).isEmpty();
    assertThat(receiver.rejectedRequests()).isZero();
  }

  @Test
  void gzipMetricsExportedOverGrpcComeBackDecoded() {
    assertThat(export(metricExporter.export(requestCounts())).isSuccess()).isTrue();

    List<ReceivedMetric> metrics = receiver.metrics();
    assertThat(metrics).extracting(ReceivedMetric::name).containsExactly("aws.apigateway.count");
    assertThat(pointsByRoute(metrics.get(0)))
        .containsOnly(Map.entry("/pets", 3L), Map.entry("/pets/{id}", 4L));
    assertThat(receiver.logRecords()).isEmpty();
    assertThat(receiver.rejectedRequests()).isZero();
  }

  @Test
  void duringAnOutageExportsFailAndEveryAttemptIsCountedThenTheSameBatchArrivesOnce() {
    Collection<LogRecordData> logs = twoAccessLogRecords();
    Collection<MetricData> metrics = requestCounts();
    receiver.refuse(true);

    assertThat(export(logExporter.export(logs)).isSuccess()).isFalse();
    assertThat(export(metricExporter.export(metrics)).isSuccess()).isFalse();
    assertThat(receiver.rejectedRequests()).isEqualTo(2 * ATTEMPTS);
    assertThat(receiver.logRecords()).isEmpty();
    assertThat(receiver.metrics()).isEmpty();

    receiver.refuse(false);
    assertThat(export(logExporter.export(logs)).isSuccess()).isTrue();
    assertThat(export(metricExporter.export(metrics)).isSuccess()).isTrue();
    assertThat(receiver.logRecords())
        .extracting(ReceivedLog::body)
        .containsExactly("GET /pets 200", "GET /pets 503");
    assertThat(receiver.metrics()).hasSize(1);
    assertThat(receiver.rejectedRequests()).isEqualTo(2 * ATTEMPTS);
  }

  @Test
  void theChosenStatusCodeReachesTheExporterWhichDoesNotRetryANonRetryableOne() {
    receiver.answerWith(Status.Code.INVALID_ARGUMENT);

    assertThat(export(logExporter.export(twoAccessLogRecords())).isSuccess()).isFalse();
    assertThat(receiver.rejectedRequests()).isEqualTo(1);

    receiver.answerWith(Status.Code.OK);
    assertThat(export(logExporter.export(twoAccessLogRecords())).isSuccess()).isTrue();
    assertThat(receiver.logRecords()).hasSize(2);
    assertThat(receiver.rejectedRequests()).isEqualTo(1);
  }

  @Test
  void closeEndsEveryThreadOfTheReceiverAndItsPort() throws IOException {
    Set<Thread> before = receiverThreads();
    OtlpGrpcTestReceiver second = OtlpGrpcTestReceiver.start();
    OtlpGrpcLogRecordExporter exporter =
        OtlpGrpcLogRecordExporter.builder()
            .setEndpoint(second.endpoint())
            .setRetryPolicy(FAST_RETRIES)
            .build();
    try {
      assertThat(export(exporter.export(twoAccessLogRecords())).isSuccess()).isTrue();
      Set<Thread> running = receiverThreads();
      running.removeAll(before);
      assertThat(running).isNotEmpty();

      second.close();

      assertThat(running).noneMatch(Thread::isAlive);
      assertThat(export(exporter.export(twoAccessLogRecords())).isSuccess()).isFalse();
      assertThat(second.logRecords()).hasSize(2);
    } finally {
      exporter.shutdown().join(EXPORT_BOUND_SECONDS, TimeUnit.SECONDS);
      second.close();
    }
  }

  private static CompletableResultCode export(CompletableResultCode result) {
    return result.join(EXPORT_BOUND_SECONDS, TimeUnit.SECONDS);
  }

  private static Set<Thread> receiverThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.getName().startsWith(THREAD_PREFIX))
        .collect(Collectors.toCollection(HashSet::new));
  }

  /** Two access-log records as the SDK's logger provider finishes them. */
  private static Collection<LogRecordData> twoAccessLogRecords() {
    InMemoryLogRecordExporter finished = InMemoryLogRecordExporter.create();
    try (SdkLoggerProvider provider =
        SdkLoggerProvider.builder()
            .setResource(RESOURCE)
            .addLogRecordProcessor(SimpleLogRecordProcessor.create(finished))
            .build()) {
      Logger logger = provider.get(SCOPE);
      logger
          .logRecordBuilder()
          .setBody("GET /pets 200")
          .setSeverity(Severity.INFO)
          .setSeverityText("INFO")
          .setAttribute(STATUS_CODE, 200L)
          .emit();
      logger
          .logRecordBuilder()
          .setBody("GET /pets 503")
          .setSeverity(Severity.ERROR)
          .setSeverityText("ERROR")
          .setAttribute(STATUS_CODE, 503L)
          .emit();
      return List.copyOf(finished.getFinishedLogRecordItems());
    }
  }

  /** One cumulative counter with a point per route: 3 for /pets, 4 for /pets/{id}. */
  private static Collection<MetricData> requestCounts() {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    try (SdkMeterProvider provider =
        SdkMeterProvider.builder().setResource(RESOURCE).registerMetricReader(reader).build()) {
      LongCounter count = provider.get(SCOPE).counterBuilder("aws.apigateway.count").build();
      count.add(3, Attributes.of(ROUTE, "/pets"));
      count.add(4, Attributes.of(ROUTE, "/pets/{id}"));
      return List.copyOf(reader.collectAllMetrics());
    }
  }

  private static Map<String, Long> pointsByRoute(ReceivedMetric metric) {
    return metric.metric().getSum().getDataPointsList().stream()
        .collect(Collectors.toMap(OtlpGrpcTestReceiverTest::routeOf, NumberDataPoint::getAsInt));
  }

  private static String routeOf(NumberDataPoint point) {
    return ReceivedLog.find(point.getAttributesList(), ROUTE.getKey())
        .map(AnyValue::getStringValue)
        .orElse(null);
  }
}
