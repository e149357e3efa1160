package io.github.apigatewayotel.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.apigatewayotel.testing.aws.CloudWatchLogsSimulator;
import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.github.apigatewayotel.testing.otlp.ReceivedLog;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drop-in jar's relocated AWS SDK clients, against a simulated account speaking the real wire
 * protocols: metrics from CloudWatch and access logs from CloudWatch Logs reach OTLP from a plain
 * SDK-autoconfigure host.
 */
class AwsThroughDropInJarIT {

  private static final String ACCOUNT = "123456789012";
  private static final String REGION = "us-east-1";
  private static final String LOG_GROUP = "api-gateway-pets-prod";

  @TempDir Path dir;

  @Test
  void metricsAndCloudWatchLogsLeaveOverOtlp() throws Exception {
    SimulatedAccount account = SimulatedAccount.demo(ACCOUNT, REGION, 42);
    CloudWatchLogsSimulator logs = new CloudWatchLogsSimulator(ACCOUNT);
    List<String> lines = ItPaths.lines(ItPaths.sampleAccessLog(dir));
    ItHosts.putLines(logs, LOG_GROUP, lines);
    try (FakeAwsServer aws = ItHosts.serve(account, logs);
        OtlpTestReceiver receiver = OtlpTestReceiver.start();
        ChildJvm app =
            ChildJvm.start(
                ItHosts.concat(
                    ItHosts.autoconfigureClasspath(),
                    ItHosts.exportTo(receiver, "-Dotel.service.name=aws-app"),
                    ItHosts.quickPlugin(aws, REGION)),
                List.of(AutoconfigureApp.class.getName(), "90"),
                ItHosts.AWS_CREDENTIALS,
                dir)) {
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () ->
                  assertThat(
                          receiver.logRecords().size() >= lines.size()
                              // a poll's points leave in several exports: wait for the one asserted
                              // below
                              && petsApiCount(receiver).isPresent())
                      .as(
                          () ->
                              String.format(
                                  "telemetry arrived; child output:%n%s", app.outputForMessage()))
                      .isTrue());

      List<ReceivedLog> records = receiver.logRecords();
      assertThat(records).hasSize(lines.size());
      assertThat(records)
          .allSatisfy(
              record -> {
                assertThat(
                        record
                            .attribute("aws.log.group.names")
                            .orElseThrow()
                            .getArrayValue()
                            .getValues(0)
                            .getStringValue())
                    .isEqualTo(LOG_GROUP);
                assertThat(record.stringAttribute("cloud.region")).isEqualTo(REGION);
              });

      NumberDataPoint count = petsApiCount(receiver).orElseThrow();
      assertThat(attribute(count.getAttributesList(), "aws.apigateway.api.id"))
          .isEqualTo("a1b2c3d4e5");
      assertThat(attribute(count.getAttributesList(), "cloud.account.id")).isEqualTo(ACCOUNT);
      assertThat(attribute(count.getAttributesList(), "aws.tag.team")).isEqualTo("pets");
    }
  }

  private static Optional<NumberDataPoint> petsApiCount(OtlpTestReceiver receiver) {
    return receiver.metrics().stream()
        .filter(metric -> metric.name().equals("aws.apigateway.count"))
        .flatMap(metric -> metric.metric().getSum().getDataPointsList().stream())
        .filter(
            point ->
                attribute(point.getAttributesList(), "aws.apigateway.api.name").equals("pets-api"))
        .findFirst();
  }

  private static String attribute(List<KeyValue> attributes, String key) {
    return attributes.stream()
        .filter(kv -> kv.getKey().equals(key))
        .map(kv -> kv.getValue().getStringValue())
        .findFirst()
        .orElse("");
  }
}
