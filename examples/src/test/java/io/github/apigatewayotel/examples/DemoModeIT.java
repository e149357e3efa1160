package io.github.apigatewayotel.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.github.apigatewayotel.testing.otlp.ReceivedMetric;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo jar with {@code OTEL_EXPORTER_OTLP_ENDPOINT} set, as a newcomer with a collector runs
 * it: the simulated account is polled like a real one and everything goes to that endpoint.
 */
class DemoModeIT {

  /** The demo account's APIs, one of each type (SimulatedAccount.demo). */
  private static final String REST_API_ID = "a1b2c3d4e5";

  private static final String HTTP_API_ID = "h7t7p7a7p7";
  private static final String WEBSOCKET_API_ID = "w5s5k5t5c5";

  private static final Set<String> REQUEST_METRICS =
      Set.of("aws.apigateway.count", "aws.apigateway.message_count.sum");

  @TempDir Path dir;

  @Test
  void sendsMetricsOfAllThreeApiTypesAndAccessLogsToTheOtlpEndpoint() throws Exception {
    try (OtlpTestReceiver receiver = OtlpTestReceiver.start();
        ChildJvm demo =
            ChildJvm.start(
                List.of(),
                List.of("-jar", ItPaths.demoJar().toString()),
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint()),
                dir)) {
      await()
          .atMost(Duration.ofSeconds(25))
          .untilAsserted(
              () ->
                  assertThat(
                          apiTypesWithRequests(receiver).size() == 3
                              && logApiIds(receiver)
                                  .containsAll(Set.of(REST_API_ID, HTTP_API_ID, WEBSOCKET_API_ID)))
                      .as(
                          () ->
                              String.format(
                                  "telemetry arrived; demo output:%n%s", demo.outputForMessage()))
                      .isTrue());

      assertThat(apiTypesWithRequests(receiver))
          .containsExactlyInAnyOrder("rest", "http", "websocket");
      assertThat(receiver.logRecords())
          .allSatisfy(
              log -> {
                assertThat(log.record().getEventName()).isEqualTo("aws.apigateway.access");
                assertThat(log.stringAttribute("cloud.account.id")).isEqualTo("123456789012");
                assertThat(log.stringAttribute("aws.apigateway.stage")).isNotEmpty();
              });
      // Nothing of the live view goes to stdout when a backend receives the data, and no numbers
      // are promised here.
      assertThat(demo.output())
          .doesNotContain("\033[")
          .doesNotContain("numbers appear")
          .contains("the telemetry goes to " + receiver.endpoint() + ", it is not shown here");
    }
  }

  /** The API types of every request-count point with a positive value. */
  private static Set<String> apiTypesWithRequests(OtlpTestReceiver receiver) {
    return receiver.metrics().stream()
        .filter(metric -> REQUEST_METRICS.contains(metric.name()))
        .map(ReceivedMetric::metric)
        .flatMap(metric -> metric.getSum().getDataPointsList().stream())
        .filter(point -> point.getAsDouble() > 0)
        .map(NumberDataPoint::getAttributesList)
        .map(attributes -> attribute(attributes, "aws.apigateway.api.type"))
        .collect(Collectors.toSet());
  }

  private static Set<String> logApiIds(OtlpTestReceiver receiver) {
    return receiver.logRecords().stream()
        .map(log -> log.stringAttribute("aws.apigateway.api.id"))
        .collect(Collectors.toSet());
  }

  private static String attribute(List<KeyValue> attributes, String key) {
    return attributes.stream()
        .filter(kv -> kv.getKey().equals(key))
        .map(kv -> kv.getValue().getStringValue())
        .findFirst()
        .orElse("");
  }
}
