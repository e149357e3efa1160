package io.github.apigatewayotel.logs.benchmark;

import static org.awaitility.Awaitility.await;

import io.github.apigatewayotel.logs.AccessLogBridge;
import io.github.apigatewayotel.logs.AccessLogFormat;
import io.github.apigatewayotel.logs.LogOrigin;
import io.github.apigatewayotel.logs.OtlpLoggerProviders;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.core.ConditionTimeoutException;

/**
 * End-to-end records per second on loopback: seed-JSON lines through the bridge, the real SDK
 * (BatchLogRecordProcessor + OTLP/HTTP protobuf exporter) into {@link OtlpTestReceiver}, which
 * decodes every request with the official protobufs and counts its records (counting-only mode: it
 * keeps no decoded message, else the GC copying the growing live set is what gets measured). The
 * producer never runs more than one queue ahead of what the receiver has decoded, so nothing is
 * dropped and the figure is what actually arrived. It also prints the CPU each stage used per
 * record ({@link CpuByThreadGroup}): on loopback every stage shares the same cores, so their sum
 * bounds the figure. Usage: {@code AccessLogOtlpThroughput [records]} (default 300000), system
 * properties {@code batch}, {@code queue}, {@code delayMs}, {@code sender} ({@code jdk}, the
 * default, or {@code okhttp}); see docs/BENCHMARKS.md.
 */
public final class AccessLogOtlpThroughput {

  private static final int QUEUE = Integer.getInteger("queue", 65_536);
  private static final int BATCH = Integer.getInteger("batch", 8_192);
  private static final int SCHEDULE_DELAY_MS = Integer.getInteger("delayMs", 20);

  /**
   * The exporter's HTTP stack. OkHttp (the exporter's default) leaves Nagle's algorithm on: the
   * tail of each request waits for the receiver's delayed ACK, ~40 ms per export on loopback. The
   * JDK HttpClient sender (an official alternative) sets TCP_NODELAY.
   */
  private static final Map<String, String> SENDER_PROVIDERS =
      Map.of(
          "jdk", "io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSenderProvider",
          "okhttp", "io.opentelemetry.exporter.sender.okhttp.internal.OkHttpHttpSenderProvider");

  private static final String SENDER_PROVIDER_PROPERTY =
      "io.opentelemetry.sdk.common.export.HttpSenderProvider";
  private static final int WARM_UP = 100_000;

  private AccessLogOtlpThroughput() {}

  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 300_000;
    String[] lines = SampleLines.lines("json");
    String sender = System.getProperty("sender", "jdk");
    String senderProvider = SENDER_PROVIDERS.get(sender);
    if (senderProvider == null) {
      throw new IllegalArgumentException("-Dsender must be one of " + SENDER_PROVIDERS.keySet());
    }
    System.setProperty(SENDER_PROVIDER_PROPERTY, senderProvider);
    try (OtlpTestReceiver receiver = OtlpTestReceiver.startCountingOnly()) {
      SdkLoggerProvider loggerProvider =
          OtlpLoggerProviders.exportingTo(
              receiver,
              batch ->
                  batch
                      .setMaxQueueSize(QUEUE)
                      .setMaxExportBatchSize(BATCH)
                      .setScheduleDelay(Duration.ofMillis(SCHEDULE_DELAY_MS)));
      try {
        AccessLogBridge bridge =
            AccessLogBridge.builder(loggerProvider)
                .setFormat(AccessLogFormat.of("json"))
                .setCloudRegion("eu-west-1")
                .build();
        LogOrigin origin = LogOrigin.cloudWatchLogs("api-gateway-prod", "s", null, "123456789012");
        run(bridge, origin, lines, WARM_UP, receiver, loggerProvider);
        CpuByThreadGroup cpu = new CpuByThreadGroup(AccessLogOtlpThroughput::threadGroup);
        cpu.start();
        long start = System.nanoTime();
        long arrived = run(bridge, origin, lines, records, receiver, loggerProvider);
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Long> cpuNanos = cpu.stop();
        System.out.printf(
            "end-to-end (sender %s, batch %d, queue %d): %d of %d records decoded by the receiver in %.2f s"
                + " = %.0f records/s%n",
            sender, BATCH, QUEUE, arrived, records, seconds, arrived / seconds);
        printCpu(cpuNanos, arrived);
      } finally {
        loggerProvider.shutdown().join(30, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Where the CPU went, per record: what the records/s figure can be on this machine follows from
   * it (every stage shares the same cores on loopback).
   */
  private static void printCpu(Map<String, Long> cpuNanos, long records) {
    long total = cpuNanos.values().stream().mapToLong(Long::longValue).sum();
    System.out.println("CPU per record (all threads of the one JVM, thread CPU time):");
    cpuNanos.forEach(
        (group, nanos) ->
            System.out.printf(
                "  %-45s %6.2f us  (%4.1f%%)%n",
                group, nanos / 1e3 / records, 100.0 * nanos / Math.max(1, total)));
    int cores = Runtime.getRuntime().availableProcessors();
    double perRecordMicros = total / 1e3 / records;
    System.out.printf(
        "  %-45s %6.2f us; %d cores fully busy would give at most %.0f records/s%n",
        "total", perRecordMicros, cores, cores * 1e6 / perRecordMicros);
  }

  private static String threadGroup(String threadName) {
    if (threadName.equals("main")) {
      return "producer: bridge + SDK emit (main)";
    }
    if (threadName.startsWith("BatchLogRecordProcessor")) {
      return "SDK export worker: record copy + marshal";
    }
    if (threadName.startsWith("HttpClient")
        || threadName.startsWith("jdkhttp-executor")
        || threadName.startsWith("OkHttp")) {
      return "exporter's HTTP sender: request body + I/O";
    }
    if (threadName.startsWith(OtlpTestReceiver.THREAD_NAME_PREFIX)
        || threadName.startsWith("HTTP-Dispatcher")) {
      return "receiver: HTTP + protobuf decode";
    }
    return "other Java threads";
  }

  private static long run(
      AccessLogBridge bridge,
      LogOrigin origin,
      String[] lines,
      int records,
      OtlpTestReceiver receiver,
      SdkLoggerProvider loggerProvider) {
    long base = receiver.logRecordCount();
    for (int i = 0; i < records; i++) {
      bridge.emit(lines[i & (SampleLines.COUNT - 1)], origin);
      if ((i & (BATCH - 1)) == BATCH - 1) {
        while (i + 1 - (receiver.logRecordCount() - base) > QUEUE - BATCH) {
          // Sleep, not spin: on two cores a spinning producer starves the exporter.
          LockSupport.parkNanos(500_000);
        }
      }
    }
    loggerProvider.forceFlush().join(30, TimeUnit.SECONDS);
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> receiver.logRecordCount() - base >= records);
    } catch (ConditionTimeoutException e) {
      // counted as it stands: the caller reports what arrived of what was sent
    }
    return receiver.logRecordCount() - base;
  }
}
