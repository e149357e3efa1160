package io.github.apigatewayotel.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.apigatewayotel.testing.aws.CloudWatchLogsSimulator;
import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.aws.SimulatedStageLogs;
import io.github.apigatewayotel.testing.aws.StageRequest;
import io.github.apigatewayotel.testing.aws.StsSimulator;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.github.apigatewayotel.testing.otlp.ReceivedLog;
import io.github.apigatewayotel.testing.otlp.ReceivedMetric;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The plugin under SDK autoconfigure, with request metrics (on by default) and execution logs
 * (opt-in): the access log of one stage becomes {@code http.server.request.duration} over OTLP, per
 * route equal to CloudWatch's {@code Count} for the minute, with exemplars; its execution log
 * becomes records joined to the access log's traces.
 */
class LogSignalsEndToEndTest {

  private static final String REGION = "eu-west-1";
  private static final String ACCOUNT = "123456789012";
  private static final long SEED = 11;
  private static final String ACCESS_GROUP = "api-gateway-pets-api-prod";
  private static final String FORMAT =
      "{\"requestId\":\"$context.requestId\",\"apiId\":\"$context.apiId\",\"stage\":\"$context.stage\","
          + "\"requestTime\":$context.requestTimeEpoch,\"httpMethod\":\"$context.httpMethod\","
          + "\"resourcePath\":\"$context.resourcePath\",\"status\":$context.status,"
          + "\"responseLatency\":$context.responseLatency,\"xrayTraceId\":\"$context.xrayTraceId\"}";

  private final SimulatedAccount account = SimulatedAccount.demo(ACCOUNT, REGION, SEED);
  private final TemporarySystemProperties properties = new TemporarySystemProperties();

  @BeforeEach
  void start() {
    properties.setTestCredentials();
  }

  @AfterEach
  void stop() {
    properties.restore();
  }

  @Test
  void accessLogsBecomeRequestMetricsAndExecutionLogsJoinTheirTraces() throws Exception {
    // The minute must be open while the plugin reads it and closed when the test collects: its
    // grace period ends this margin after the start. A machine too busy to start the SDK and read
    // within it tries again with twice the margin (the JVM is warm by then).
    for (long margin : new long[] {8_000, 16_000, 32_000}) {
      if (attempt(margin)) {
        return;
      }
    }
    throw new AssertionError("the plugin never read the log before its minute closed");
  }

  /** One run; false when the minute closed before the plugin had read it (nothing asserted). */
  private boolean attempt(long marginMillis) throws Exception {
    long now = System.currentTimeMillis();
    long minute = now / 60_000 * 60_000 - 60_000; // the last whole minute
    long closes = now + marginMillis;
    long grace = closes - (minute + 60_000);
    CloudWatchLogsSimulator logs = new CloudWatchLogsSimulator(ACCOUNT);
    SimulatedAccount.Api pets = account.api("a1b2c3d4e5");
    List<StageRequest> requests =
        new SimulatedStageLogs(account, pets, "prod", SEED)
            .writeMinute(logs, ACCESS_GROUP, FORMAT, minute / 1000, true);
    int executionEvents =
        logs.events(SimulatedStageLogs.executionLogGroup(pets.id(), "prod")).size();
    try (FakeAwsServer aws =
            FakeAwsServer.start().register(logs).register(new StsSimulator(account));
        OtlpTestReceiver otlp = OtlpTestReceiver.start()) {
      OpenTelemetrySdk sdk = sdk(aws, otlp, grace);
      try {
        ApiGatewayPlugin plugin = ApiGatewayPlugin.of(sdk).orElseThrow();
        assertThat(plugin.awaitCompletion(Duration.ofSeconds(60))).isTrue();
        assertThat(plugin.failedSources()).isZero();
        if (System.currentTimeMillis() >= closes) {
          return false;
        }
        sdk.getSdkLoggerProvider().forceFlush().join(10, TimeUnit.SECONDS);
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> otlp.logRecords().size() >= requests.size() + executionEvents);
        Thread.sleep(Math.max(0, closes - System.currentTimeMillis())); // bounded by the margin
        sdk.getSdkMeterProvider().forceFlush().join(10, TimeUnit.SECONDS);
      } finally {
        sdk.close();
      }
      assertRequestMetrics(otlp, pets, minute, requests.size());
      assertExecutionLogs(otlp, executionEvents);
      return true;
    }
  }

  private static OpenTelemetrySdk sdk(FakeAwsServer aws, OtlpTestReceiver otlp, long graceMillis) {
    return AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(
            () ->
                Map.ofEntries(
                    Map.entry("otel.service.name", "log-signals-test"),
                    Map.entry("otel.traces.exporter", "none"),
                    Map.entry("otel.metrics.exporter", "otlp"),
                    Map.entry("otel.metric.export.interval", "600000"),
                    Map.entry("otel.exporter.otlp.metrics.temporality.preference", "delta"),
                    Map.entry("otel.logs.exporter", "otlp"),
                    Map.entry("otel.exporter.otlp.protocol", "http/protobuf"),
                    Map.entry("otel.exporter.otlp.endpoint", otlp.endpoint()),
                    Map.entry("otel.apigateway.metrics.enabled", "false"),
                    Map.entry("otel.apigateway.mode", "once"),
                    Map.entry("otel.apigateway.regions", REGION),
                    Map.entry("otel.apigateway.aws.endpoint", aws.endpoint().toString()),
                    Map.entry("otel.apigateway.logs.format", FORMAT),
                    Map.entry("otel.apigateway.logs.metrics.grace", graceMillis + "ms"),
                    Map.entry("otel.apigateway.logs.execution.enabled", "true")))
        .build()
        .getOpenTelemetrySdk();
  }

  private void assertRequestMetrics(
      OtlpTestReceiver otlp, SimulatedAccount.Api pets, long minute, int lines) {
    Map<String, Long> perRoute = new HashMap<>();
    int exemplars = 0;
    for (ReceivedMetric metric : otlp.metrics()) {
      if (!metric.name().equals("http.server.request.duration")) {
        continue;
      }
      assertThat(metric.metric().getHistogram().getAggregationTemporality())
          .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
      for (HistogramDataPoint point : metric.metric().getHistogram().getDataPointsList()) {
        assertThat(point.getStartTimeUnixNano()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(minute));
        perRoute.merge(
            attribute(point.getAttributesList(), "http.request.method")
                + " "
                + attribute(point.getAttributesList(), "http.route"),
            point.getCount(),
            Long::sum);
        exemplars += point.getExemplarsCount();
      }
    }
    for (String route : pets.routes()) {
      int space = route.indexOf(' ');
      SimulatedAccount.Series count =
          new SimulatedAccount.Series(
              REGION,
              pets.id(),
              "Count",
              Map.of(
                  "ApiName",
                  pets.cloudWatchName(),
                  "Stage",
                  "prod",
                  "Method",
                  route.substring(0, space),
                  "Resource",
                  route.substring(space + 1)));
      assertThat(perRoute.get(route))
          .as(route)
          .isEqualTo((long) account.value(count, "Sum", minute / 1000, 60));
    }
    assertThat(perRoute.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(lines);
    assertThat(exemplars).isPositive();
  }

  private static void assertExecutionLogs(OtlpTestReceiver otlp, int executionEvents) {
    Map<String, String> accessTraces = new HashMap<>();
    List<ReceivedLog> execution = new ArrayList<>();
    for (ReceivedLog log : otlp.logRecords()) {
      if (log.record().getEventName().equals("aws.apigateway.execution")) {
        execution.add(log);
      } else {
        accessTraces.put(
            log.stringAttribute("aws.request_id"), hex(log.record().getTraceId().toByteArray()));
      }
    }
    assertThat(execution).hasSize(executionEvents);
    assertThat(execution)
        .allSatisfy(
            log -> {
              assertThat(log.stringAttribute("aws.apigateway.stage")).isEqualTo("prod");
              assertThat(hex(log.record().getTraceId().toByteArray()))
                  .isEqualTo(accessTraces.get(log.stringAttribute("aws.request_id")))
                  .isNotEmpty();
            });
  }

  private static String attribute(List<KeyValue> attributes, String key) {
    return attributes.stream()
        .filter(kv -> kv.getKey().equals(key))
        .map(kv -> kv.getValue().getStringValue())
        .findFirst()
        .orElse(null);
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
