package io.github.apigatewayotel.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sources move their checkpoints only past exported records: an exporter that fails, an SDK queue
 * that overflows, a restart in the middle of an outage; each line still leaves exactly once.
 */
class LogDeliveryTrackerTest {

  private static final AccessLogFormat FORMAT =
      AccessLogFormat.of("$context.requestId $context.status");

  @TempDir Path directory;

  private final FlakyExporter exporter = new FlakyExporter();
  private final List<SdkLoggerProvider> providers = new ArrayList<>();

  @AfterEach
  void close() {
    providers.forEach(SdkLoggerProvider::close);
  }

  /** What the backend answers to an export holding a poison line: a status not to retry. */
  private static final class InvalidData extends Exception {
    InvalidData() {
      super("400 Bad Request");
    }
  }

  /**
   * The host's exporter: fails while {@link #down}, fails with {@link InvalidData} every export
   * holding a line whose id starts with {@code poison}, keeps what it exported.
   */
  private static final class FlakyExporter implements LogRecordExporter {
    final AtomicBoolean down = new AtomicBoolean();
    final AtomicInteger failedExports = new AtomicInteger();
    final AtomicInteger rejectedExports = new AtomicInteger();
    final List<String> exported = new ArrayList<>();

    @Override
    public synchronized CompletableResultCode export(Collection<LogRecordData> logs) {
      if (down.get()) {
        failedExports.incrementAndGet();
        return CompletableResultCode.ofFailure();
      }
      if (logs.stream()
          .anyMatch(
              log ->
                  String.valueOf(log.getAttributes().get(AttributeKey.stringKey("aws.request_id")))
                      .startsWith("poison"))) {
        rejectedExports.incrementAndGet();
        return CompletableResultCode.ofExceptionalFailure(new InvalidData());
      }
      for (LogRecordData log : logs) {
        exported.add(log.getAttributes().get(AttributeKey.stringKey("aws.request_id")));
      }
      return CompletableResultCode.ofSuccess();
    }

    synchronized List<String> exported() {
      return new ArrayList<>(exported);
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

  private AccessLogBridge bridge(int queueSize) {
    return bridge(
        queueSize,
        LogDeliveryTracker.create(() -> providers.get(providers.size() - 1).forceFlush()));
  }

  private AccessLogBridge bridge(int queueSize, LogDeliveryTracker tracker) {
    SdkLoggerProvider[] provider = new SdkLoggerProvider[1];
    provider[0] =
        SdkLoggerProvider.builder()
            .addLogRecordProcessor(
                BatchLogRecordProcessor.builder(tracker.wrap(exporter))
                    .setMaxQueueSize(queueSize)
                    .setMaxExportBatchSize(Math.min(queueSize, 128))
                    .setScheduleDelay(Duration.ofSeconds(30))
                    .build())
            .build();
    providers.add(provider[0]);
    return AccessLogBridge.builder(provider[0])
        .setFormat(FORMAT)
        .setDeliveryTracker(tracker)
        .build();
  }

  private Path logFile(int lines) throws IOException {
    Path file = directory.resolve("access.log");
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < lines; i++) {
      text.append("r").append(i).append(" 200\n");
    }
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  private static void assertEachOnce(List<String> exported, int lines) {
    Map<String, Integer> counts = new HashMap<>();
    exported.forEach(id -> counts.merge(id, 1, Integer::sum));
    assertThat(counts).hasSize(lines);
    assertThat(counts.values()).allMatch(count -> count == 1);
  }

  @Test
  void recordsOfFailedExportsAreEmittedAgainAndLeaveOnce() throws Exception {
    Path file = logFile(1_500);
    AccessLogBridge bridge = bridge(2_048);
    exporter.down.set(true);
    Thread recover =
        new Thread(
            () -> {
              while (exporter.failedExports.get() < 3) {
                Thread.onSpinWait();
              }
              exporter.down.set(false);
            });
    recover.start();
    try (FileAccessLogSource source =
        FileAccessLogSource.builder(file, bridge)
            .setStateDirectory(directory.resolve("state"))
            .build()) {
      assertThat(source.readToEnd()).isGreaterThanOrEqualTo(1_500);
    }
    recover.join(10_000);
    assertThat(exporter.failedExports.get()).isGreaterThanOrEqualTo(3);
    assertEachOnce(exporter.exported(), 1_500);
  }

  @Test
  void recordsTheSdkQueueDroppedAreEmittedAgain() throws Exception {
    Path file = logFile(3_000);
    AccessLogBridge bridge = bridge(64); // far below a batch of 512: the queue overflows
    try (FileAccessLogSource source = FileAccessLogSource.builder(file, bridge).build()) {
      source.readToEnd();
    }
    assertEachOnce(exporter.exported(), 3_000);
  }

  @Test
  void aRestartDuringAnOutageResumesAfterTheLastExportedLine() throws Exception {
    Path file = logFile(2_000);
    Path state = directory.resolve("state");
    AtomicInteger piecesExported = new AtomicInteger();
    exporter.down.set(false);
    // First run: the backend goes down after the first piece; the host stops during the outage.
    AccessLogBridge first = bridge(2_048);
    FileAccessLogSource source =
        FileAccessLogSource.builder(file, first).setStateDirectory(state).build();
    Thread stopper =
        new Thread(
            () -> {
              while (exporter.exported().size() < 512) {
                Thread.onSpinWait();
              }
              exporter.down.set(true);
              while (exporter.failedExports.get() < 2) {
                Thread.onSpinWait();
              }
              piecesExported.set(exporter.exported().size());
              source.close();
            });
    stopper.start();
    source.readToEnd();
    stopper.join(20_000);
    source.close();
    // The host stops during the outage: its SDK goes with it (its last flush fails too), so no
    // record of the first run can reach the backend once it is back. (Without this, the first
    // run's batch processor exported what it still held after the backend came back: the same
    // lines as the second run, in 2 of 40 repetitions.)
    providers.get(0).close();
    assertThat(piecesExported.get()).isLessThan(2_000);
    // Second run, backend back: everything not exported before leaves now, nothing twice.
    exporter.down.set(false);
    try (FileAccessLogSource again =
        FileAccessLogSource.builder(file, bridge(2_048)).setStateDirectory(state).build()) {
      again.readToEnd();
    }
    assertEachOnce(exporter.exported(), 2_000);
  }

  @Test
  void aLineTheBackendRejectsForGoodIsGivenUpAfterAFewRoundsAndTheSourceGoesOn() throws Exception {
    Path file = directory.resolve("access.log");
    Files.writeString(file, "poison-1 200\n", StandardCharsets.UTF_8);
    LogDeliveryTracker tracker =
        LogDeliveryTracker.create(
            () -> providers.get(providers.size() - 1).forceFlush(),
            failure -> failure instanceof InvalidData ? "HTTP 400: fix the data" : null);
    AccessLogBridge bridge = bridge(2_048, tracker);
    try (FileAccessLogSource source =
        FileAccessLogSource.builder(file, bridge)
            .setStateDirectory(directory.resolve("state"))
            .build()) {
      assertThat(source.readToEnd()).isEqualTo(1); // returns: the line no longer holds the source
      Files.writeString(
          file, "r1 200\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
      assertThat(source.readToEnd()).isEqualTo(1); // past the given-up line: it is not read again
    }
    assertThat(exporter.rejectedExports.get()).isEqualTo(5);
    assertThat(tracker.ledger().rejected()).isEqualTo(1);
    assertThat(exporter.exported()).containsExactly("r1");
  }

  @Test
  void withoutAClassifierNoRejectionIsPermanentAndTheLineIsEmittedAgain() throws Exception {
    Path file = directory.resolve("access.log");
    Files.writeString(file, "poison-1 200\n", StandardCharsets.UTF_8);
    AccessLogBridge bridge = bridge(2_048); // every failure may pass: the default
    try (FileAccessLogSource source = FileAccessLogSource.builder(file, bridge).build()) {
      Thread read = new Thread(source::readToEnd, "reader");
      read.start();
      await().atMost(Duration.ofSeconds(60)).until(() -> exporter.rejectedExports.get() > 5);
      assertThat(read.isAlive()).as("still emitting it again, not given up").isTrue();
      source.close();
      read.join(10_000);
    }
    assertThat(exporter.exported()).isEmpty();
  }

  @Test
  void recordsAProcessorFiltersOutAreGivenUpOnNotAwaitedForever() throws Exception {
    Path file = logFile(10);
    // As if a processor filtered them: the records never reach the wrapped exporter.
    SdkLoggerProvider[] provider = new SdkLoggerProvider[1];
    LogDeliveryTracker tracker = LogDeliveryTracker.create(() -> provider[0].forceFlush());
    tracker.wrap(exporter); // wrapped, but not the exporter this provider uses
    provider[0] =
        SdkLoggerProvider.builder()
            .addLogRecordProcessor(BatchLogRecordProcessor.builder(new FlakyExporter()).build())
            .build();
    providers.add(provider[0]);
    AccessLogBridge bridge =
        AccessLogBridge.builder(provider[0]).setFormat(FORMAT).setDeliveryTracker(tracker).build();
    try (FileAccessLogSource source = FileAccessLogSource.builder(file, bridge).build()) {
      assertThat(source.readToEnd()).isGreaterThanOrEqualTo(10);
    }
    assertThat(tracker.ledger().undeliverable()).isEqualTo(10);
  }

  @Test
  void aSubscriptionDeliveryReportsWhetherEveryRecordWasExportedByTheDeadline() throws Exception {
    List<String> lines = new java.util.ArrayList<>();
    for (int i = 0; i < 1_200; i++) {
      lines.add("s" + i + " 200");
    }
    CloudWatchLogsSubscription delivery =
        CloudWatchLogsSubscription.decode(
            CloudWatchLogsSubscriptionTest.dataMessage(
                "api-gateway-prod", "s", "123456789012", lines));
    AccessLogBridge bridge = bridge(2_048);
    exporter.down.set(true);
    long soon = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(300);
    assertThat(delivery.deliverTo(bridge, null, "eu-west-1", soon)).isFalse(); // Lambda retries
    assertThat(exporter.exported()).isEmpty();

    exporter.down.set(false); // the retry, backend back
    long later = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    assertThat(delivery.deliverTo(bridge, null, "eu-west-1", later)).isTrue();
    Map<String, Integer> counts = new HashMap<>();
    exporter.exported().forEach(id -> counts.merge(id, 1, Integer::sum));
    assertThat(counts).hasSize(1_200).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
  }

  @Test
  void withoutATrackerTheHandOverCountsAsDelivered() throws Exception {
    Path file = logFile(100);
    SdkLoggerProvider provider =
        SdkLoggerProvider.builder()
            .addLogRecordProcessor(BatchLogRecordProcessor.builder(exporter).build())
            .build();
    providers.add(provider);
    exporter.down.set(true);
    AccessLogBridge bridge = AccessLogBridge.builder(provider).setFormat(FORMAT).build();
    try (FileAccessLogSource source = FileAccessLogSource.builder(file, bridge).build()) {
      assertThat(source.readToEnd()).isEqualTo(100); // returns at once: nothing awaited
    }
    provider.forceFlush().join(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(exporter.exported()).isEmpty();
  }
}
