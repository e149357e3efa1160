package io.github.apigatewayotel.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.github.apigatewayotel.testing.otlp.ReceivedLog;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The bridge behind a real SDK and the real OTLP/HTTP exporter, decoded by a real receiver. */
class AccessLogBridgeOtlpTest {

  private static final String FORMAT =
      "{\"requestId\":\"$context.requestId\",\"apiId\":\"$context.apiId\",\"stage\":\"$context.stage\","
          + "\"time\":$context.requestTimeEpoch,\"route\":\"$context.routeKey\","
          + "\"status\":$context.status,\"xray\":\"$context.xrayTraceId\","
          + "\"latency\":$context.integrationLatency}";

  @Test
  void accessLogLinesArriveAsDecodedOtlpLogRecords() throws Exception {
    try (OtlpTestReceiver receiver = OtlpTestReceiver.start()) {
      SdkLoggerProvider loggerProvider =
          OtlpLoggerProviders.exportingTo(
              receiver, batch -> batch.setScheduleDelay(Duration.ofMillis(50)));
      try {
        AccessLogBridge bridge =
            AccessLogBridge.builder(loggerProvider)
                .setFormat(AccessLogFormat.of(FORMAT))
                .setCloudRegion("eu-central-1")
                .build();
        LogOrigin origin = LogOrigin.cloudWatchLogs("api-gateway-http", "s1", null, "123456789012");
        bridge.emit(
            "{\"requestId\":\"r-1\",\"apiId\":\"abc\",\"stage\":\"$default\",\"time\":1764000000123,"
                + "\"route\":\"GET /pets/{id}\",\"status\":502,"
                + "\"xray\":\"1-5759e988-bd862e3fe1be46a994272793\",\"latency\":31}",
            origin);
        bridge.emit("{\"requestId\":\"r-2\",", origin);
        loggerProvider.forceFlush().join(10, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.logRecords().size() >= 2);
      } finally {
        loggerProvider.shutdown().join(10, TimeUnit.SECONDS);
      }

      List<ReceivedLog> logs = receiver.logRecords();
      assertThat(logs).hasSize(2);
      ReceivedLog parsed = logs.get(0);
      assertThat(parsed.scope().getName()).isEqualTo("io.github.apigatewayotel.logs");
      assertThat(parsed.record().getEventName()).isEqualTo("aws.apigateway.access");
      assertThat(parsed.record().getTimeUnixNano()).isEqualTo(1_764_000_000_123_000_000L);
      assertThat(parsed.record().getSeverityNumber())
          .isEqualTo(SeverityNumber.SEVERITY_NUMBER_ERROR);
      assertThat(HexFormat.of().formatHex(parsed.record().getTraceId().toByteArray()))
          .isEqualTo("5759e988bd862e3fe1be46a994272793");
      assertThat(parsed.record().getSpanId().size()).isEqualTo(8);
      assertThat(parsed.stringAttribute("aws.request_id")).isEqualTo("r-1");
      assertThat(parsed.stringAttribute("aws.apigateway.stage")).isEqualTo("$default");
      assertThat(parsed.stringAttribute("aws.apigateway.route_key")).isEqualTo("GET /pets/{id}");
      assertThat(parsed.stringAttribute("http.route")).isEqualTo("/pets/{id}");
      assertThat(parsed.stringAttribute("cloud.region")).isEqualTo("eu-central-1");
      assertThat(parsed.stringAttribute("cloud.account.id")).isEqualTo("123456789012");
      assertThat(parsed.attribute("http.response.status_code").map(AnyValue::getIntValue))
          .contains(502L);
      assertThat(
              parsed
                  .attribute("aws.apigateway.context.integrationLatency")
                  .map(AnyValue::getIntValue))
          .contains(31L);
      assertThat(
              parsed
                  .attribute("aws.log.group.names")
                  .map(v -> v.getArrayValue().getValues(0).getStringValue()))
          .contains("api-gateway-http");

      ReceivedLog mismatch = logs.get(1);
      assertThat(mismatch.body()).isEqualTo("{\"requestId\":\"r-2\",");
      assertThat(mismatch.stringAttribute("error.type"))
          .isEqualTo("aws.apigateway.access_log.mismatch");
    }
  }
}
