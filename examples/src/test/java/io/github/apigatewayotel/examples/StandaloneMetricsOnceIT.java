package io.github.apigatewayotel.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.github.apigatewayotel.testing.otlp.ReceivedMetric;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --once} with metrics: the standalone host polls the (simulated) account once, exports
 * every point before it exits 0, and a second run with the same state directory exports nothing
 * again.
 */
class StandaloneMetricsOnceIT {

  private static final String ACCOUNT = "123456789012";
  private static final String REGION = "eu-central-1";

  @TempDir Path dir;

  @Test
  void oncePollsEveryApiTypeExportsBeforeExitAndNeverTwice() throws Exception {
    SimulatedAccount account = SimulatedAccount.demo(ACCOUNT, REGION, 7);
    try (FakeAwsServer aws = ItHosts.serve(account)) {
      List<Metric> first = runOnce(aws);
      Set<String> types =
          first.stream()
              .flatMap(metric -> points(metric).stream())
              .map(attributes -> value(attributes, "aws.apigateway.api.type"))
              .collect(Collectors.toSet());
      assertThat(types).containsExactlyInAnyOrder("rest", "http", "websocket");
      assertThat(first)
          .extracting(Metric::getName)
          .contains(
              "aws.apigateway.count",
              "aws.apigateway.latency.p99",
              "aws.apigateway.4xx",
              "aws.apigateway.message_count.sum");

      // Same state directory, moments later: a period already exported is never exported again
      // (a minute boundary may have passed, so new periods may legitimately appear).
      Set<String> firstKeys = pointKeys(first);
      Set<String> secondKeys = pointKeys(runOnce(aws));
      assertThat(firstKeys).isNotEmpty();
      assertThat(secondKeys)
          .as("points exported again after a restart")
          .doesNotContainAnyElementsOf(firstKeys);
    }
  }

  private List<Metric> runOnce(FakeAwsServer aws) throws Exception {
    try (OtlpTestReceiver receiver = OtlpTestReceiver.start()) {
      ItHosts.pollMetricsOnce(receiver, aws, REGION, dir.resolve("state"), dir);
      // Exported before exit: nothing to wait for.
      return receiver.metrics().stream()
          .map(ReceivedMetric::metric)
          .filter(metric -> metric.getName().startsWith("aws.apigateway."))
          .collect(Collectors.toList());
    }
  }

  /** One key per exported datapoint: metric, attributes, and its CloudWatch period. */
  private static Set<String> pointKeys(List<Metric> metrics) {
    Set<String> keys = new java.util.HashSet<>();
    for (Metric metric : metrics) {
      if (metric.hasSum()) {
        metric
            .getSum()
            .getDataPointsList()
            .forEach(
                point ->
                    keys.add(
                        metric.getName() + point.getAttributesList() + point.getTimeUnixNano()));
      } else {
        metric
            .getGauge()
            .getDataPointsList()
            .forEach(
                point ->
                    keys.add(
                        metric.getName() + point.getAttributesList() + point.getTimeUnixNano()));
      }
    }
    return keys;
  }

  private static List<List<KeyValue>> points(Metric metric) {
    if (metric.hasSum()) {
      return metric.getSum().getDataPointsList().stream()
          .map(point -> point.getAttributesList())
          .collect(Collectors.toList());
    }
    return metric.getGauge().getDataPointsList().stream()
        .map(point -> point.getAttributesList())
        .collect(Collectors.toList());
  }

  private static String value(List<KeyValue> attributes, String key) {
    return attributes.stream()
        .filter(kv -> kv.getKey().equals(key))
        .map(kv -> kv.getValue().getStringValue())
        .findFirst()
        .orElse("");
  }
}
