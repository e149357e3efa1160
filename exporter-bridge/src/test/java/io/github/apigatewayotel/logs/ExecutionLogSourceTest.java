package io.github.apigatewayotel.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.aws.SimulatedStageLogs;
import io.github.apigatewayotel.testing.aws.StageRequest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.testing.exporter.InMemoryLogRecordExporter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Execution logs read from CloudWatch Logs by the real source: one record per event, request id and
 * stage, severity from the message, multi-line messages whole, and the trace context of the
 * request's access-log line when that was read first.
 */
class ExecutionLogSourceTest {

  private static final String REGION = CloudWatchLogsTestFixture.REGION;
  private static final long SEED = 7;
  private static final long T0 = Instant.parse("2026-11-24T15:00:00Z").getEpochSecond();
  private static final String ACCESS_GROUP = "api-gateway-pets-api-prod";
  private static final String EXECUTION_GROUP = "API-Gateway-Execution-Logs_a1b2c3d4e5/prod";
  private static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("aws.request_id");
  private static final String ACCESS_FORMAT =
      "{\"requestId\":\"$context.requestId\",\"requestTime\":$context.requestTimeEpoch,"
          + "\"status\":$context.status,\"xrayTraceId\":\"$context.xrayTraceId\"}";

  private final SimulatedAccount account = SimulatedAccount.demo("123456789012", REGION, SEED);

  @Test
  void eachEventIsOneRecordOfItsRequestWithTheTraceOfItsAccessLogLine() throws Exception {
    InMemoryLogRecordExporter exported = InMemoryLogRecordExporter.create();
    try (CloudWatchLogsTestFixture fixture = new CloudWatchLogsTestFixture();
        SdkLoggerProvider loggerProvider =
            SdkLoggerProvider.builder()
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(exported))
                .build()) {
      SimulatedStageLogs stage =
          new SimulatedStageLogs(account, account.api("a1b2c3d4e5"), "prod", SEED);
      List<StageRequest> requests =
          stage.writeMinute(fixture.logs, ACCESS_GROUP, ACCESS_FORMAT, T0, true);
      int events = fixture.logs.events(EXECUTION_GROUP).size();
      assertThat(events).isGreaterThan(5 * requests.size());
      fixture.clock.setMillis(TimeUnit.SECONDS.toMillis(T0) + 120_000);

      RequestTraceContexts traces = RequestTraceContexts.create();
      AccessLogBridge access =
          AccessLogBridge.builder(loggerProvider)
              .setFormat(AccessLogFormat.of(ACCESS_FORMAT))
              .setRequestTraceContexts(traces)
              .build();
      ExecutionLogBridge execution =
          ExecutionLogBridge.builder(loggerProvider)
              .setCloudRegion(REGION)
              .setRequestTraceContexts(traces)
              .build();
      read(CloudWatchLogsSource.builder(access).addLogGroupName(ACCESS_GROUP), fixture);
      Map<String, String> traceByRequest =
          exported.getFinishedLogRecordItems().stream()
              .collect(
                  Collectors.toMap(
                      r -> r.getAttributes().get(REQUEST_ID),
                      r -> r.getSpanContext().getTraceId()));
      exported.reset();
      // Found by the default prefix, API-Gateway-Execution-Logs_.
      read(CloudWatchLogsSource.executionLogsBuilder(execution), fixture);

      List<LogRecordData> records = exported.getFinishedLogRecordItems();
      assertThat(records).hasSize(events);
      Map<String, Long> perRequest = new HashMap<>();
      for (LogRecordData record : records) {
        String requestId = record.getAttributes().get(REQUEST_ID);
        assertThat(requestId).isNotNull();
        perRequest.merge(requestId, 1L, Long::sum);
        assertThat(record.getEventName()).isEqualTo("aws.apigateway.execution");
        assertThat(record.getAttributes().get(AttributeKey.stringKey("aws.apigateway.api.id")))
            .isEqualTo("a1b2c3d4e5");
        assertThat(record.getAttributes().get(AttributeKey.stringKey("aws.apigateway.stage")))
            .isEqualTo("prod");
        assertThat(record.getSpanContext().getTraceId())
            .as("joined by request id")
            .isEqualTo(traceByRequest.get(requestId));
      }
      assertThat(perRequest).hasSize(requests.size());
      assertThat(records)
          .filteredOn(r -> r.getBodyValue().asString().contains("Execution failed"))
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r.getSeverity()).isEqualTo(Severity.ERROR));
      assertThat(records)
          .filteredOn(r -> r.getBodyValue().asString().contains("before transformations: {\n"))
          .as("a body of several lines is one record")
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r.getBodyValue().asString()).endsWith("\n}"));
      long serverErrors = requests.stream().filter(r -> r.status() >= 500).count();
      assertThat(records)
          .filteredOn(r -> r.getBodyValue().asString().contains("Method completed with status: 5"))
          .hasSize((int) serverErrors)
          .allSatisfy(r -> assertThat(r.getSeverity()).isEqualTo(Severity.ERROR));
    }
  }

  @Test
  void anEventWithoutItsRequestIdTakesTheRequestItsStreamWroteLastAndUnknownTracesStayUnset()
      throws Exception {
    InMemoryLogRecordExporter exported = InMemoryLogRecordExporter.create();
    try (CloudWatchLogsTestFixture fixture = new CloudWatchLogsTestFixture();
        SdkLoggerProvider loggerProvider =
            SdkLoggerProvider.builder()
                .addLogRecordProcessor(SimpleLogRecordProcessor.create(exported))
                .build()) {
      long t = CloudWatchLogsTestFixture.T0;
      fixture.logs.putLogEvent(
          EXECUTION_GROUP, "s1", t, "(req-1) Endpoint response body before transformations: {");
      fixture.logs.putLogEvent(
          EXECUTION_GROUP, "s2", t, "(req-2) Starting execution for request: req-2");
      fixture.logs.putLogEvent(EXECUTION_GROUP, "s1", t + 1, "  \"kind\": \"dog\"\n}");
      ExecutionLogBridge execution =
          ExecutionLogBridge.builder(loggerProvider)
              .setRequestTraceContexts(RequestTraceContexts.create())
              .build();
      read(
          CloudWatchLogsSource.executionLogsBuilder(execution).addLogGroupName(EXECUTION_GROUP),
          fixture);
      List<LogRecordData> records = exported.getFinishedLogRecordItems();
      assertThat(records)
          .extracting(r -> r.getAttributes().get(REQUEST_ID))
          .containsExactly("req-1", "req-2", "req-1");
      assertThat(records).allSatisfy(r -> assertThat(r.getSpanContext().isValid()).isFalse());
    }
  }

  private static void read(CloudWatchLogsSourceBuilder builder, CloudWatchLogsTestFixture fixture) {
    CloudWatchLogsSource source =
        builder
            .setClient(fixture.client)
            .setLookback(Duration.ofMinutes(10))
            .setClock(fixture.clock)
            .setRandom(() -> 0.0)
            .build();
    source.pollOnce();
    source.close();
  }
}
