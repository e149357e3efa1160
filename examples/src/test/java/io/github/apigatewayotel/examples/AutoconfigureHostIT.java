package io.github.apigatewayotel.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An SDK-autoconfigure application with nothing but the drop-in jar added to its classpath sends
 * every line of an access log over OTLP, mapped, to a receiver that decodes the protobufs.
 */
class AutoconfigureHostIT {

  @TempDir Path dir;

  @Test
  void dropInJarOnAnAutoconfigureClasspathExportsEveryLineOverOtlp() throws Exception {
    Path accessLog = ItPaths.sampleAccessLog(dir);
    List<String> lines = ItPaths.lines(accessLog);
    try (OtlpTestReceiver receiver = OtlpTestReceiver.start();
        ChildJvm app =
            ChildJvm.start(
                ItHosts.concat(
                    ItHosts.autoconfigureClasspath(),
                    ItHosts.exportTo(
                        receiver,
                        "-Dotel.service.name=autoconfigure-app",
                        "-Dotel.metrics.exporter=none",
                        "-Dotel.blrp.schedule.delay=100",
                        "-Dotel.apigateway.metrics.enabled=false",
                        "-Dotel.apigateway.regions=eu-west-1",
                        "-Dotel.apigateway.logs.source=file:" + accessLog)),
                List.of(AutoconfigureApp.class.getName(), "60"),
                dir)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () ->
                  assertThat(receiver.logRecords().size())
                      .as("records arrived; child output:%n%s", app.output())
                      .isGreaterThanOrEqualTo(lines.size()));
      SampleLogAssertions.assertOneRecordPerLine(receiver.logRecords(), lines);
      assertThat(receiver.logRecords().get(0).stringAttribute("cloud.region"))
          .isEqualTo("eu-west-1");
      assertThat(receiver.logRecords().get(0).stringAttribute("cloud.provider")).isEqualTo("aws");
    }
  }
}
