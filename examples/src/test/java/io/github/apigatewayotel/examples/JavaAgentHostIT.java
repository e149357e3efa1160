package io.github.apigatewayotel.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
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
                ItHosts.exportTo(
                    receiver,
                    "-javaagent:" + ItPaths.javaAgentJar(),
                    "-Dotel.javaagent.extensions=" + ItPaths.dropInJar(),
                    "-cp",
                    ItPaths.examplesClasses().toString(),
                    "-Dotel.service.name=agent-app",
                    "-Dotel.metrics.exporter=none",
                    "-Dotel.blrp.schedule.delay=100",
                    "-Dotel.apigateway.metrics.enabled=false",
                    "-Dotel.apigateway.logs.source=file:" + accessLog),
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
}
