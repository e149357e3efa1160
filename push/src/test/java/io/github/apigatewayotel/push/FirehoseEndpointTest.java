package io.github.apigatewayotel.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FirehoseEndpointTest {

  private static final String ACCOUNT = "123456789012";
  private static final String REGION = "us-east-1";
  private static final long PERIOD = 1_764_800_000L; // a minute boundary (epoch seconds)
  private static final Map<String, String> PETS_PROD =
      Map.of("ApiName", "pets-api", "Stage", "prod");

  private EndpointHarness harness;

  @BeforeEach
  void start() throws Exception {
    harness = new EndpointHarness(b -> b.setMaxBodyBytes(256 * 1024));
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  private static FirehoseTestRequests.Datapoint latency() {
    return new FirehoseTestRequests.Datapoint(
        "Latency", PETS_PROD, PERIOD, 4, 100, 10, 40, Map.of(0.99, 39.5, 0.5, 22.0));
  }

  @Test
  void openTelemetryRecordsAreExportedBeforeTheAnswerWithTheTableNamesAndCloudWatchTime()
      throws Exception {
    byte[] record =
        FirehoseTestRequests.openTelemetryRecord(
            ACCOUNT,
            REGION,
            List.of(
                latency(),
                new FirehoseTestRequests.Datapoint(
                    "Count", PETS_PROD, PERIOD, 4, 4, 1, 1, Map.of())));
    HttpResponse<String> response =
        harness.post(
            "/metric-streams",
            "req-1",
            EndpointHarness.ACCESS_KEY,
            FirehoseTestRequests.request("req-1", List.of(record)),
            true);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(response.body())
        .contains("\"requestId\":\"req-1\"")
        .contains("\"timestamp\":")
        .doesNotContain("errorMessage");
    // exported before the 200, nothing collected afterwards
    Map<String, MetricData> byName = byName(harness.exportedMetrics());
    assertThat(byName)
        .containsKeys(
            "aws.apigateway.latency",
            "aws.apigateway.latency.maximum",
            "aws.apigateway.latency.minimum",
            "aws.apigateway.latency.p99",
            "aws.apigateway.latency.p50",
            "aws.apigateway.count");
    DoublePointData average = point(byName.get("aws.apigateway.latency"));
    assertThat(average.getValue()).isEqualTo(25.0); // Sum / SampleCount
    assertThat(byName.get("aws.apigateway.latency").getType())
        .isEqualTo(MetricDataType.DOUBLE_GAUGE);
    assertThat(byName.get("aws.apigateway.latency").getUnit()).isEqualTo("ms");
    assertThat(average.getEpochNanos())
        .isEqualTo(TimeUnit.SECONDS.toNanos(PERIOD)); // the period start
    assertThat(point(byName.get("aws.apigateway.latency.maximum")).getValue()).isEqualTo(40.0);
    assertThat(point(byName.get("aws.apigateway.latency.minimum")).getValue()).isEqualTo(10.0);
    assertThat(point(byName.get("aws.apigateway.latency.p99")).getValue()).isEqualTo(39.5);
    assertThat(average.getAttributes().get(AttributeKey.stringKey("aws.apigateway.api.name")))
        .isEqualTo("pets-api");
    assertThat(average.getAttributes().get(AttributeKey.stringKey("aws.apigateway.stage")))
        .isEqualTo("prod");
    assertThat(average.getAttributes().get(AttributeKey.stringKey("aws.apigateway.api.type")))
        .isEqualTo("rest");
    assertThat(average.getAttributes().get(AttributeKey.stringKey("cloud.account.id")))
        .isEqualTo(ACCOUNT);
    assertThat(average.getAttributes().get(AttributeKey.stringKey("cloud.region")))
        .isEqualTo(REGION);
    MetricData count = byName.get("aws.apigateway.count");
    assertThat(count.getType()).isEqualTo(MetricDataType.DOUBLE_SUM);
    assertThat(count.getDoubleSumData().isMonotonic()).isTrue();
    assertThat(point(count).getValue()).isEqualTo(4.0);
    assertThat(point(count).getStartEpochNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(PERIOD));
    assertThat(point(count).getEpochNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(PERIOD + 60));
  }

  @Test
  void jsonRecordsMapAsOpenTelemetryRecordsDo() throws Exception {
    byte[] record = FirehoseTestRequests.jsonRecord(ACCOUNT, REGION, List.of(latency()));
    HttpResponse<String> response =
        harness.post(
            "/metric-streams",
            "req-json",
            EndpointHarness.ACCESS_KEY,
            FirehoseTestRequests.request("req-json", List.of(record)),
            false);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    Map<String, MetricData> byName = byName(harness.exportedMetrics());
    assertThat(point(byName.get("aws.apigateway.latency")).getValue()).isEqualTo(25.0);
    assertThat(point(byName.get("aws.apigateway.latency.p99")).getValue()).isEqualTo(39.5);
    assertThat(point(byName.get("aws.apigateway.latency.maximum")).getValue()).isEqualTo(40.0);
  }

  @Test
  void aRetriedRequestIdIsAnsweredWithoutExportingTwice() throws Exception {
    byte[] body =
        FirehoseTestRequests.request(
            "req-dup",
            List.of(FirehoseTestRequests.openTelemetryRecord(ACCOUNT, REGION, List.of(latency()))));
    assertThat(
            harness
                .post("/metric-streams", "req-dup", EndpointHarness.ACCESS_KEY, body, false)
                .statusCode())
        .isEqualTo(200);
    int exported = harness.exportedMetrics().size();
    assertThat(exported).isPositive();

    assertThat(
            harness
                .post("/metric-streams", "req-dup", EndpointHarness.ACCESS_KEY, body, false)
                .statusCode())
        .isEqualTo(200);

    harness.meterProvider.forceFlush().join(5, TimeUnit.SECONDS);
    assertThat(harness.exportedMetrics()).hasSize(exported);
    assertThat(harness.endpoint.counts().duplicates()).isEqualTo(1);
  }

  @Test
  void aFailedExportIsAnsweredWithAnErrorSoFirehoseRetries() throws Exception {
    harness.backendDown.set(true);
    byte[] body =
        FirehoseTestRequests.request(
            "req-down",
            List.of(FirehoseTestRequests.openTelemetryRecord(ACCOUNT, REGION, List.of(latency()))));
    HttpResponse<String> down =
        harness.post("/metric-streams", "req-down", EndpointHarness.ACCESS_KEY, body, false);
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.body()).contains("\"requestId\":\"req-down\"").contains("\"errorMessage\":");

    harness.backendDown.set(
        false); // Firehose retries with the same request id: not a duplicate, it failed
    assertThat(
            harness
                .post("/metric-streams", "req-down", EndpointHarness.ACCESS_KEY, body, false)
                .statusCode())
        .isEqualTo(200);
    assertThat(byName(harness.exportedMetrics())).containsKey("aws.apigateway.latency");
  }

  @Test
  void aWrongAccessKeyIsRefusedAndCountedWithoutExporting() throws Exception {
    byte[] body =
        FirehoseTestRequests.request(
            "req-key",
            List.of(FirehoseTestRequests.openTelemetryRecord(ACCOUNT, REGION, List.of(latency()))));
    HttpResponse<String> wrong =
        harness.post("/metric-streams", "req-key", "not-the-key", body, false);
    HttpResponse<String> missing = harness.post("/logs", "req-key2", null, body, false);

    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(wrong.body())
        .contains("otel.apigateway.firehose.access.key")
        .doesNotContain("not-the-key");
    assertThat(harness.endpoint.counts().unauthorized()).isEqualTo(2);
    harness.meterProvider.forceFlush().join(5, TimeUnit.SECONDS);
    assertThat(harness.exportedMetrics()).isEmpty();
  }

  @Test
  void aBodyThatIsNotFirehoseJsonIsABadRequest() throws Exception {
    HttpResponse<String> notJson =
        harness.post(
            "/metric-streams",
            "req-bad",
            EndpointHarness.ACCESS_KEY,
            "hello".getBytes(StandardCharsets.UTF_8),
            false);
    HttpResponse<String> noRecords =
        harness.post(
            "/logs",
            "req-bad2",
            EndpointHarness.ACCESS_KEY,
            "{\"requestId\":\"x\",\"timestamp\":1}".getBytes(StandardCharsets.UTF_8),
            false);
    HttpResponse<String> notGzip =
        harness.post(
            "/logs",
            "req-bad3",
            EndpointHarness.ACCESS_KEY,
            "{}".getBytes(StandardCharsets.UTF_8),
            false);

    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.body()).contains("errorMessage").contains("not JSON");
    assertThat(noRecords.statusCode()).isEqualTo(400);
    assertThat(noRecords.body()).contains("no \\\"records\\\" array");
    assertThat(notGzip.statusCode()).isEqualTo(400);
  }

  @Test
  void recordsNotInTheFormatAreCountedAndTheRestExported() throws Exception {
    byte[] good = FirehoseTestRequests.openTelemetryRecord(ACCOUNT, REGION, List.of(latency()));
    byte[] bad = {0x0a, (byte) 0xff, 0x01, 0x02};
    HttpResponse<String> response =
        harness.post(
            "/metric-streams",
            "req-mixed",
            EndpointHarness.ACCESS_KEY,
            FirehoseTestRequests.request("req-mixed", List.of(bad, good)),
            false);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(harness.endpoint.counts().invalidRecords()).isEqualTo(1);
    assertThat(byName(harness.exportedMetrics())).containsKey("aws.apigateway.latency");
  }

  @Test
  void aBodyOverTheLimitIsRefusedWith413WhetherDeclaredOrGzipped() throws Exception {
    byte[] big = FirehoseTestRequests.request("req-big", List.of(new byte[400 * 1024]));
    HttpResponse<String> declared =
        harness.post("/logs", "req-big", EndpointHarness.ACCESS_KEY, big, false);
    // 400 KiB of zeros gzip to under 1 KiB: only the decompressed stream tells it is too large
    HttpResponse<String> bomb =
        harness.post("/logs", "req-bomb", EndpointHarness.ACCESS_KEY, big, true);

    assertThat(declared.statusCode()).isEqualTo(413);
    assertThat(declared.body()).contains("otel.apigateway.firehose.max.body.bytes");
    assertThat(bomb.statusCode()).isEqualTo(413);
  }

  @Test
  void aHundredMegabyteBodyWithoutALengthIsRefusedWhileItStreams() throws Exception {
    long size = 100L * 1024 * 1024;
    byte[] record =
        ("{\"data\":\"" + "A".repeat(4096) + "\"},").getBytes(StandardCharsets.US_ASCII);
    InputStream body =
        new InputStream() { // {"records":[{"data":"AAAA..."},... generated as it is sent
          private final byte[] head = "{\"records\":[".getBytes(StandardCharsets.US_ASCII);
          private long sent;

          @Override
          public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
          }

          @Override
          public int read(byte[] b, int off, int len) {
            if (sent >= size) {
              return -1;
            }
            int n = (int) Math.min(len, size - sent);
            for (int k = 0; k < n; ) {
              long i = sent + k;
              byte[] from = i < head.length ? head : record;
              int at = i < head.length ? (int) i : (int) ((i - head.length) % record.length);
              int chunk = Math.min(n - k, from.length - at);
              System.arraycopy(from, at, b, off + k, chunk);
              k += chunk;
            }
            sent += n;
            return n;
          }
        };
    HttpResponse<String> response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(harness.uri("/logs"))
                    .header("X-Amz-Firehose-Request-Id", "req-100mb")
                    .header("X-Amz-Firehose-Access-Key", EndpointHarness.ACCESS_KEY)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).contains("larger than 262144 bytes");
  }

  @Test
  void subscriptionPayloadsAndRawLinesBecomeAccessLogRecords() throws Exception {
    String line =
        "{\"requestId\":\"r-1\",\"ip\":\"203.0.113.9\",\"requestTime\":\"04/Dec/2026:10:00:00 +0000\","
            + "\"httpMethod\":\"GET\",\"resourcePath\":\"/pets\",\"status\":\"200\",\"protocol\":\"HTTP/1.1\","
            + "\"responseLength\":\"42\"}";
    byte[] data =
        FirehoseTestRequests.subscription(
            "DATA_MESSAGE",
            "api-gateway-pets-api-prod",
            "stream-1",
            List.of(line, line.replace("r-1", "r-2")),
            1_764_842_400_000L);
    byte[] control =
        FirehoseTestRequests.subscription(
            "CONTROL_MESSAGE",
            "api-gateway-pets-api-prod",
            "stream-1",
            List.of("CWL CONTROL MESSAGE: Checking health of destination Firehose."),
            1_764_842_400_000L);
    byte[] raw = (line.replace("r-1", "r-3") + "\n").getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> response =
        harness.post(
            "/logs",
            "req-logs",
            EndpointHarness.ACCESS_KEY,
            FirehoseTestRequests.request("req-logs", List.of(data, control, raw)),
            true);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<LogRecordData> logs = harness.exportedLogs();
    assertThat(logs).hasSize(3); // exported before the 200; the control message is none
    assertThat(logs.get(0).getAttributes().get(AttributeKey.stringArrayKey("aws.log.group.names")))
        .containsExactly("api-gateway-pets-api-prod");
    assertThat(logs)
        .extracting(r -> r.getAttributes().get(AttributeKey.stringKey("aws.request_id")))
        .containsExactlyInAnyOrder("r-1", "r-2", "r-3");
  }

  @Test
  void anExportSlowerThanTheRequestTimeoutIsStillAnswered() throws Exception {
    harness.exportDelayMillis.set(
        4_000); // the request timeout is 2 s: it bounds reading, not the export
    byte[] body =
        FirehoseTestRequests.request(
            "req-slow-export",
            List.of(FirehoseTestRequests.openTelemetryRecord(ACCOUNT, REGION, List.of(latency()))));
    HttpResponse<String> response =
        harness.post("/metric-streams", "req-slow-export", EndpointHarness.ACCESS_KEY, body, false);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(byName(harness.exportedMetrics())).containsKey("aws.apigateway.latency");
  }

  @Test
  void aClientThatStallsIsCutOffAndCounted() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", harness.endpoint.address().getPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /logs HTTP/1.1\r\nHost: x\r\nX-Amz-Firehose-Access-Key: "
                  + EndpointHarness.ACCESS_KEY
                  + "\r\nX-Amz-Firehose-Request-Id: slow\r\nContent-Length: 1000\r\n\r\n{\"records\":[")
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      // the server gives up on the body after its request timeout (2 s here): the connection ends
      byte[] answer = in.readAllBytes();
      assertThat(new String(answer, StandardCharsets.UTF_8)).doesNotContain(" 200 ");
    }
  }

  private static Map<String, MetricData> byName(List<MetricData> metrics) {
    Map<String, MetricData> byName = new java.util.HashMap<>();
    metrics.forEach(m -> byName.put(m.getName(), m));
    return byName;
  }

  private static DoublePointData point(MetricData metric) {
    return metric.getType() == MetricDataType.DOUBLE_GAUGE
        ? metric.getDoubleGaugeData().getPoints().iterator().next()
        : metric.getDoubleSumData().getPoints().iterator().next();
  }
}
