package io.github.apigatewayotel.testing.aws.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * botocore, AWS's Python SDK core, against the simulated CloudWatch in each of the three protocols
 * it can speak to CloudWatch: AWS JSON 1.0 (its default), Smithy RPC v2 CBOR and awsQuery, each
 * with botocore's own serializer and parser (the model it loads offers only that one protocol; see
 * {@code botocore_cloudwatch.py}). Every protocol lists the same series and reads the same
 * datapoints, which are the account's, and reports CloudWatch's errors with the same codes. Needs
 * {@code python3} with botocore 1.40 or later (CloudWatch's model listing the three protocols);
 * skipped, saying so, without it.
 */
class BotocoreProtocolsTest {

  private static final Map<CloudWatchProtocol, String> BOTOCORE_NAMES =
      Map.of(
          CloudWatchProtocol.AWS_JSON_1_0, "json",
          CloudWatchProtocol.RPC_V2_CBOR, "smithy-rpc-v2-cbor",
          CloudWatchProtocol.AWS_QUERY, "query");

  static SimulatedCloudWatch simulated;
  static Path script;

  @BeforeAll
  static void start(@TempDir Path temp) throws Exception {
    Assumptions.assumeTrue(
        botocoreSpeaksCbor(),
        "python3 with a botocore whose CloudWatch model offers "
            + "smithy-rpc-v2-cbor, json and query is not installed: botocore's view of the three protocols is skipped");
    script = temp.resolve("botocore_cloudwatch.py");
    try (InputStream in =
        BotocoreProtocolsTest.class.getResourceAsStream("botocore_cloudwatch.py")) {
      Files.write(script, in.readAllBytes());
    }
    simulated = new SimulatedCloudWatch();
    simulated.cloudWatch.setDatapointsPerCall(50); // PartialData and NextToken within the run
  }

  @AfterAll
  static void stop() {
    if (simulated != null) {
      simulated.close();
    }
  }

  @Test
  void everyProtocolReadsTheSameSeriesDataAndErrors() throws Exception {
    Instant start = SimulatedCloudWatch.NOW.minusSeconds(630);
    Instant end = SimulatedCloudWatch.NOW.minusSeconds(30);
    Map<CloudWatchProtocol, JsonNode> seen = new EnumMap<>(CloudWatchProtocol.class);
    for (CloudWatchProtocol protocol : CloudWatchProtocol.values()) {
      long before = simulated.cloudWatch.requests(protocol);
      JsonNode out = run(BOTOCORE_NAMES.get(protocol), start, end);
      assertThat(out.path("protocol").asText()).isEqualTo(BOTOCORE_NAMES.get(protocol));
      assertThat(simulated.cloudWatch.requests(protocol) - before)
          .as(protocol.name())
          .isGreaterThan(3);
      seen.put(protocol, out);
    }
    JsonNode json = seen.get(CloudWatchProtocol.AWS_JSON_1_0);
    assertThat(json.path("metrics"))
        .hasSize(simulated.account.series(SimulatedCloudWatch.REGION).size());
    assertThat(json.path("filtered")).isNotEmpty();
    assertThat(json.path("dataPages").asInt()).isGreaterThan(1);
    assertDataIsTheAccounts(json, start, end);
    for (CloudWatchProtocol protocol : CloudWatchProtocol.values()) {
      JsonNode out = seen.get(protocol);
      for (String field : new String[] {"metrics", "filtered", "data", "dataPages"}) {
        assertThat(out.path(field)).as(protocol + " " + field).isEqualTo(json.path(field));
      }
      assertThat(out.path("throttled").path("code").asText())
          .as(protocol.name())
          .isEqualTo("Throttling");
      assertThat(out.path("throttled").path("status").asInt()).isEqualTo(400);
      assertThat(out.path("throttled").path("requestId").asText()).as(protocol.name()).isNotEmpty();
      assertThat(out.path("badToken").path("code").asText())
          .as(protocol.name())
          .isEqualTo("InvalidNextToken");
      assertThat(out.path("badQuery").path("code").asText())
          .as(protocol.name())
          .isEqualTo("ValidationError");
    }
  }

  private void assertDataIsTheAccounts(JsonNode out, Instant start, Instant end) {
    int compared = 0;
    for (int i = 0; i < 40; i++) {
      JsonNode metric = out.path("metrics").get(i);
      Map<String, String> dimensions =
          new ObjectMapper()
              .convertValue(
                  metric.path("dimensions"),
                  new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {});
      String name = metric.path("name").asText();
      SimulatedAccount.Series series =
          simulated.account.series(SimulatedCloudWatch.REGION).stream()
              .filter(s -> s.metricName().equals(name) && s.dimensions().equals(dimensions))
              .findFirst()
              .orElseThrow();
      String stat = name.contains("Latency") ? "p99" : "Sum";
      JsonNode points = out.path("data").path("q" + i).path("points");
      for (Instant t = start; t.isBefore(end); t = t.plusSeconds(60)) {
        var value = simulated.account.datapoint(series, stat, t, 60);
        JsonNode read = points.path(Long.toString(t.getEpochSecond()));
        if (value.isPresent()) {
          assertThat(read.asDouble())
              .as(name + dimensions + " " + t)
              .isEqualTo(value.getAsDouble());
          compared++;
        } else {
          assertThat(read.isMissingNode()).isTrue();
        }
      }
    }
    assertThat(compared).isGreaterThan(100);
  }

  private static JsonNode run(String protocol, Instant start, Instant end) throws Exception {
    Process process =
        new ProcessBuilder(
                "python3",
                script.toString(),
                simulated.aws.endpoint().toString(),
                protocol,
                Long.toString(start.getEpochSecond()),
                Long.toString(end.getEpochSecond()))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(new String(out, StandardCharsets.UTF_8)).isZero();
    return new ObjectMapper().readTree(out);
  }

  private static boolean botocoreSpeaksCbor() {
    try {
      Process process =
          new ProcessBuilder(
                  "python3",
                  "-c",
                  "import botocore.session as s; m = s.get_session().get_component('data_loader')"
                      + ".load_service_model('cloudwatch', 'service-2')['metadata']; "
                      + "assert {'smithy-rpc-v2-cbor', 'json', 'query'} <= set(m.get('protocols', []))")
              .redirectErrorStream(true)
              .start();
      process.getInputStream().readAllBytes();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
