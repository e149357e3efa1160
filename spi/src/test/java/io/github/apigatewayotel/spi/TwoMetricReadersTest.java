package io.github.apigatewayotel.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.apigatewayotel.testing.junit.OtlpReceiverExtension;
import io.github.apigatewayotel.testing.junit.SimulatedAwsExtension;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A host with two metric readers ({@code otel.metrics.exporter=otlp,second-otlp}, as with {@code
 * otlp,prometheus}): each backend gets every CloudWatch datapoint, once, not half of them each.
 */
class TwoMetricReadersTest {

  private static final String REGION = "eu-west-1";
  private static final String ACCOUNT = "123456789012";

  @RegisterExtension
  final SimulatedAwsExtension aws =
      SimulatedAwsExtension.demoAccount(ACCOUNT, REGION, 11).withTestCredentials();

  @RegisterExtension
  final OtlpReceiverExtension<OtlpTestReceiver> firstBackend = OtlpReceiverExtension.http();

  @RegisterExtension
  final OtlpReceiverExtension<OtlpTestReceiver> secondBackend = OtlpReceiverExtension.http();

  @Test
  void eachOfTwoAutoconfiguredReadersGetsEveryDatapointOnce() {
    OtlpTestReceiver first = firstBackend.receiver();
    OtlpTestReceiver second = secondBackend.receiver();
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(
                () ->
                    Map.ofEntries(
                        Map.entry("otel.service.name", "two-readers-test"),
                        Map.entry("otel.traces.exporter", "none"),
                        Map.entry("otel.logs.exporter", "none"),
                        Map.entry(
                            "otel.metrics.exporter",
                            "otlp," + SecondOtlpMetricExporterProvider.NAME),
                        Map.entry("otel.exporter.otlp.protocol", "http/protobuf"),
                        Map.entry("otel.exporter.otlp.endpoint", first.endpoint()),
                        Map.entry(SecondOtlpMetricExporterProvider.ENDPOINT, second.endpoint()),
                        Map.entry("otel.metric.export.interval", "500"),
                        Map.entry("otel.apigateway.regions", REGION),
                        Map.entry("otel.apigateway.aws.endpoint", aws.endpoint().toString()),
                        Map.entry("otel.apigateway.aws.account.id", ACCOUNT),
                        Map.entry("otel.apigateway.logs.enabled", "false"),
                        // one poll: its datapoints are what both backends must get
                        Map.entry("otel.apigateway.metrics.interval", "1h")))
            .build()
            .getOpenTelemetrySdk();
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(everyPointArrived(first) && everyPointArrived(second))
                      .as(
                          "points: first %s, second %s; receiver says %s",
                          ReceivedDatapoints.byKey(first).size(),
                          ReceivedDatapoints.byKey(second).size(),
                          ReceivedDatapoints.receiverEmitted(first))
                      .isTrue());
      Map<String, Integer> firstPoints = ReceivedDatapoints.byKey(first);
      assertThat(firstPoints).isNotEmpty();
      assertThat(firstPoints.values()).allMatch(n -> n == 1);
      assertThat(ReceivedDatapoints.byKey(second)).isEqualTo(firstPoints);
    } finally {
      sdk.close();
    }
  }

  /** The backend holds as many distinct datapoints as the receiver says it emitted. */
  private static boolean everyPointArrived(OtlpTestReceiver backend) {
    long emitted = ReceivedDatapoints.receiverEmitted(backend);
    return emitted > 0 && ReceivedDatapoints.byKey(backend).size() == emitted;
  }
}
