package io.github.apigatewayotel.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.apigatewayotel.testing.aws.AwsResponse;
import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.github.apigatewayotel.testing.junit.OtlpReceiverExtension;
import io.github.apigatewayotel.testing.junit.SimulatedAwsExtension;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.github.apigatewayotel.testing.otlp.ReceivedLog;
import io.github.apigatewayotel.testing.otlp.ReceivedMetric;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * STS fails at start-up for longer than the AWS SDK's own retries, then recovers: access-log
 * records read meanwhile carry no cloud.account.id and are counted; those read after it answered
 * carry it, as do all the metrics (which wait for it). Before, the log side asked four times at
 * start-up and never again: no record of the run carried the account.
 */
class AccountIdRetryTest {

  private static final String REGION = "eu-west-1";
  private static final String ACCOUNT = "123456789012";
  private static final String GROUP = "api-gateway-account";

  /** Two of the SDK's rounds of four attempts. */
  private static final int STS_FAILURES = 8;

  @RegisterExtension
  final SimulatedAwsExtension aws =
      SimulatedAwsExtension.demoAccount(ACCOUNT, REGION, 7).withLogs().withTestCredentials();

  @RegisterExtension
  final OtlpReceiverExtension<OtlpTestReceiver> otlp = OtlpReceiverExtension.http();

  private final AtomicInteger stsCalls = new AtomicInteger();

  @BeforeEach
  void failStsFirst() {
    aws.server()
        .intercept(
            request ->
                "GetCallerIdentity".equals(FakeAwsServer.operationOf(request))
                        && stsCalls.incrementAndGet() <= STS_FAILURES
                    ? Optional.of(
                        AwsResponse.queryError(
                            503, "Receiver", "ServiceUnavailable", "simulated STS outage"))
                    : Optional.empty());
  }

  @Test
  void recordsCarryTheAccountOnceStsAnswersAndThoseBeforeAreCounted() throws Exception {
    put("early-1");
    put("early-2");
    OpenTelemetrySdk sdk = startPlugin();
    try {
      await("lines read while STS fails still leave")
          .atMost(Duration.ofSeconds(60))
          .until(() -> received("early-2"));
      await("STS asked again after the SDK's retries gave up")
          .atMost(Duration.ofSeconds(60))
          .until(() -> stsCalls.get() > STS_FAILURES);
      put("late-1");
      await().atMost(Duration.ofSeconds(60)).until(() -> received("late-1"));
      assertThat(accountOf("late-1")).as("a record read after STS answered").isEqualTo(ACCOUNT);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  ReceivedDatapoints.counter(
                                  otlp.receiver(),
                                  "apigateway_otel.logs.cloudwatch.account_unknown")
                              .orElse(0)
                          >= 2
                      && !ReceivedDatapoints.byKey(otlp.receiver()).isEmpty());
    } finally {
      sdk.close();
    }
    assertThat(accountOf("early-1")).isNull();
    assertThat(accountOf("late-1")).isEqualTo(ACCOUNT);
    assertThat(
            ReceivedDatapoints.counter(
                otlp.receiver(), "apigateway_otel.logs.cloudwatch.account_unknown"))
        .hasValue(2);
    // Every metric point carries it: the receiver waited for the same look-up.
    List<String> pointAccounts =
        otlp.receiver().metrics().stream()
            .filter(m -> m.name().startsWith("aws.apigateway."))
            .map(ReceivedMetric::metric)
            .flatMap(
                m ->
                    (m.hasSum() ? m.getSum().getDataPointsList() : m.getGauge().getDataPointsList())
                        .stream())
            .map(
                p ->
                    p.getAttributesList().stream()
                        .filter(a -> a.getKey().equals("cloud.account.id"))
                        .map(a -> a.getValue().getStringValue())
                        .findFirst()
                        .orElse(null))
            .distinct()
            .toList();
    assertThat(pointAccounts).containsExactly(ACCOUNT);
    // One look-up for both sides, backing off: no busy loop while STS failed.
    assertThat(stsCalls.get()).isLessThanOrEqualTo(STS_FAILURES + 4);
  }

  private void put(String requestId) {
    aws.logs().putLogEvent(GROUP, "s", System.currentTimeMillis() - 1_000, requestId + " 200");
  }

  private boolean received(String requestId) {
    return otlp.receiver().logRecords().stream()
        .anyMatch(log -> log.body().startsWith(requestId + " "));
  }

  private String accountOf(String requestId) {
    ReceivedLog log =
        otlp.receiver().logRecords().stream()
            .filter(record -> record.body().startsWith(requestId + " "))
            .findFirst()
            .orElseThrow();
    return log.stringAttribute("cloud.account.id");
  }

  private OpenTelemetrySdk startPlugin() {
    Map<String, String> config =
        Map.ofEntries(
            Map.entry("otel.service.name", "account-test"),
            Map.entry("otel.traces.exporter", "none"),
            Map.entry("otel.exporter.otlp.protocol", "http/protobuf"),
            Map.entry("otel.exporter.otlp.endpoint", otlp.receiver().endpoint()),
            Map.entry("otel.metric.export.interval", "500"),
            Map.entry("otel.blrp.schedule.delay", "100"),
            Map.entry("otel.apigateway.regions", REGION),
            Map.entry("otel.apigateway.aws.endpoint", aws.endpoint().toString()),
            Map.entry("otel.apigateway.metrics.delay", "0s"),
            Map.entry("otel.apigateway.metrics.lookback", "5m"),
            Map.entry("otel.apigateway.metrics.interval", "1s"),
            Map.entry("otel.apigateway.metrics.detailed", "false"),
            Map.entry("otel.apigateway.logs.groups", GROUP),
            Map.entry("otel.apigateway.logs.lookback", "10m"),
            Map.entry("otel.apigateway.logs.interval", "500ms"),
            Map.entry("otel.apigateway.logs.format", "$context.requestId $context.status"));
    return AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> config)
        .build()
        .getOpenTelemetrySdk();
  }
}
