package io.github.apigatewayotel.push;

import io.github.apigatewayotel.logs.AccessLogBridge;
import io.github.apigatewayotel.logs.LogDeliveryTracker;
import io.github.apigatewayotel.receiver.MetricExportConfirmations;
import io.github.apigatewayotel.receiver.StreamedMetrics;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricExporter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * An endpoint on loopback over an SDK whose exporters keep what they export in memory and can be
 * made to fail (a backend outage), the exporters wrapped as the standalone host wraps them.
 */
final class EndpointHarness implements AutoCloseable {

  static final String ACCESS_KEY = "test-access-key-0123456789";

  final InMemoryMetricExporter metrics =
      InMemoryMetricExporter.create(AggregationTemporality.DELTA);
  final InMemoryLogRecordExporter logs = InMemoryLogRecordExporter.create();
  final AtomicBoolean backendDown = new AtomicBoolean();

  /** How long each export takes (a slow backend), in milliseconds. */
  final java.util.concurrent.atomic.AtomicLong exportDelayMillis =
      new java.util.concurrent.atomic.AtomicLong();

  final SdkMeterProvider meterProvider;
  final SdkLoggerProvider loggerProvider;
  final FirehoseEndpoint endpoint;
  private final HttpClient http = HttpClient.newHttpClient();

  EndpointHarness(Consumer<FirehoseEndpoint.Builder> settings) throws IOException {
    MetricExportConfirmations confirmations = MetricExportConfirmations.create();
    StreamedMetrics streamed = StreamedMetrics.create("aws.tag.", confirmations);
    meterProvider =
        SdkMeterProvider.builder()
            .registerMetricReader(
                PeriodicMetricReader.builder(confirmations.wrap(failing(metrics)))
                    .setInterval(Duration.ofHours(1))
                    .build())
            .registerMetricProducer(streamed)
            .build();
    LogDeliveryTracker tracker = LogDeliveryTracker.create(() -> loggerProviderFlush());
    loggerProvider =
        SdkLoggerProvider.builder()
            .addLogRecordProcessor(
                BatchLogRecordProcessor.builder(tracker.wrap(failing(logs)))
                    .setScheduleDelay(Duration.ofMillis(50))
                    .build())
            .build();
    AccessLogBridge bridge =
        AccessLogBridge.builder(loggerProvider).setDeliveryTracker(tracker).build();
    FirehoseEndpoint.Builder builder =
        FirehoseEndpoint.builder()
            .setAddress(new java.net.InetSocketAddress("127.0.0.1", 0))
            .setAccessKey(ACCESS_KEY)
            .setExportTimeout(Duration.ofSeconds(5))
            .setRequestTimeout(Duration.ofSeconds(2))
            .setThreads(4)
            .setShutdownGrace(Duration.ZERO)
            .setMetrics(streamed, meterProvider::forceFlush)
            .setLogs(bridge, null, null);
    settings.accept(builder);
    endpoint = builder.build();
  }

  private CompletableResultCode loggerProviderFlush() {
    return loggerProvider == null ? CompletableResultCode.ofSuccess() : loggerProvider.forceFlush();
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + endpoint.address().getPort() + path);
  }

  HttpResponse<String> post(
      String path, String requestId, String accessKey, byte[] body, boolean gzip)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .header("X-Amz-Firehose-Protocol-Version", "1.0")
            .header("X-Amz-Firehose-Request-Id", requestId)
            .header(
                "X-Amz-Firehose-Source-Arn",
                "arn:aws:firehose:us-east-1:123456789012:deliverystream/apigateway")
            .timeout(Duration.ofSeconds(30))
            .POST(
                HttpRequest.BodyPublishers.ofByteArray(
                    gzip ? FirehoseTestRequests.gzip(body) : body));
    if (accessKey != null) {
      request.header("X-Amz-Firehose-Access-Key", accessKey);
    }
    if (gzip) {
      request.header("Content-Encoding", "gzip");
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  List<MetricData> exportedMetrics() {
    // the SDK's own metrics (collection duration) are not the endpoint's
    return metrics.getFinishedMetricItems().stream()
        .filter(m -> m.getName().startsWith("aws.apigateway."))
        .toList();
  }

  List<LogRecordData> exportedLogs() {
    return logs.getFinishedLogRecordItems();
  }

  private MetricExporter failing(MetricExporter delegate) {
    return new MetricExporter() {
      @Override
      public CompletableResultCode export(Collection<MetricData> data) {
        long delay = exportDelayMillis.get();
        if (delay > 0) {
          CompletableResultCode later = new CompletableResultCode();
          java.util.concurrent.CompletableFuture.delayedExecutor(
                  delay, java.util.concurrent.TimeUnit.MILLISECONDS)
              .execute(() -> delegate.export(data).whenComplete(later::succeed));
          return later;
        }
        return backendDown.get() ? CompletableResultCode.ofFailure() : delegate.export(data);
      }

      @Override
      public CompletableResultCode flush() {
        return delegate.flush();
      }

      @Override
      public CompletableResultCode shutdown() {
        return delegate.shutdown();
      }

      @Override
      public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
        return AggregationTemporality.DELTA;
      }
    };
  }

  private LogRecordExporter failing(LogRecordExporter delegate) {
    return new LogRecordExporter() {
      @Override
      public CompletableResultCode export(Collection<LogRecordData> data) {
        return backendDown.get() ? CompletableResultCode.ofFailure() : delegate.export(data);
      }

      @Override
      public CompletableResultCode flush() {
        return delegate.flush();
      }

      @Override
      public CompletableResultCode shutdown() {
        return delegate.shutdown();
      }
    };
  }

  @Override
  public void close() {
    endpoint.close();
    meterProvider.close();
    loggerProvider.close();
  }
}
