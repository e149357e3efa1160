package io.github.apigatewayotel.logs.benchmark;

import io.github.apigatewayotel.logs.AccessLogBridge;
import io.github.apigatewayotel.logs.AccessLogFormat;
import io.github.apigatewayotel.logs.LogOrigin;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * End-to-end records per second on loopback: seed-JSON lines through the bridge, the real SDK
 * (BatchLogRecordProcessor + OTLP/HTTP protobuf exporter) into {@link OtlpTestReceiver}, which
 * decodes every request. The producer never runs more than one queue ahead of what the receiver
 * has decoded, so nothing is dropped and the figure is what actually arrived. Usage: {@code
 * AccessLogOtlpThroughput [records]} (default 300000), see BENCHMARKS.md.
 */
public final class AccessLogOtlpThroughput {

  private static final int QUEUE = Integer.getInteger("queue", 65_536);
  private static final int BATCH = Integer.getInteger("batch", 8_192);
  private static final int WARM_UP = 100_000;

  private AccessLogOtlpThroughput() {}

  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
    String[] lines = SampleLines.lines("json");
    try (OtlpTestReceiver receiver = OtlpTestReceiver.start()) {
      SdkLoggerProvider loggerProvider =
          SdkLoggerProvider.builder()
              .addLogRecordProcessor(
                  BatchLogRecordProcessor.builder(
                          OtlpHttpLogRecordExporter.builder()
                              .setEndpoint(receiver.endpoint() + "/v1/logs")
                              .build())
                      .setMaxQueueSize(QUEUE)
                      .setMaxExportBatchSize(BATCH)
                      .setScheduleDelay(Duration.ofMillis(20))
                      .build())
              .build();
      try {
        AccessLogBridge bridge =
            AccessLogBridge.builder(loggerProvider)
                .setFormat(AccessLogFormat.of("json"))
                .setCloudRegion("eu-west-1")
                .build();
        LogOrigin origin = LogOrigin.cloudWatchLogs("api-gateway-prod", "s", null, "123456789012");
        run(bridge, origin, lines, WARM_UP, receiver, loggerProvider);
        long start = System.nanoTime();
        long arrived = run(bridge, origin, lines, records, receiver, loggerProvider);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
            "end-to-end: %d of %d records decoded by the receiver in %.2f s = %.0f records/s%n",
            arrived, records, seconds, arrived / seconds);
      } finally {
        loggerProvider.shutdown().join(30, TimeUnit.SECONDS);
      }
    }
  }

  private static long run(
      AccessLogBridge bridge,
      LogOrigin origin,
      String[] lines,
      int records,
      OtlpTestReceiver receiver,
      SdkLoggerProvider loggerProvider) {
    RecordCounter counter = new RecordCounter(receiver);
    long base = counter.count();
    for (int i = 0; i < records; i++) {
      bridge.emit(lines[i & (SampleLines.COUNT - 1)], origin);
      if ((i & (BATCH - 1)) == BATCH - 1) {
        while (i + 1 - (counter.count() - base) > QUEUE - BATCH) {
          // Sleep, not spin: on two cores a spinning producer starves the exporter.
          LockSupport.parkNanos(500_000);
        }
      }
    }
    loggerProvider.forceFlush().join(30, TimeUnit.SECONDS);
    OtlpTestReceiver.await(Duration.ofSeconds(30), () -> counter.count() - base >= records);
    return counter.count() - base;
  }

  /** Counts decoded records, visiting each request once. */
  private static final class RecordCounter {
    private final OtlpTestReceiver receiver;
    private int requestsSeen;
    private long records;

    RecordCounter(OtlpTestReceiver receiver) {
      this.receiver = receiver;
    }

    long count() {
      List<ExportLogsServiceRequest> requests = receiver.logRequests();
      for (int i = requestsSeen; i < requests.size(); i++) {
        for (ResourceLogs resourceLogs : requests.get(i).getResourceLogsList()) {
          for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
            records += scopeLogs.getLogRecordsCount();
          }
        }
      }
      requestsSeen = requests.size();
      return records;
    }
  }
}
