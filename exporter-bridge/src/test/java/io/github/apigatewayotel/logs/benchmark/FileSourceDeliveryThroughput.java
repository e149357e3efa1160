package io.github.apigatewayotel.logs.benchmark;

import io.github.apigatewayotel.logs.AccessLogBridge;
import io.github.apigatewayotel.logs.AccessLogFormat;
import io.github.apigatewayotel.logs.FileAccessLogSource;
import io.github.apigatewayotel.logs.LogDeliveryTracker;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What waiting for the exporter's confirmation costs a file source catching up on a backlog: the
 * same file read to its end through the real SDK (default batch processor: queue 2,048, batch 512)
 * and OTLP/HTTP exporter (JDK sender) into the counting {@link OtlpTestReceiver}, once with the
 * hand-over to the SDK counting as delivered (no tracker) and once with a {@link
 * LogDeliveryTracker}, alternating round by round in one JVM. Reports lines delivered per second
 * each way (and what the SDK dropped) and the ratio. Usage: {@code FileSourceDeliveryThroughput
 * [lines] [rounds]} (default 200000, 4).
 */
public final class FileSourceDeliveryThroughput {

  private FileSourceDeliveryThroughput() {}

  public static void main(String[] args) throws Exception {
    int lines = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    System.setProperty(
        "io.opentelemetry.sdk.common.export.HttpSenderProvider",
        "io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSenderProvider");
    Path file = Files.createTempFile("access", ".log");
    try (OtlpTestReceiver receiver = OtlpTestReceiver.startCountingOnly()) {
      String[] sample = SampleLines.lines("json");
      try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        for (int i = 0; i < lines; i++) {
          out.write(sample[i & (SampleLines.COUNT - 1)]);
          out.newLine();
        }
      }
      double handOverTotal = 0;
      double confirmedTotal = 0;
      for (int round = 0; round <= rounds; round++) { // round 0 warms up both
        double handOver = linesPerSecond(file, lines, receiver, false);
        double confirmed = linesPerSecond(file, lines, receiver, true);
        System.out.printf(
            "round %d: hand-over %.0f lines/s, confirmed %.0f lines/s, ratio %.2f%n",
            round, handOver, confirmed, confirmed / handOver);
        if (round > 0) {
          handOverTotal += handOver;
          confirmedTotal += confirmed;
        }
      }
      System.out.printf(
          "mean of %d rounds: hand-over %.0f lines/s, confirmed %.0f lines/s, ratio %.2f%n",
          rounds, handOverTotal / rounds, confirmedTotal / rounds, confirmedTotal / handOverTotal);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** Reads the whole file once; the time ends when the receiver has decoded every line. */
  private static double linesPerSecond(
      Path file, int lines, OtlpTestReceiver receiver, boolean confirm) {
    SdkLoggerProvider[] provider = new SdkLoggerProvider[1];
    LogDeliveryTracker tracker = LogDeliveryTracker.create(() -> provider[0].forceFlush());
    LogRecordExporter exporter =
        OtlpHttpLogRecordExporter.builder().setEndpoint(receiver.endpoint() + "/v1/logs").build();
    provider[0] =
        SdkLoggerProvider.builder()
            .addLogRecordProcessor(
                BatchLogRecordProcessor.builder(confirm ? tracker.wrap(exporter) : exporter)
                    .build())
            .build();
    try {
      AccessLogBridge.Builder bridge =
          AccessLogBridge.builder(provider[0]).setFormat(AccessLogFormat.of("json"));
      if (confirm) {
        bridge.setDeliveryTracker(tracker);
      }
      long base = receiver.logRecordCount();
      long start = System.nanoTime();
      try (FileAccessLogSource source = FileAccessLogSource.builder(file, bridge.build()).build()) {
        source.readToEnd();
      }
      provider[0].forceFlush().join(60, TimeUnit.SECONDS);
      // The flush returns once the last export was answered: what has not arrived now never will.
      double seconds = (System.nanoTime() - start) / 1e9;
      long arrived = receiver.logRecordCount() - base;
      if (arrived < lines) {
        System.out.printf(
            "  (%s: %d of %d lines arrived, the SDK's full queue dropped %d)%n",
            confirm ? "confirmed" : "hand-over", arrived, lines, lines - arrived);
      }
      return arrived / seconds;
    } finally {
      provider[0].shutdown().join(30, TimeUnit.SECONDS);
    }
  }
}
