package io.github.apigatewayotel.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone host as users run it: {@code java -jar apigateway-otel-standalone.jar}. */
class StandaloneHostIT {

  @TempDir Path dir;

  @Test
  void onceReadsTheFileToTheEndFlushesAndExitsZero() throws Exception {
    Path accessLog = ItPaths.sampleAccessLog(dir);
    List<String> lines = ItPaths.lines(accessLog);
    try (OtlpTestReceiver receiver = OtlpTestReceiver.start();
        ChildJvm host =
            ChildJvm.start(
                List.of(
                    "-Dotel.exporter.otlp.endpoint=" + receiver.endpoint(),
                    "-Dotel.exporter.otlp.protocol=http/protobuf",
                    "-Dotel.traces.exporter=none",
                    "-Dotel.metrics.exporter=none",
                    "-Dotel.apigateway.metrics.enabled=false",
                    "-Dotel.apigateway.logs.source=file:" + accessLog),
                List.of("-jar", ItPaths.standaloneJar().toString(), "--once"),
                dir)) {
      assertThat(host.waitFor(60)).as(host.output()).isZero();
      // Everything was flushed before exit: no waiting here.
      SampleLogAssertions.assertOneRecordPerLine(receiver.logRecords(), lines);
    }
  }

  @Test
  void demoOncePrintsTheOtlpJsonItWouldSend() throws Exception {
    try (ChildJvm host =
        ChildJvm.start(
            List.of(),
            List.of("-jar", ItPaths.standaloneJar().toString(), "--demo", "--once"),
            dir)) {
      assertThat(host.waitFor(60)).as(host.output()).isZero();
      ObjectMapper json = new ObjectMapper();
      int records = 0;
      for (String line : host.output().split("\n")) {
        if (line.startsWith("{\"resourceLogs\"")) {
          for (JsonNode resourceLogs : json.readTree(line).get("resourceLogs")) {
            for (JsonNode scopeLogs : resourceLogs.get("scopeLogs")) {
              for (JsonNode record : scopeLogs.get("logRecords")) {
                assertThat(record.get("eventName").asText()).isEqualTo("aws.apigateway.access");
                records++;
              }
            }
          }
        }
      }
      int sampleLines = ItPaths.lines(ItPaths.sampleAccessLog(dir)).size();
      assertThat(records).as(host.output()).isEqualTo(sampleLines);
    }
  }

  @Test
  void aBadPropertyFailsStartUpNamingTheKey() throws Exception {
    try (ChildJvm host =
        ChildJvm.start(
            List.of("-Dotel.apigateway.logs.source=ftp://nowhere"),
            List.of("-jar", ItPaths.standaloneJar().toString(), "--demo", "--once"),
            dir)) {
      assertThat(host.waitFor(60)).isNotZero();
      assertThat(host.output())
          .contains("ConfigurationException")
          .contains("otel.apigateway.logs.source")
          .contains("ftp://nowhere");
    }
  }
}
