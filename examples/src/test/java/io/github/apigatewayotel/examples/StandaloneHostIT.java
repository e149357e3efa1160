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
            List.of(),
            List.of("-jar", ItPaths.demoJar().toString(), "--once"),
            dir)) {
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
                if (name.equals("aws.apigateway.count") || name.equals("aws.apigateway.message_count.sum")) {
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
      assertThat(apiTypesWithRequests).as(host.output()).containsExactlyInAnyOrder("rest", "http", "websocket");
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
  void aBadPropertyFailsStartUpNamingTheKey() throws Exception {
    try (ChildJvm host =
        ChildJvm.start(
            List.of("-Dotel.apigateway.logs.source=ftp://nowhere"),
            List.of("-jar", ItPaths.demoJar().toString(), "--once"),
            dir)) {
      assertThat(host.waitFor(60)).isNotZero();
      assertThat(host.output())
          .contains("ConfigurationException")
          .contains("otel.apigateway.logs.source")
          .contains("ftp://nowhere");
    }
  }
}
