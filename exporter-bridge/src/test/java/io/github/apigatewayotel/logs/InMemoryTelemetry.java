package io.github.apigatewayotel.logs;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.List;

/** A real SDK that keeps what it receives in memory, for unit tests of the bridge. */
final class InMemoryTelemetry implements AutoCloseable {

  final InMemoryLogRecordExporter logs = InMemoryLogRecordExporter.create();
  final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  final SdkLoggerProvider loggerProvider =
      SdkLoggerProvider.builder()
          .addLogRecordProcessor(SimpleLogRecordProcessor.create(logs))
          .build();
  final SdkMeterProvider meterProvider =
      SdkMeterProvider.builder().registerMetricReader(metrics).build();

  AccessLogBridge.Builder bridge() {
    return AccessLogBridge.builder(loggerProvider).setMeterProvider(meterProvider);
  }

  List<LogRecordData> records() {
    return logs.getFinishedLogRecordItems();
  }

  LogRecordData onlyRecord() {
    List<LogRecordData> records = records();
    if (records.size() != 1) {
      throw new AssertionError("expected exactly one record, got " + records.size());
    }
    return records.get(0);
  }

  /** The value of {@code apigateway_otel.logs.lines} for {@code outcome}, 0 when absent. */
  long linesCounted(String outcome) {
    for (MetricData metric : metrics.collectAllMetrics()) {
      if (!metric.getName().equals("apigateway_otel.logs.lines")) {
        continue;
      }
      for (LongPointData point : metric.getLongSumData().getPoints()) {
        if (outcome.equals(point.getAttributes().get(AttributeKey.stringKey("outcome")))) {
          return point.getValue();
        }
      }
    }
    return 0;
  }

  @Override
  public void close() {
    loggerProvider.close();
    meterProvider.close();
  }
}
