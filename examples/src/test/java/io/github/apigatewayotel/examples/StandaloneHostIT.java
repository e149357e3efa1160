package io.github.apigatewayotel.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
  void demoOncePollsTheSimulatedAccountOnceAndPrintsTheOtlpJsonItWouldSend() throws Exception {
    try (ChildJvm host =
        ChildJvm.startWithSeparateStderr(
            List.of(), List.of("-jar", ItPaths.demoJar().toString(), "--once"), dir)) {
      assertThat(host.waitFor(60)).as(host.output()).isZero();
      ObjectMapper json = new ObjectMapper();
      Set<String> apiTypesWithRequests = new HashSet<>();
      Set<String> logApiIds = new HashSet<>();
      int records = 0;
      for (String line : host.stdout().split("\n")) {
        if (line.startsWith("{\"resourceLogs\"")) {
          for (JsonNode resourceLogs : json.readTree(line).get("resourceLogs")) {
            for (JsonNode scopeLogs : resourceLogs.get("scopeLogs")) {
              for (JsonNode record : scopeLogs.get("logRecords")) {
                assertThat(record.get("eventName").asText()).isEqualTo("aws.apigateway.access");
                logApiIds.add(attribute(record, "aws.apigateway.api.id"));
                records++;
              }
            }
          }
        } else if (line.startsWith("{\"resourceMetrics\"")) {
          for (JsonNode resourceMetrics : json.readTree(line).get("resourceMetrics")) {
            for (JsonNode scopeMetrics : resourceMetrics.get("scopeMetrics")) {
              for (JsonNode metric : scopeMetrics.get("metrics")) {
                String name = metric.get("name").asText();
                if (name.equals("aws.apigateway.count")
                    || name.equals("aws.apigateway.message_count.sum")) {
                  for (JsonNode point : metric.get("sum").get("dataPoints")) {
                    if (point.get("asDouble").asDouble() > 0) {
                      apiTypesWithRequests.add(attribute(point, "aws.apigateway.api.type"));
                    }
                  }
                }
              }
            }
          }
        }
      }
      assertThat(apiTypesWithRequests)
          .as(host.output())
          .containsExactlyInAnyOrder("rest", "http", "websocket");
      assertThat(records).as(host.output()).isPositive();
      // one REST, one HTTP and one WebSocket API of the demo account wrote access logs
      assertThat(logApiIds).contains("a1b2c3d4e5", "h7t7p7a7p7", "w5s5k5t5c5");
    }
  }

  private static String attribute(JsonNode pointOrRecord, String key) {
    for (JsonNode attribute : pointOrRecord.get("attributes")) {
      if (attribute.get("key").asText().equals(key)) {
        return attribute.get("value").get("stringValue").asText();
      }
    }
    return "";
  }

  @Test
  void aBadPropertyFailsStartUpInOneLineNamingKeyAndValueWithItsOwnExitStatus() throws Exception {
    try (ChildJvm host =
        ChildJvm.start(
            List.of("-Dotel.apigateway.metrics.period=1h", "-Dotel.traces.exporter=none"),
            List.of("-jar", ItPaths.standaloneJar().toString(), "--once"),
            dir)) {
      assertThat(host.waitFor(60)).as(host.output()).isEqualTo(3);
      assertThat(host.output().strip().lines().toList())
          .as(host.output())
          .singleElement()
          .asString()
          .startsWith(
              "apigateway-otel: configuration error: Invalid value for property"
                  + " otel.apigateway.metrics.period=1h");
    }
  }

  @Test
  void helpSaysWhatEachOptionDoesAndTheExitStatuses() throws Exception {
    try (ChildJvm host =
        ChildJvm.start(
            List.of(), List.of("-jar", ItPaths.standaloneJar().toString(), "--help"), dir)) {
      assertThat(host.waitFor(60)).as(host.output()).isZero();
      assertThat(host.output())
          .startsWith("usage: java [-Dotel...] -jar apigateway-otel-standalone.jar")
          .contains(
              "--once ",
              "--help ",
              "apigateway-otel-demo.jar",
              "Exit status: 0 done; 1 a source failed")
          .doesNotContain("--plain ");
    }
    try (ChildJvm host =
        ChildJvm.start(List.of(), List.of("-jar", ItPaths.demoJar().toString(), "--help"), dir)) {
      assertThat(host.waitFor(60)).as(host.output()).isZero();
      assertThat(host.output())
          .startsWith("usage: java [-Dotel...] -jar apigateway-otel-demo.jar")
          .contains("--once ", "--plain ", "--help ", "Exit status: 0 done; 1 a source failed");
    }
    try (ChildJvm host =
        ChildJvm.start(
            List.of(), List.of("-jar", ItPaths.standaloneJar().toString(), "--demo"), dir)) {
      assertThat(host.waitFor(60)).as(host.output()).isEqualTo(2);
      assertThat(host.output()).contains("the demo has a jar of its own");
    }
    try (ChildJvm host =
        ChildJvm.start(
            List.of(), List.of("-jar", ItPaths.standaloneJar().toString(), "--onse"), dir)) {
      assertThat(host.waitFor(60)).as(host.output()).isEqualTo(2);
      assertThat(host.output()).contains("unknown argument: --onse", "usage:");
    }
  }

  @Test
  void onceExitsNonZeroNamingTheSourceThatFailedAndWhy() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (ChildJvm host =
        ChildJvm.start(
            List.of(
                "-Daws.accessKeyId=AKIDTEST",
                "-Daws.secretAccessKey=test-secret",
                "-Dotel.traces.exporter=none",
                "-Dotel.metrics.exporter=none",
                "-Dotel.logs.exporter=none",
                "-Dotel.apigateway.logs.enabled=false",
                "-Dotel.apigateway.regions=us-east-1",
                "-Dotel.apigateway.aws.account.id=123456789012",
                "-Dotel.apigateway.aws.endpoint=http://127.0.0.1:" + closedPort),
            List.of("-jar", ItPaths.standaloneJar().toString(), "--once"),
            dir)) {
      assertThat(host.waitFor(120)).as(host.output()).isEqualTo(1);
      assertThat(host.output())
          .contains(
              "apigateway-otel: 1 source(s) failed:",
              "  cloudwatch metrics in us-east-1: ",
              "cannot reach AWS: the connection to AWS was refused")
          .doesNotContain("retrying");
    }
  }
}
