package io.github.apigatewayotel.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.github.apigatewayotel.testing.junit.OtlpReceiverExtension;
import io.github.apigatewayotel.testing.junit.SimulatedAwsExtension;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.github.apigatewayotel.testing.otlp.ReceivedMetric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The cost properties reach the receiver through autoconfigure: {@code
 * otel.apigateway.metrics.statistics} narrows what is queried and exported, {@code
 * otel.apigateway.metrics.price.per.thousand.requests} prices the {@code
 * apigateway_otel.receiver.cost.*} gauges the host exports, and the default poll interval is 5
 * minutes (8,640 polls a month).
 */
class CloudWatchCostSettingsTest {

  private static final String REGION = "eu-west-1";
  private static final String ACCOUNT = "123456789012";

  @RegisterExtension
  final SimulatedAwsExtension aws =
      SimulatedAwsExtension.demoAccount(ACCOUNT, REGION, 11).withTestCredentials();

  @RegisterExtension
  final OtlpReceiverExtension<OtlpTestReceiver> otlp = OtlpReceiverExtension.http();

  @BeforeEach
  void standStill() {
    // a standing clock: every tick asks CloudWatch for the same periods, whatever the wall clock
    // does
    Instant now = Instant.now();
    aws.account().setClock(() -> now);
  }

  @Test
  void statisticsAndPriceComeFromThePropertiesAndTheCostIsExported() {
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(
                () ->
                    Map.ofEntries(
                        Map.entry("otel.service.name", "cost-settings-test"),
                        Map.entry("otel.traces.exporter", "none"),
                        Map.entry("otel.logs.exporter", "none"),
                        Map.entry("otel.metrics.exporter", "otlp"),
                        Map.entry("otel.exporter.otlp.protocol", "http/protobuf"),
                        Map.entry("otel.exporter.otlp.endpoint", otlp.receiver().endpoint()),
                        Map.entry("otel.metric.export.interval", "500"),
                        Map.entry("otel.apigateway.regions", REGION),
                        Map.entry("otel.apigateway.aws.endpoint", aws.endpoint().toString()),
                        Map.entry("otel.apigateway.aws.account.id", ACCOUNT),
                        Map.entry("otel.apigateway.logs.enabled", "false"),
                        Map.entry("otel.apigateway.metrics.detailed", "false"),
                        Map.entry(
                            "otel.apigateway.metrics.statistics",
                            "Latency:p99,IntegrationLatency:p99"),
                        Map.entry("otel.apigateway.metrics.price.per.thousand.requests", "0.02")))
            .build()
            .getOpenTelemetrySdk();
    try {
      // the p99 latency is waited for too: the "only p99" check below is not made on no latency
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(
                          latest("apigateway_otel.receiver.cost.dollars_per_month") > 0
                              && names().contains("aws.apigateway.count")
                              && names().contains("aws.apigateway.latency.p99"))
                      .as("cost gauges and points exported; names %s", names())
                      .isTrue());
      double queries = latest("apigateway_otel.receiver.cost.queries_per_poll");
      assertThat(latest("apigateway_otel.receiver.cost.metric_requests_per_month"))
          .isEqualTo(queries * 8640);
      assertThat(latest("apigateway_otel.receiver.cost.dollars_per_month"))
          .isCloseTo(queries * 8640 / 1000 * 0.02, within(1e-6));
      assertThat(names())
          .contains("aws.apigateway.latency.p99")
          .noneMatch(
              name ->
                  name.startsWith("aws.apigateway.latency")
                      && !name.equals("aws.apigateway.latency.p99"))
          .noneMatch(
              name ->
                  name.startsWith("aws.apigateway.integration_latency")
                      && !name.equals("aws.apigateway.integration_latency.p99"));
    } finally {
      sdk.close();
    }
  }

  private Set<String> names() {
    Set<String> names = new TreeSet<>();
    for (ReceivedMetric received : otlp.receiver().metrics()) {
      if (received.name().startsWith("aws.apigateway.")) {
        names.add(received.name());
      }
    }
    return names;
  }

  /** The latest value of one of the plugin's gauges, or -1 before any. */
  private double latest(String name) {
    double latest = -1;
    for (ReceivedMetric received : otlp.receiver().metrics()) {
      if (received.name().equals(name) && received.metric().hasGauge()) {
        for (NumberDataPoint point : received.metric().getGauge().getDataPointsList()) {
          latest = point.hasAsDouble() ? point.getAsDouble() : point.getAsInt();
        }
      }
    }
    return latest;
  }
}
