package io.github.apigatewayotel.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.apigatewayotel.testing.junit.OtlpReceiverExtension;
import io.github.apigatewayotel.testing.junit.SimulatedAwsExtension;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.github.apigatewayotel.testing.otlp.ReceivedLog;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backend that stores each export but answers only after {@code -Dslow.delay.ms} (default 1,500
 * ms), for {@code -Dslow.seconds} (default 10), then answers at once. With an exporter timeout
 * shorter than that ({@code otel.exporter.otlp.timeout}, 1,000 ms here), every export it stored is
 * reported failed, and sent again (the exporter's own retries, then the plugin's): the backend gets
 * duplicates, no loss; the plugin counts what it sent again. With the default timeout (10 s),
 * longer than the backend's delay, nothing is sent twice. docs/RELIABILITY.md has the figures.
 */
class SlowBackendIT {

  private static final String REGION = "eu-west-1";
  private static final String ACCOUNT = "123456789012";
  private static final int LINES = 1_000;
  private static final Duration DELAY = Duration.ofMillis(Long.getLong("slow.delay.ms", 1_500));
  private static final Duration SLOW = Duration.ofSeconds(Long.getLong("slow.seconds", 10));

  @TempDir Path dir;

  @RegisterExtension
  final SimulatedAwsExtension aws =
      SimulatedAwsExtension.demoAccount(ACCOUNT, REGION, 7).withTestCredentials();

  @RegisterExtension
  final OtlpReceiverExtension<OtlpTestReceiver> otlp = OtlpReceiverExtension.http();

  @Test
  void aTimeoutShorterThanTheBackendRepeatsWhatItStoredButLosesNothing() throws Exception {
    Outcome outcome = run(Duration.ofMillis(Long.getLong("slow.timeout.ms", 1_000)));
    assertThat(outcome.linesReceived).isEqualTo(LINES);
    assertThat(outcome.pointsReceived).isEqualTo(outcome.pointsEmitted);
    // What the plugin sent again is counted: the operator sees it.
    assertThat(outcome.redelivered + outcome.exportRetried).isPositive();
  }

  @Test
  void aTimeoutLongerThanTheBackendRepeatsNothing() throws Exception {
    Outcome outcome = run(Duration.ofSeconds(10)); // the OTLP exporter's default
    assertThat(outcome.linesReceived).isEqualTo(LINES);
    assertThat(outcome.lineCopies).isZero();
    assertThat(outcome.pointsReceived).isEqualTo(outcome.pointsEmitted);
    assertThat(outcome.pointCopies).isZero();
  }

  private record Outcome(
      int linesReceived,
      int lineCopies,
      long pointsEmitted,
      int pointsReceived,
      int pointCopies,
      long redelivered,
      long exportRetried) {}

  private Outcome run(Duration timeout) throws Exception {
    Path file = dir.resolve("access.log");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < LINES; i++) {
      lines.append("r").append(i).append(" 200\n");
    }
    Files.writeString(file, lines, StandardCharsets.UTF_8);
    otlp.receiver().delayResponses(DELAY);
    OpenTelemetrySdk sdk = startPlugin(file, timeout);
    try {
      Thread.sleep(SLOW.toMillis()); // what a slow backend sees; the plugin is not waited for
      otlp.receiver().delayResponses(Duration.ZERO);
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () ->
                  assertThat(lineCounts().size() == LINES && pointsSettled())
                      .as(
                          "everything arrived: lines %s, points %s of %s",
                          lineCounts().size(),
                          ReceivedDatapoints.byKey(otlp.receiver()).size(),
                          ReceivedDatapoints.receiverEmitted(otlp.receiver()))
                      .isTrue());
    } finally {
      sdk.close();
    }
    Map<String, Integer> lineCounts = lineCounts();
    Map<String, Integer> pointCounts = ReceivedDatapoints.byKey(otlp.receiver());
    Outcome outcome =
        new Outcome(
            lineCounts.size(),
            copies(lineCounts),
            ReceivedDatapoints.receiverEmitted(otlp.receiver()),
            pointCounts.size(),
            copies(pointCounts),
            ReceivedDatapoints.counter(otlp.receiver(), "apigateway_otel.logs.redelivered")
                .orElse(0),
            ReceivedDatapoints.counter(
                    otlp.receiver(), "apigateway_otel.receiver.datapoints.export_retried")
                .orElse(0));
    System.out.printf(
        "backend %d ms slow for %d s, exporter timeout %d ms: lines %d, received %d extra copies;"
            + " datapoints emitted %d, received %d, %d extra copies; logs.redelivered %d,"
            + " receiver.datapoints.export_retried %d%n",
        DELAY.toMillis(),
        SLOW.toSeconds(),
        timeout.toMillis(),
        outcome.linesReceived,
        outcome.lineCopies,
        outcome.pointsEmitted,
        outcome.pointsReceived,
        outcome.pointCopies,
        outcome.redelivered,
        outcome.exportRetried);
    return outcome;
  }

  private boolean pointsSettled() {
    long emitted = ReceivedDatapoints.receiverEmitted(otlp.receiver());
    return emitted > 0 && ReceivedDatapoints.byKey(otlp.receiver()).size() == emitted;
  }

  private Map<String, Integer> lineCounts() {
    Map<String, Integer> counts = new HashMap<>();
    for (ReceivedLog log : otlp.receiver().logRecords()) {
      counts.merge(log.body(), 1, Integer::sum);
    }
    return counts;
  }

  private static int copies(Map<String, Integer> counts) {
    return counts.values().stream().mapToInt(n -> n - 1).sum();
  }

  private OpenTelemetrySdk startPlugin(Path file, Duration timeout) {
    Map<String, String> config =
        Map.ofEntries(
            Map.entry("otel.service.name", "slow-backend-test"),
            Map.entry("otel.traces.exporter", "none"),
            Map.entry("otel.exporter.otlp.protocol", "http/protobuf"),
            Map.entry("otel.exporter.otlp.endpoint", otlp.receiver().endpoint()),
            Map.entry("otel.exporter.otlp.timeout", Long.toString(timeout.toMillis())),
            Map.entry("otel.metric.export.interval", "1000"),
            Map.entry("otel.blrp.schedule.delay", "100"),
            Map.entry("otel.apigateway.regions", REGION),
            Map.entry("otel.apigateway.aws.endpoint", aws.endpoint().toString()),
            Map.entry("otel.apigateway.aws.account.id", ACCOUNT),
            Map.entry("otel.apigateway.metrics.delay", "0s"),
            Map.entry("otel.apigateway.metrics.lookback", "5m"),
            Map.entry("otel.apigateway.metrics.interval", "1h"), // one poll
            Map.entry("otel.apigateway.metrics.detailed", "false"),
            Map.entry("otel.apigateway.logs.source", "file:" + file),
            Map.entry("otel.apigateway.logs.interval", "200ms"),
            Map.entry("otel.apigateway.logs.format", "$context.requestId $context.status"));
    return AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> config)
        .build()
        .getOpenTelemetrySdk();
  }
}
