package io.github.apigatewayotel.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.apigatewayotel.testing.junit.SimulatedAwsExtension;
import io.github.apigatewayotel.testing.otlp.OtlpBackend;
import io.github.apigatewayotel.testing.otlp.OtlpGrpcTestReceiver;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.github.apigatewayotel.testing.otlp.ReceivedLog;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OTLP backend answers 503 for a while, then recovers: every access-log line (from a file and
 * from CloudWatch Logs) and every CloudWatch datapoint produced meanwhile arrives afterwards, once.
 * The plugin runs as a host runs it: SDK autoconfigure, the real OTLP exporters (HTTP and gRPC)
 * with their default retries and batch processors. The outage lasts {@code -Doutage.seconds}
 * (default 12, past the OTLP exporter's own retries; docs/RELIABILITY.md gives the 60-second
 * command).
 */
class OtlpOutageIT {

  private static final String REGION = "eu-west-1";
  private static final String ACCOUNT = "123456789012";
  private static final String GROUP = "api-gateway-outage";
  private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("outage.seconds", 12));

  @TempDir Path dir;

  @RegisterExtension
  final SimulatedAwsExtension aws =
      SimulatedAwsExtension.demoAccount(ACCOUNT, REGION, 7).withLogs().withTestCredentials();

  private OtlpBackend otlp;

  @BeforeEach
  void createGroup() {
    aws.logs().createLogGroup(GROUP);
  }

  @AfterEach
  void stop() {
    if (otlp != null) {
      otlp.close();
    }
  }

  @Test
  void overHttpEveryLineAndDatapointOfA503OutageArrivesAfterwardsOnce() throws Exception {
    otlp = OtlpTestReceiver.start();
    runOutage();
  }

  @Test
  void overGrpcEveryLineAndDatapointOfAnUnavailableOutageArrivesAfterwardsOnce() throws Exception {
    otlp = OtlpGrpcTestReceiver.start();
    runOutage();
  }

  private void runOutage() throws Exception {
    Path file = dir.resolve("access.log");
    Files.createFile(file);
    otlp.refuse(true); // down from the start: the first poll's datapoints meet the outage
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(
                () ->
                    Map.ofEntries(
                        Map.entry("otel.service.name", "outage-test"),
                        Map.entry("otel.traces.exporter", "none"),
                        Map.entry("otel.metrics.exporter", "otlp"),
                        Map.entry("otel.logs.exporter", "otlp"),
                        Map.entry("otel.exporter.otlp.protocol", otlp.protocol()),
                        Map.entry("otel.exporter.otlp.endpoint", otlp.endpoint()),
                        Map.entry("otel.metric.export.interval", "1000"),
                        Map.entry("otel.blrp.schedule.delay", "200"),
                        Map.entry("otel.apigateway.regions", REGION),
                        Map.entry("otel.apigateway.aws.endpoint", aws.endpoint().toString()),
                        Map.entry("otel.apigateway.aws.account.id", ACCOUNT),
                        Map.entry("otel.apigateway.state.dir", dir.resolve("state").toString()),
                        // -Doutage.confirm=false measures the hand-over-counts baseline (it fails)
                        Map.entry(
                            "otel.apigateway.export.confirm",
                            System.getProperty("outage.confirm", "true")),
                        // one poll: its datapoints are what the outage must not lose
                        Map.entry("otel.apigateway.metrics.interval", "1h"),
                        Map.entry("otel.apigateway.logs.source", "cloudwatch,file:" + file),
                        Map.entry("otel.apigateway.logs.groups", GROUP),
                        Map.entry("otel.apigateway.logs.interval", "500ms"),
                        Map.entry(
                            "otel.apigateway.logs.format", "$context.requestId $context.status")))
            .build()
            .getOpenTelemetrySdk();
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger written = new AtomicInteger();
    Thread writer = new Thread(() -> writeLines(file, writing, written), "outage-test-writer");
    long peakHeap = 0;
    try {
      writer.start();
      long outageEnd = System.nanoTime() + OUTAGE.toNanos();
      while (System.nanoTime() < outageEnd) {
        Thread.sleep(200);
        peakHeap = Math.max(peakHeap, usedHeap());
      }
      int refused = otlp.rejectedRequests();
      otlp.refuse(false); // the backend recovers
      Thread.sleep(2_000); // lines keep coming after the outage too
      writing.set(false);
      writer.join(10_000);
      int lines = written.get();
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () ->
                  assertThat(distinctLines() >= lines && pointsMatchTheReceiversCount())
                      .as(
                          "lines written %s, received %s (%s distinct); points %s, receiver says %s",
                          lines,
                          otlp.logRecords().size(),
                          distinctLines(),
                          datapointKeys().size(),
                          receiverEmitted())
                      .isTrue());
      Map<String, Integer> lineCounts = countLines();
      Map<String, Integer> pointCounts = datapointKeys();
      System.out.printf(
          "%s outage %ss: refused exports %s; lines written %s, received %s, distinct %s, duplicated"
              + " %s; datapoints emitted %s, received %s, duplicated %s; records emitted again %s;"
              + " peak heap during outage %s MiB%n",
          otlp.protocol(),
          OUTAGE.toSeconds(),
          refused,
          lines,
          otlp.logRecords().size(),
          lineCounts.size(),
          duplicates(lineCounts),
          receiverEmitted(),
          pointCounts.size(),
          duplicates(pointCounts),
          counter("apigateway_otel.logs.redelivered"),
          peakHeap >> 20);
      assertThat(refused).as("the outage refused exports").isPositive();
      assertThat(lineCounts).hasSize(lines);
      assertThat(duplicates(lineCounts)).isZero();
      assertThat(pointCounts).isNotEmpty();
      assertThat(duplicates(pointCounts)).isZero();
      // Not asserted: that records were emitted again. The OTLP exporter retries UNAVAILABLE
      // itself (1 s doubling to 5 s), so a batch refused near the outage's end may get through on
      // its own retry; whether the tracker re-emits anything depends on that timing (a CI run of
      // 2026-11-30 had 0 over gRPC). What matters is asserted above: every line once.
    } finally {
      writing.set(false);
      sdk.close();
    }
  }

  /** Appends a uniquely numbered line to the file and one event to the log group every 20 ms. */
  private void writeLines(Path file, AtomicBoolean writing, AtomicInteger written) {
    int n = 0;
    while (writing.get()) {
      try {
        Files.writeString(
            file, "f-" + n + " 200\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        aws.logs().putLogEvent(GROUP, "s1", System.currentTimeMillis(), "c-" + n + " 200");
        n++;
        written.set(2 * n);
        Thread.sleep(20);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private Map<String, Integer> countLines() {
    Map<String, Integer> counts = new HashMap<>();
    for (ReceivedLog log : otlp.logRecords()) {
      String id = log.stringAttribute("aws.request_id");
      if (id != null) {
        counts.merge(id, 1, Integer::sum);
      }
    }
    return counts;
  }

  private int distinctLines() {
    return countLines().size();
  }

  private Map<String, Integer> datapointKeys() {
    return ReceivedDatapoints.byKey(otlp);
  }

  /** The latest value of one of the plugin's own counters, as exported. */
  private OptionalLong counter(String name) {
    return ReceivedDatapoints.counter(otlp, name);
  }

  private long receiverEmitted() {
    return counter("apigateway_otel.receiver.datapoints.exported").orElse(-1);
  }

  private boolean pointsMatchTheReceiversCount() {
    long emitted = receiverEmitted();
    return emitted > 0 && datapointKeys().size() == emitted;
  }

  private static int duplicates(Map<String, Integer> counts) {
    return counts.values().stream().mapToInt(n -> n - 1).sum();
  }

  private static long usedHeap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
