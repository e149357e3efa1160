package io.github.apigatewayotel.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.logs.CloudWatchLogsTestFixture.MutableClock;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once across redelivery: a record whose export failed is emitted again by the delivery
 * tracker, but its request was counted when the line was first read, and is not counted again.
 */
class RequestMetricsRedeliveryTest {

  private static final long M = 1_764_000_000_000L;
  private static final int LINES = 1_200;

  @TempDir Path directory;

  /** Fails its first three exports, then exports everything. */
  private static final class FailingFirstExports implements LogRecordExporter {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public CompletableResultCode export(Collection<LogRecordData> logs) {
      return calls.incrementAndGet() <= 3
          ? CompletableResultCode.ofFailure()
          : CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  @Test
  void recordsEmittedAgainAfterAFailedExportAreNotCountedAgain() throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < LINES; i++) {
      text.append("r").append(i).append(' ').append(M + i).append(" GET /pets 200 17\n");
    }
    Path file = directory.resolve("access.log");
    Files.writeString(file, text, StandardCharsets.UTF_8);

    MutableClock clock = new MutableClock(M + 60_000);
    RequestMetrics metrics =
        RequestMetrics.builder()
            .setAggregationTemporality(AggregationTemporality.DELTA)
            .setClock(clock)
            .build();
    FailingFirstExports exporter = new FailingFirstExports();
    SdkLoggerProvider[] provider = new SdkLoggerProvider[1];
    LogDeliveryTracker tracker = LogDeliveryTracker.create(() -> provider[0].forceFlush());
    provider[0] =
        SdkLoggerProvider.builder()
            .addLogRecordProcessor(
                BatchLogRecordProcessor.builder(tracker.wrap(exporter))
                    .setScheduleDelay(Duration.ofSeconds(30))
                    .build())
            .build();
    try {
      AccessLogBridge bridge =
          AccessLogBridge.builder(provider[0])
              .setFormat(
                  AccessLogFormat.of(
                      "$context.requestId $context.requestTimeEpoch $context.httpMethod $context.resourcePath"
                          + " $context.status $context.responseLatency"))
              .setDeliveryTracker(tracker)
              .setRequestMetrics(metrics)
              .build();
      try (FileAccessLogSource source = FileAccessLogSource.builder(file, bridge).build()) {
        assertThat(source.readToEnd()).isGreaterThanOrEqualTo(LINES);
      }
      assertThat(tracker.ledger().redelivered()).as("records were emitted again").isPositive();

      clock.setMillis(M + 10 * 60_000);
      long counted = 0;
      for (MetricData metric : metrics.metricProducer().produce(Resource.empty())) {
        if (metric.getName().equals("aws.apigateway.requests")) {
          for (LongPointData point : metric.getLongSumData().getPoints()) {
            counted += point.getValue();
          }
        }
      }
      assertThat(counted).isEqualTo(LINES);
    } finally {
      provider[0].close();
    }
  }
}
