package io.github.apigatewayotel.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.testing.aws.ApiGatewaySimulator;
import io.github.apigatewayotel.testing.aws.CloudWatchSimulator;
import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.aws.StsSimulator;
import io.github.apigatewayotel.testing.aws.TaggingSimulator;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.github.apigatewayotel.testing.otlp.ReceivedMetric;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A host with two metric readers ({@code otel.metrics.exporter=otlp,second-otlp}, as with {@code
 * otlp,prometheus}): each backend gets every CloudWatch datapoint, once, not half of them each.
 */
class TwoMetricReadersTest {

  private static final String REGION = "eu-west-1";
  private static final String ACCOUNT = "123456789012";

  private final SimulatedAccount account = SimulatedAccount.demo(ACCOUNT, REGION, 11);
  private final TemporarySystemProperties properties = new TemporarySystemProperties();
  private FakeAwsServer aws;
  private OtlpTestReceiver first;
  private OtlpTestReceiver second;

  @BeforeEach
  void start() throws Exception {
    aws =
        FakeAwsServer.start()
            .register(new CloudWatchSimulator(account))
            .register(new ApiGatewaySimulator(account))
            .register(new TaggingSimulator(account))
            .register(new StsSimulator(account));
    first = OtlpTestReceiver.start();
    second = OtlpTestReceiver.start();
    properties.setTestCredentials();
  }

  @AfterEach
  void stop() {
    properties.restore();
    second.close();
    first.close();
    aws.close();
  }

  @Test
  void eachOfTwoAutoconfiguredReadersGetsEveryDatapointOnce() {
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(
                () ->
                    Map.ofEntries(
                        Map.entry("otel.service.name", "two-readers-test"),
                        Map.entry("otel.traces.exporter", "none"),
                        Map.entry("otel.logs.exporter", "none"),
                        Map.entry(
                            "otel.metrics.exporter", "otlp," + SecondOtlpMetricExporterProvider.NAME),
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
      assertThat(
              OtlpTestReceiver.await(
                  Duration.ofSeconds(60),
                  () -> everyPointArrived(first) && everyPointArrived(second)))
          .as("points: first %s, second %s; receiver says %s",
              datapointKeys(first).size(), datapointKeys(second).size(), receiverEmitted(first))
          .isTrue();
      Map<String, Integer> firstPoints = datapointKeys(first);
      assertThat(firstPoints).isNotEmpty();
      assertThat(firstPoints.values()).allMatch(n -> n == 1);
      assertThat(datapointKeys(second)).isEqualTo(firstPoints);
    } finally {
      sdk.close();
    }
  }

  /** The backend holds as many distinct datapoints as the receiver says it emitted. */
  private static boolean everyPointArrived(OtlpTestReceiver backend) {
    long emitted = receiverEmitted(backend);
    return emitted > 0 && datapointKeys(backend).size() == emitted;
  }

  /** Each received aws.apigateway.* point by metric, attributes and time, with its count. */
  private static Map<String, Integer> datapointKeys(OtlpTestReceiver backend) {
    Map<String, Integer> counts = new HashMap<>();
    for (ReceivedMetric received : backend.metrics()) {
      Metric metric = received.metric();
      if (!metric.getName().startsWith("aws.apigateway.")) {
        continue;
      }
      List<NumberDataPoint> points =
          metric.hasSum() ? metric.getSum().getDataPointsList() : metric.getGauge().getDataPointsList();
      for (NumberDataPoint point : points) {
        StringBuilder key = new StringBuilder(metric.getName());
        for (KeyValue attribute : point.getAttributesList()) {
          key.append('|').append(attribute.getKey()).append('=').append(attribute.getValue());
        }
        key.append('@').append(point.getTimeUnixNano());
        counts.merge(key.toString(), 1, Integer::sum);
      }
    }
    return counts;
  }

  /** The latest value of the receiver's emitted-datapoints counter, as this backend got it. */
  private static long receiverEmitted(OtlpTestReceiver backend) {
    OptionalLong latest = OptionalLong.empty();
    for (ReceivedMetric received : backend.metrics()) {
      if (received.name().equals("apigateway_otel.receiver.datapoints.exported")
          && received.metric().hasSum()) {
        for (NumberDataPoint point : received.metric().getSum().getDataPointsList()) {
          latest = OptionalLong.of(point.getAsInt());
        }
      }
    }
    return latest.orElse(-1);
  }
}
