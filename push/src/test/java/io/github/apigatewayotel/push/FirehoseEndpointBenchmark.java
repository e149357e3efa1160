package io.github.apigatewayotel.push;

import io.github.apigatewayotel.receiver.StreamedMetrics;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Records per CPU-second through the endpoint (HTTP, gzip, JSON, base64, decoding, mapping, export
 * to an in-memory exporter and its confirmation) against the same records decoded and mapped
 * without the endpoint, in one run (the ratio is what this noisy machine can compare), and the lag
 * from a datapoint's timestamp (its period's end, set to the moment it is sent) to the 200 that
 * follows its export. BENCHMARKS.md quotes it; run with {@code ./mvnw -B -q -pl push test-compile
 * exec:exec@firehose-benchmark}.
 */
public final class FirehoseEndpointBenchmark {

  private static final int REQUESTS = 200;
  private static final int RECORDS_PER_REQUEST = 100;
  private static final int DATAPOINTS_PER_RECORD = 10;
  private static final int LINES_PER_RECORD = 10;

  private FirehoseEndpointBenchmark() {}

  public static void main(String[] args) throws Exception {
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (EndpointHarness harness = new EndpointHarness(b -> b.setThreads(4))) {
      // warm-up, not counted
      metricsRound(harness, 20, "warm", new long[20]);
      decodeOnly(20);
      harness.metrics.reset();

      long cpu0 = os.getProcessCpuTime();
      long wall0 = System.nanoTime();
      long[] lags = new long[REQUESTS];
      metricsRound(harness, REQUESTS, "m", lags);
      double endpointCpu = (os.getProcessCpuTime() - cpu0) / 1e9;
      double endpointWall = (System.nanoTime() - wall0) / 1e9;

      cpu0 = os.getProcessCpuTime();
      decodeOnly(REQUESTS);
      double decodeCpu = (os.getProcessCpuTime() - cpu0) / 1e9;

      cpu0 = os.getProcessCpuTime();
      wall0 = System.nanoTime();
      logsRound(harness, REQUESTS);
      double logsCpu = (os.getProcessCpuTime() - cpu0) / 1e9;
      double logsWall = (System.nanoTime() - wall0) / 1e9;

      long datapoints = (long) REQUESTS * RECORDS_PER_REQUEST * DATAPOINTS_PER_RECORD;
      long lines = (long) REQUESTS * RECORDS_PER_REQUEST * LINES_PER_RECORD;
      Arrays.sort(lags);
      System.out.printf(
          "metric datapoints through the endpoint: %,d in %.2f s wall, %.2f CPU-s -> %,.0f datapoints per CPU-second%n",
          datapoints, endpointWall, endpointCpu, datapoints / endpointCpu);
      System.out.printf(
          "same records decoded and mapped only: %.2f CPU-s -> %,.0f datapoints per CPU-second; endpoint/decode-only = %.2f%n",
          decodeCpu, datapoints / decodeCpu, decodeCpu / endpointCpu);
      System.out.printf(
          "access-log lines through the endpoint: %,d in %.2f s wall, %.2f CPU-s -> %,.0f lines per CPU-second%n",
          lines, logsWall, logsCpu, lines / logsCpu);
      System.out.printf(
          "lag, datapoint timestamp (period end, = send time) to its export's 200: p50 %d ms, p99 %d ms, max %d ms%n",
          lags[lags.length / 2], lags[(int) (lags.length * 0.99)], lags[lags.length - 1]);
    }
    System.exit(0);
  }

  private static void metricsRound(
      EndpointHarness harness, int requests, String prefix, long[] lags) throws Exception {
    for (int r = 0; r < requests; r++) {
      long now = System.currentTimeMillis() / 1000;
      byte[] body = FirehoseTestRequests.request(prefix + r, records(now - 60));
      long sent = System.currentTimeMillis();
      HttpResponse<String> response =
          harness.post("/metric-streams", prefix + r, EndpointHarness.ACCESS_KEY, body, true);
      if (response.statusCode() != 200) {
        throw new IllegalStateException(response.body());
      }
      lags[r] = System.currentTimeMillis() - sent; // the period ended at the send time
    }
  }

  private static void decodeOnly(int requests) {
    StreamedMetrics metrics = StreamedMetrics.create("aws.tag.", null);
    for (int r = 0; r < requests; r++) {
      StreamedMetrics.Batch batch = metrics.newBatch();
      for (byte[] record : records(System.currentTimeMillis() / 1000 - 60)) {
        MetricStreamRecords.add(record, batch);
      }
      batch.submit();
      metrics.produce(io.opentelemetry.sdk.resources.Resource.empty());
    }
  }

  private static List<byte[]> records(long periodStart) {
    List<byte[]> records = new ArrayList<>(RECORDS_PER_REQUEST);
    for (int i = 0; i < RECORDS_PER_REQUEST; i++) {
      List<FirehoseTestRequests.Datapoint> datapoints = new ArrayList<>(DATAPOINTS_PER_RECORD);
      for (int d = 0; d < DATAPOINTS_PER_RECORD; d++) {
        datapoints.add(
            new FirehoseTestRequests.Datapoint(
                d % 2 == 0 ? "Latency" : "Count",
                Map.of("ApiName", "api-" + i, "Stage", "stage-" + d),
                periodStart,
                100,
                5000,
                3,
                400,
                d % 2 == 0 ? Map.of(0.5, 40.0, 0.9, 120.0, 0.99, 390.0) : Map.of()));
      }
      records.add(
          FirehoseTestRequests.openTelemetryRecord("123456789012", "us-east-1", datapoints));
    }
    return records;
  }

  private static void logsRound(EndpointHarness harness, int requests) throws Exception {
    String line =
        "{\"requestId\":\"%s\",\"ip\":\"203.0.113.9\",\"requestTime\":\"04/Dec/2026:10:00:00 +0000\","
            + "\"httpMethod\":\"GET\",\"resourcePath\":\"/pets\",\"status\":\"200\",\"protocol\":\"HTTP/1.1\",\"responseLength\":\"42\"}";
    for (int r = 0; r < requests; r++) {
      List<byte[]> records = new ArrayList<>(RECORDS_PER_REQUEST);
      for (int i = 0; i < RECORDS_PER_REQUEST; i++) {
        List<String> lines = new ArrayList<>(LINES_PER_RECORD);
        for (int l = 0; l < LINES_PER_RECORD; l++) {
          lines.add(String.format(line, r + "-" + i + "-" + l));
        }
        records.add(
            FirehoseTestRequests.subscription(
                "DATA_MESSAGE", "api-gateway-pets-api-prod", "s", lines, 1_764_842_400_000L));
      }
      HttpResponse<String> response =
          harness.post(
              "/logs",
              "l" + r,
              EndpointHarness.ACCESS_KEY,
              FirehoseTestRequests.request("l" + r, records),
              true);
      if (response.statusCode() != 200) {
        throw new IllegalStateException(response.body());
      }
      harness.logs.reset();
    }
  }
}
