package io.github.apigatewayotel.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.apigatewayotel.testing.junit.SimulatedAwsExtension;
import io.github.apigatewayotel.testing.logging.CapturedLog;
import io.github.apigatewayotel.testing.otlp.OtlpBackend;
import io.github.apigatewayotel.testing.otlp.OtlpGrpcTestReceiver;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.github.apigatewayotel.testing.otlp.ReceivedLog;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backend that always rejects some batches as invalid (HTTP 400, gRPC INVALID_ARGUMENT: not to be
 * retried by the OTLP specification): an access-log line it refuses, and the receiver's first poll
 * of CloudWatch datapoints. Each is given up after a few rounds, counted and logged once with its
 * status, and its source goes on: the lines written after it arrive, and the metric exports (the
 * plugin's own counters with them) get through again. Before, both were re-emitted for ever and
 * nothing new arrived.
 */
class PoisonBatchIT {

  private static final String REGION = "eu-west-1";
  private static final String ACCOUNT = "123456789012";
  private static final String POISON = "POISON";

  @TempDir Path dir;

  @RegisterExtension
  final SimulatedAwsExtension aws =
      SimulatedAwsExtension.demoAccount(ACCOUNT, REGION, 7).withTestCredentials();

  private OtlpBackend otlp;
  private CapturedLog log;

  @BeforeEach
  void captureLog() {
    log = CapturedLog.of("io.github.apigatewayotel");
  }

  @AfterEach
  void stop() {
    log.close();
    if (otlp != null) {
      otlp.close();
    }
  }

  @Test
  void overHttpA400BatchIsGivenUpAndItsSourcesGoOn() throws Exception {
    otlp = OtlpTestReceiver.start();
    runPoison("HTTP 400");
  }

  @Test
  void overGrpcAnInvalidArgumentBatchIsGivenUpAndItsSourcesGoOn() throws Exception {
    otlp = OtlpGrpcTestReceiver.start();
    runPoison("gRPC INVALID_ARGUMENT");
  }

  private void runPoison(String status) throws Exception {
    otlp.rejectAsInvalid(PoisonBatchIT::holdsPoison, PoisonBatchIT::holdsCloudWatchPoints);
    Path file = dir.resolve("access.log");
    Files.writeString(file, POISON + "-1 200\n", StandardCharsets.UTF_8);
    long started = System.nanoTime();
    OpenTelemetrySdk sdk = startPlugin(file);
    long metricsThrough;
    long linesThrough;
    try {
      // The poison line is given up, and so is the first poll's batch of datapoints: the metric
      // exports then get through, carrying the count of what was given up.
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(
                          ReceivedDatapoints.counter(
                                  otlp, "apigateway_otel.receiver.datapoints.rejected")
                              .orElse(0))
                      .as(
                          "metric exports get through again; rejected so far %s",
                          otlp.rejectedRequests())
                      .isPositive());
      metricsThrough = System.nanoTime() - started;
      append(file, "after-1 200\n" + POISON + "-2 200\n");
      await("both poison lines given up")
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  ReceivedDatapoints.counter(otlp, "apigateway_otel.logs.rejected").orElse(0) >= 2);
      append(file, "after-2 200\n");
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(requestIds())
                      .as("a line written after the poison arrives")
                      .contains("after-2"));
      linesThrough = System.nanoTime() - started;
    } finally {
      sdk.close();
    }
    System.out.printf(
        "%s: requests refused %d; metric exports through again after %.1f s, %d datapoints given"
            + " up; last line through after %.1f s, %d records given up%n",
        status,
        otlp.rejectedRequests(),
        metricsThrough / 1e9,
        ReceivedDatapoints.counter(otlp, "apigateway_otel.receiver.datapoints.rejected").orElse(-1),
        linesThrough / 1e9,
        ReceivedDatapoints.counter(otlp, "apigateway_otel.logs.rejected").orElse(-1));
    assertThat(requestIds()).doesNotContain(POISON + "-1", POISON + "-2");
    assertThat(ReceivedDatapoints.byKey(otlp)).as("the first poll's points, given up").isEmpty();
    // Logged once per kind (logs, metrics), with the status; the second poison line at FINE.
    List<String> warnings = log.messagesAtLeast(Level.WARNING);
    assertThat(warnings.stream().filter(w -> w.contains("access-log record")))
        .singleElement()
        .satisfies(w -> assertThat(w).contains(status).contains("apigateway_otel.logs.rejected"));
    assertThat(warnings.stream().filter(w -> w.contains("datapoint(s)")))
        .singleElement()
        .satisfies(
            w ->
                assertThat(w)
                    .contains(status)
                    .contains("apigateway_otel.receiver.datapoints.rejected"));
  }

  private OpenTelemetrySdk startPlugin(Path file) {
    Map<String, String> config =
        Map.ofEntries(
            Map.entry("otel.service.name", "poison-test"),
            Map.entry("otel.traces.exporter", "none"),
            Map.entry("otel.exporter.otlp.protocol", otlp.protocol()),
            Map.entry("otel.exporter.otlp.endpoint", otlp.endpoint()),
            Map.entry("otel.metric.export.interval", "500"),
            Map.entry("otel.blrp.schedule.delay", "100"),
            Map.entry("otel.apigateway.regions", REGION),
            Map.entry("otel.apigateway.aws.endpoint", aws.endpoint().toString()),
            Map.entry("otel.apigateway.aws.account.id", ACCOUNT),
            Map.entry("otel.apigateway.metrics.delay", "0s"),
            Map.entry("otel.apigateway.metrics.lookback", "5m"),
            Map.entry("otel.apigateway.metrics.interval", "1h"), // one poll: the poison batch
            Map.entry("otel.apigateway.metrics.detailed", "false"),
            Map.entry("otel.apigateway.logs.source", "file:" + file),
            Map.entry("otel.apigateway.logs.interval", "200ms"),
            Map.entry("otel.apigateway.logs.format", "$context.requestId $context.status"));
    return AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> config)
        .build()
        .getOpenTelemetrySdk();
  }

  /** Logs: a request with a poison line (and whatever else came with it). */
  private static boolean holdsPoison(ExportLogsServiceRequest request) {
    return request.toString().contains(POISON);
  }

  /** Metrics: a request with any CloudWatch datapoint (the test polls once). */
  private static boolean holdsCloudWatchPoints(ExportMetricsServiceRequest request) {
    return request.getResourceMetricsList().stream()
        .flatMap(r -> r.getScopeMetricsList().stream())
        .flatMap(s -> s.getMetricsList().stream())
        .anyMatch(m -> m.getName().startsWith("aws.apigateway."));
  }

  private List<String> requestIds() {
    return otlp.logRecords().stream()
        .map(ReceivedLog::body)
        .map(body -> body.substring(0, body.indexOf(' ')))
        .toList();
  }

  private static void append(Path file, String text) throws Exception {
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }
}
