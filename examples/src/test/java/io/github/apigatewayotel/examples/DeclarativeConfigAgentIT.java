package io.github.apigatewayotel.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin configured from OpenTelemetry's declarative (YAML) configuration alone: the real Java
 * agent, whose SDK builds itself from {@code otel.config.file}, with the drop-in jar as its
 * extension. One YAML file gives the receiver (the {@code apigateway} metric exporter around {@code
 * otlp_http}) and the access-log source, with the same keys as the properties.
 */
class DeclarativeConfigAgentIT {

  @TempDir Path dir;

  @Test
  void yamlAloneSendsCloudWatchMetricsAndAccessLogsOverOtlp() throws Exception {
    Path accessLog = ItPaths.sampleAccessLog(dir);
    List<String> lines = ItPaths.lines(accessLog);
    SimulatedAccount account = SimulatedAccount.demo("123456789012", "ap-northeast-2", 3);
    try (FakeAwsServer aws = ItHosts.serve(account);
        OtlpTestReceiver receiver = OtlpTestReceiver.start()) {
      Path yaml = dir.resolve("otel.yaml");
      Files.writeString(yaml, configuration(receiver, aws, accessLog), StandardCharsets.UTF_8);
      try (ChildJvm app =
          ChildJvm.start(
              List.of(
                  "-javaagent:" + ItPaths.javaAgentJar(),
                  "-Dotel.javaagent.extensions=" + ItPaths.dropInJar(),
                  "-Dotel.config.file=" + yaml,
                  "-cp",
                  ItPaths.examplesClasses().toString()),
              List.of(AgentApp.class.getName(), "90"),
              ItHosts.AWS_CREDENTIALS,
              dir)) {
        await()
            .atMost(Duration.ofSeconds(90))
            .untilAsserted(
                () ->
                    assertThat(
                            JavaAgentHostIT.apiTypes(receiver).size() == 3
                                && receiver.logRecords().size() >= lines.size())
                        .as(
                            () ->
                                String.format(
                                    "metrics of %s and %d of %d records arrived; child output:%n%s",
                                    JavaAgentHostIT.apiTypes(receiver),
                                    receiver.logRecords().size(),
                                    lines.size(),
                                    app.outputForMessage()))
                        .isTrue());
        assertThat(JavaAgentHostIT.apiTypes(receiver))
            .containsExactlyInAnyOrder("rest", "http", "websocket");
        SampleLogAssertions.assertOneRecordPerLine(receiver.logRecords(), lines);
        // The resource is the YAML's: the SDK was built from the file, not from properties.
        assertThat(receiver.logRecords().get(0).resource().getAttributesList())
            .anySatisfy(kv -> assertThat(kv.getValue().getStringValue()).isEqualTo("yaml-app"));
      }
    }
  }

  /** The declarative configuration a user would write, pointed at the loopback peers. */
  private static String configuration(
      OtlpTestReceiver receiver, FakeAwsServer aws, Path accessLog) {
    return String.join(
        "\n",
        "file_format: \"1.0\"",
        "resource:",
        "  attributes:",
        "    - name: service.name",
        "      value: yaml-app",
        "logger_provider:",
        "  processors:",
        "    - batch:",
        "        schedule_delay: 100",
        "        exporter:",
        "          otlp_http:",
        "            endpoint: " + receiver.endpoint() + "/v1/logs",
        "meter_provider:",
        "  readers:",
        "    - periodic:",
        "        interval: 500",
        "        exporter:",
        "          apigateway:",
        "            exporter:",
        "              otlp_http:",
        "                endpoint: " + receiver.endpoint() + "/v1/metrics",
        "            regions: [ap-northeast-2]",
        "            aws:",
        "              endpoint: " + aws.endpoint(),
        "            metrics:",
        "              delay: 0s",
        "              lookback: 5m",
        "            logs:",
        "              source: \"file:" + accessLog + "\"",
        "");
  }
}
