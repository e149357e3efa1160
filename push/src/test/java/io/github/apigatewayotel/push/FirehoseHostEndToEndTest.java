package io.github.apigatewayotel.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.receiver.ApiGatewayMetricsReceiver;
import io.github.apigatewayotel.testing.aws.ApiGatewaySimulator;
import io.github.apigatewayotel.testing.aws.CloudWatchSimulator;
import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.aws.StsSimulator;
import io.github.apigatewayotel.testing.aws.TaggingSimulator;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The standalone host's wiring ({@link FirehoseHosting} in an autoconfigured SDK exporting OTLP to
 * the testing module's receiver) fed what Firehose sends; the simulated account serves both the
 * polling receiver and the Metric Stream records, so the same datapoint can be compared on both
 * paths: same name, attributes (discovery's id join and tags included) and value.
 */
class FirehoseHostEndToEndTest {

  private static final String ACCOUNT = "123456789012";
  private static final String REGION = "us-east-1";
  private static final Instant NOW = Instant.parse("2026-12-04T10:00:30Z");

  private SimulatedAccount account;
  private FakeAwsServer aws;
  private OtlpTestReceiver otlp;
  private FirehoseHosting hosting;
  private OpenTelemetrySdk sdk;

  @BeforeEach
  void start() throws Exception {
    account = SimulatedAccount.demo(ACCOUNT, REGION, 7);
    account.setClock(() -> NOW);
    aws =
        FakeAwsServer.start()
            .register(new CloudWatchSimulator(account))
            .register(new ApiGatewaySimulator(account))
            .register(new TaggingSimulator(account))
            .register(new StsSimulator(account));
    otlp = OtlpTestReceiver.start();
    System.setProperty("aws.accessKeyId", "AKIDTEST");
    System.setProperty("aws.secretAccessKey", "secret");
    Map<String, String> properties = new HashMap<>();
    properties.put("otel.traces.exporter", "none");
    properties.put("otel.metrics.exporter", "otlp");
    properties.put("otel.logs.exporter", "otlp");
    properties.put("otel.exporter.otlp.protocol", "http/protobuf");
    properties.put("otel.exporter.otlp.endpoint", otlp.endpoint());
    properties.put("otel.exporter.otlp.metrics.temporality.preference", "delta");
    properties.put("otel.metric.export.interval", "3600000");
    properties.put("otel.apigateway.firehose.listen", "127.0.0.1:0");
    properties.put("otel.apigateway.firehose.access.key", EndpointHarness.ACCESS_KEY);
    properties.put("otel.apigateway.aws.endpoint", aws.endpoint().toString());
    hosting = FirehoseHosting.create();
    var builder =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> properties)
            .disableShutdownHook();
    hosting.customize(builder);
    sdk = builder.build().getOpenTelemetrySdk();
    assertThat(hosting.start(sdk)).isTrue();
  }

  @AfterEach
  void stop() {
    hosting.close();
    sdk.close();
    otlp.close();
    aws.close();
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  @Test
  void theSameDatapointThroughTheStreamAndThePollHasTheSameNameAttributesAndValue()
      throws Exception {
    // the polling path: one poll of the simulated account, delta as the push path always is
    Map<String, DoublePointData> polled = new TreeMap<>();
    long periodStart;
    try (ApiGatewayMetricsReceiver receiver =
        ApiGatewayMetricsReceiver.builder()
            .addRegion(REGION)
            .endpointOverride(aws.endpoint())
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .aggregationTemporality(AggregationTemporality.DELTA)
            .build()) {
      receiver.pollOnce();
      List<DoublePointData> latency = new ArrayList<>();
      for (MetricData metric : receiver.metricProducer().produce(Resource.empty())) {
        for (DoublePointData point : metric.getDoubleGaugeData().getPoints()) {
          if (isPetsProd(point)) {
            polled.put(metric.getName() + "@" + point.getEpochNanos(), point);
            if (metric.getName().equals("aws.apigateway.latency")) {
              latency.add(point);
            }
          }
        }
      }
      assertThat(latency).as("the poll read pets-api prod's latency").isNotEmpty();
      periodStart = TimeUnit.NANOSECONDS.toSeconds(latency.get(0).getEpochNanos());
    }

    // the push path: the same CloudWatch datapoint as Metric Streams writes it (OpenTelemetry 1.0)
    SimulatedAccount.Series series =
        account.series(REGION).stream()
            .filter(
                s ->
                    s.metricName().equals("Latency")
                        && s.dimensions().equals(Map.of("ApiName", "pets-api", "Stage", "prod")))
            .findFirst()
            .orElseThrow();
    Instant period = Instant.ofEpochSecond(periodStart);
    Map<Double, Double> percentiles = new TreeMap<>();
    for (String p : List.of("p50", "p75", "p90", "p95", "p99")) {
      percentiles.put(
          Double.parseDouble(p.substring(1)) / 100,
          account.datapoint(series, p, period, 60).orElseThrow());
    }
    FirehoseTestRequests.Datapoint datapoint =
        new FirehoseTestRequests.Datapoint(
            "Latency",
            series.dimensions(),
            periodStart,
            account.datapoint(series, "SampleCount", period, 60).orElseThrow(),
            account.datapoint(series, "Sum", period, 60).orElseThrow(),
            account.datapoint(series, "Minimum", period, 60).orElseThrow(),
            account.datapoint(series, "Maximum", period, 60).orElseThrow(),
            percentiles);
    byte[] body =
        FirehoseTestRequests.request(
            "e2e-metrics",
            List.of(FirehoseTestRequests.openTelemetryRecord(ACCOUNT, REGION, List.of(datapoint))));
    HttpResponse<String> response = post("/metric-streams", "e2e-metrics", body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

    // exported and confirmed before the 200: the OTLP side already holds it
    Map<String, NumberDataPoint> pushed = new TreeMap<>();
    for (ExportMetricsServiceRequest request : otlp.metricRequests()) {
      request
          .getResourceMetricsList()
          .forEach(
              rm ->
                  rm.getScopeMetricsList()
                      .forEach(
                          sm -> {
                            for (Metric metric : sm.getMetricsList()) {
                              if (metric.hasGauge()) {
                                metric
                                    .getGauge()
                                    .getDataPointsList()
                                    .forEach(
                                        p ->
                                            pushed.put(
                                                metric.getName() + "@" + p.getTimeUnixNano(), p));
                              }
                            }
                          }));
    }
    List<String> names =
        List.of(
            "aws.apigateway.latency",
            "aws.apigateway.latency.maximum",
            "aws.apigateway.latency.minimum",
            "aws.apigateway.latency.p50",
            "aws.apigateway.latency.p75",
            "aws.apigateway.latency.p90",
            "aws.apigateway.latency.p95",
            "aws.apigateway.latency.p99");
    // the receiver's default statistics leave some percentiles out (cost); those it polls must
    // agree
    List<String> compared =
        names.stream()
            .filter(name -> polled.containsKey(name + "@" + TimeUnit.SECONDS.toNanos(periodStart)))
            .toList();
    assertThat(compared)
        .contains(
            "aws.apigateway.latency",
            "aws.apigateway.latency.maximum",
            "aws.apigateway.latency.minimum",
            "aws.apigateway.latency.p50");
    for (String name : compared) {
      String key = name + "@" + TimeUnit.SECONDS.toNanos(periodStart);
      assertThat(pushed.keySet()).as("pushed " + key).contains(key);
      DoublePointData viaPoll = polled.get(key);
      NumberDataPoint viaPush = pushed.get(key);
      assertThat(attributes(viaPush.getAttributesList())).as(name).isEqualTo(attributes(viaPoll));
      assertThat(viaPush.getAsDouble())
          .as(name)
          .isCloseTo(
              viaPoll.getValue(),
              org.assertj.core.data.Offset.offset(
                  1e-9 * Math.max(1, Math.abs(viaPoll.getValue()))));
    }
    assertThat(
            attributes(
                pushed
                    .get("aws.apigateway.latency@" + TimeUnit.SECONDS.toNanos(periodStart))
                    .getAttributesList()))
        .as("discovery joined the ApiName to its id and tags")
        .containsEntry("aws.apigateway.api.id", "a1b2c3d4e5")
        .containsEntry("aws.tag.tier", "gold");
  }

  @Test
  void subscriptionLogsReachTheOtlpSideBeforeTheAnswer() throws Exception {
    String line =
        "{\"requestId\":\"e2e-1\",\"ip\":\"203.0.113.9\",\"requestTime\":\"04/Dec/2026:10:00:00 +0000\","
            + "\"httpMethod\":\"GET\",\"resourcePath\":\"/pets\",\"status\":\"200\",\"protocol\":\"HTTP/1.1\","
            + "\"responseLength\":\"42\"}";
    byte[] data =
        FirehoseTestRequests.subscription(
            "DATA_MESSAGE",
            "api-gateway-pets-api-prod",
            "s",
            List.of(line, line.replace("e2e-1", "e2e-2")),
            NOW.toEpochMilli());
    HttpResponse<String> response =
        post("/logs", "e2e-logs", FirehoseTestRequests.request("e2e-logs", List.of(data)));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(otlp.logRecordCount()).isEqualTo(2);
  }

  private HttpResponse<String> post(String path, String requestId, byte[] body) throws Exception {
    int port = hosting.endpoint().address().getPort();
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("X-Amz-Firehose-Request-Id", requestId)
                .header("X-Amz-Firehose-Access-Key", EndpointHarness.ACCESS_KEY)
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(FirehoseTestRequests.gzip(body)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static boolean isPetsProd(DoublePointData point) {
    return "pets-api"
            .equals(point.getAttributes().get(AttributeKey.stringKey("aws.apigateway.api.name")))
        && "prod".equals(point.getAttributes().get(AttributeKey.stringKey("aws.apigateway.stage")))
        && point.getAttributes().get(AttributeKey.stringKey("http.route")) == null;
  }

  private static Map<String, String> attributes(DoublePointData point) {
    Map<String, String> out = new TreeMap<>();
    point.getAttributes().forEach((k, v) -> out.put(k.getKey(), String.valueOf(v)));
    return out;
  }

  private static Map<String, String> attributes(List<KeyValue> attributes) {
    Map<String, String> out = new TreeMap<>();
    attributes.forEach(kv -> out.put(kv.getKey(), kv.getValue().getStringValue()));
    return out;
  }
}
