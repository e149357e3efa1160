package io.github.apigatewayotel.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.testing.aws.ApiGatewaySimulator;
import io.github.apigatewayotel.testing.aws.AwsResponse;
import io.github.apigatewayotel.testing.aws.CloudWatchLogsSimulator;
import io.github.apigatewayotel.testing.aws.CloudWatchSimulator;
import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.aws.StsSimulator;
import io.github.apigatewayotel.testing.aws.TaggingSimulator;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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

  private final TemporarySystemProperties properties = new TemporarySystemProperties();
  private final CloudWatchLogsSimulator logs = new CloudWatchLogsSimulator(ACCOUNT);
  private final AtomicInteger stsCalls = new AtomicInteger();
  private FakeAwsServer aws;
  private OtlpTestReceiver otlp;

  @BeforeEach
  void start() throws Exception {
    SimulatedAccount account = SimulatedAccount.demo(ACCOUNT, REGION, 7);
    aws =
        FakeAwsServer.start()
            .register(new CloudWatchSimulator(account))
            .register(new ApiGatewaySimulator(account))
            .register(new TaggingSimulator(account))
            .register(new StsSimulator(account))
            .register(logs)
            .intercept(
                request ->
                    "GetCallerIdentity".equals(FakeAwsServer.operationOf(request))
                            && stsCalls.incrementAndGet() <= STS_FAILURES
                        ? Optional.of(
                            AwsResponse.queryError(
                                503, "Receiver", "ServiceUnavailable", "simulated STS outage"))
                        : Optional.empty());
    otlp = OtlpTestReceiver.start();
    properties.setTestCredentials();
  }

  @AfterEach
  void stop() {
    properties.restore();
    otlp.close();
    aws.close();
  }

  @Test
  void recordsCarryTheAccountOnceStsAnswersAndThoseBeforeAreCounted() throws Exception {
    put("early-1");
    put("early-2");
    OpenTelemetrySdk sdk = startPlugin();
    try {
      assertThat(OtlpTestReceiver.await(Duration.ofSeconds(60), () -> received("early-2")))
          .as("lines read while STS fails still leave")
          .isTrue();
      assertThat(
              OtlpTestReceiver.await(Duration.ofSeconds(60), () -> stsCalls.get() > STS_FAILURES))
          .as("STS asked again after the SDK's retries gave up")
          .isTrue();
      put("late-1");
      assertThat(OtlpTestReceiver.await(Duration.ofSeconds(60), () -> received("late-1")))
          .isTrue();
      assertThat(accountOf("late-1")).as("a record read after STS answered").isEqualTo(ACCOUNT);
      assertThat(
              OtlpTestReceiver.await(
                  Duration.ofSeconds(60),
                  () -> ReceivedDatapoints.counter(otlp, "apigateway_otel.logs.cloudwatch.account_unknown").orElse(0) >= 2
                      && !ReceivedDatapoints.byKey(otlp).isEmpty()))
          .isTrue();
    } finally {
      sdk.close();
    }
    assertThat(accountOf("early-1")).isNull();
    assertThat(accountOf("late-1")).isEqualTo(ACCOUNT);
    assertThat(ReceivedDatapoints.counter(otlp, "apigateway_otel.logs.cloudwatch.account_unknown"))
        .hasValue(2);
    // Every metric point carries it: the receiver waited for the same look-up.
    List<String> pointAccounts =
        otlp.metrics().stream()
            .filter(m -> m.name().startsWith("aws.apigateway."))
            .map(ReceivedMetric::metric)
            .flatMap(m -> (m.hasSum() ? m.getSum().getDataPointsList() : m.getGauge().getDataPointsList()).stream())
            .map(p -> p.getAttributesList().stream()
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
    logs.putLogEvent(GROUP, "s", System.currentTimeMillis() - 1_000, requestId + " 200");
  }

  private boolean received(String requestId) {
    return otlp.logRecords().stream().anyMatch(log -> log.body().startsWith(requestId + " "));
  }

  private String accountOf(String requestId) {
    ReceivedLog log =
        otlp.logRecords().stream()
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
            Map.entry("otel.exporter.otlp.endpoint", otlp.endpoint()),
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
