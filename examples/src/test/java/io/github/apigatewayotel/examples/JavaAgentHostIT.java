package io.github.apigatewayotel.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.github.apigatewayotel.testing.otlp.ReceivedMetric;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.Set;
import java.util.stream.Collectors;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application with no OpenTelemetry code, run under the real OpenTelemetry Java agent with the
 * drop-in jar as {@code otel.javaagent.extensions}, sends every access-log line over OTLP.
 */
class JavaAgentHostIT {

  @TempDir Path dir;

  @Test
  void dropInJarAsAgentExtensionExportsEveryLineOverOtlp() throws Exception {
    Path accessLog = ItPaths.sampleAccessLog(dir);
    List<String> lines = ItPaths.lines(accessLog);
    try (OtlpTestReceiver receiver = OtlpTestReceiver.start();
        ChildJvm app =
            ChildJvm.start(
                ItHosts.concat(
                    agentWithExtension(receiver),
                    List.of(
                        "-Dotel.metrics.exporter=none",
                        "-Dotel.blrp.schedule.delay=100",
                        "-Dotel.apigateway.metrics.enabled=false",
                        "-Dotel.apigateway.logs.source=file:" + accessLog)),
                List.of(AgentApp.class.getName(), "60"),
                dir)) {
      boolean arrived =
          OtlpTestReceiver.await(
              Duration.ofSeconds(90), () -> receiver.logRecords().size() >= lines.size());
      assertThat(arrived).as("records arrived; child output:%n%s", app.output()).isTrue();
      SampleLogAssertions.assertOneRecordPerLine(receiver.logRecords(), lines);
      assertThat(receiver.logRecords().get(0).resource().getAttributesList())
          .anySatisfy(kv -> assertThat(kv.getValue().getStringValue()).isEqualTo("agent-app"));
    }
  }

  @Test
  void dropInJarAsAgentExtensionPollsCloudWatchThroughItsOwnAwsSdk() throws Exception {
    SimulatedAccount account = SimulatedAccount.demo("123456789012", "ap-northeast-2", 3);
    try (FakeAwsServer aws = ItHosts.serve(account);
        OtlpTestReceiver receiver = OtlpTestReceiver.start();
        ChildJvm app =
            ChildJvm.start(
                ItHosts.concat(
                    agentWithExtension(receiver),
                    List.of(
                        "-Dotel.logs.exporter=none",
                        "-Dotel.metric.export.interval=500",
                        "-Dotel.apigateway.logs.enabled=false",
                        "-Dotel.apigateway.regions=ap-northeast-2",
                        "-Dotel.apigateway.aws.endpoint=" + aws.endpoint(),
                        "-Dotel.apigateway.metrics.delay=0s",
                        "-Dotel.apigateway.metrics.lookback=5m")),
                List.of(AgentApp.class.getName(), "90"),
                ItHosts.AWS_CREDENTIALS,
                dir)) {
      boolean arrived =
          OtlpTestReceiver.await(
              Duration.ofSeconds(90), () -> apiTypes(receiver).size() == 3);
      assertThat(arrived).as("metrics arrived; child output:%n%s", app.output()).isTrue();
      assertThat(apiTypes(receiver)).containsExactlyInAnyOrder("rest", "http", "websocket");
    }
  }

  /** The real Java agent with the drop-in jar as its extension, exporting to {@code receiver}. */
  private static List<String> agentWithExtension(OtlpTestReceiver receiver) {
    return ItHosts.exportTo(
        receiver,
        "-javaagent:" + ItPaths.javaAgentJar(),
        "-Dotel.javaagent.extensions=" + ItPaths.dropInJar(),
        "-cp",
        ItPaths.examplesClasses().toString(),
        "-Dotel.service.name=agent-app");
  }

  /** The API types that the received aws.apigateway.* points name. */
  private static Set<String> apiTypes(OtlpTestReceiver receiver) {
    return receiver.metrics().stream()
        .map(ReceivedMetric::metric)
        .filter(metric -> metric.getName().startsWith("aws.apigateway.") && metric.hasSum())
        .flatMap(metric -> metric.getSum().getDataPointsList().stream())
        .flatMap(point -> point.getAttributesList().stream())
        .filter(attribute -> attribute.getKey().equals("aws.apigateway.api.type"))
        .map(KeyValue::getValue)
        .map(value -> value.getStringValue())
        .collect(Collectors.toSet());
  }
}
