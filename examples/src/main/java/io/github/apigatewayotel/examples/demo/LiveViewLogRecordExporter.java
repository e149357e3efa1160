package io.github.apigatewayotel.examples.demo;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.util.Collection;

/** Receives the log records the SDK would send and counts them per API, stage and route. */
final class LiveViewLogRecordExporter implements LogRecordExporter {

  private final LiveViewTable table;

  LiveViewLogRecordExporter(LiveViewTable table) {
    this.table = table;
  }

  @Override
  public CompletableResultCode export(Collection<LogRecordData> logs) {
    for (LogRecordData log : logs) {
      long time =
          log.getTimestampEpochNanos() != 0
              ? log.getTimestampEpochNanos()
              : log.getObservedTimestampEpochNanos();
      table.addLogRecord(log.getAttributes(), time);
    }
    return CompletableResultCode.ofSuccess();
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
