package io.github.apigatewayotel.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * API Gateway writes {@code $context} values into a JSON format without escaping them: a value
 * holding a {@code "} makes the line invalid JSON. The line still fits the format's shape, and its
 * values are read as written rather than the whole line becoming a mismatch.
 */
class JsonRawValuesTest {

  private static final String FORMAT =
      "{\"requestId\":\"$context.requestId\", \"ua\":\"$context.identity.userAgent\","
          + " \"status\":\"$context.status\", \"error\":\"$context.error.message\","
          + " \"requestTime\":$context.requestTimeEpoch}";
  private static final AttributeKey<String> USER_AGENT =
      AttributeKey.stringKey("user_agent.original");
  private static final AttributeKey<String> ERROR_MESSAGE =
      AttributeKey.stringKey("aws.apigateway.context.error.message");
  private static final AttributeKey<Long> STATUS =
      AttributeKey.longKey("http.response.status_code");

  private final InMemoryTelemetry telemetry = new InMemoryTelemetry();

  @AfterEach
  void close() {
    telemetry.close();
  }

  @Test
  void valuesHoldingUnescapedQuotesAreReadAsWritten() {
    AccessLogBridge bridge = telemetry.bridge().setFormat(AccessLogFormat.of(FORMAT)).build();
    String line =
        "{\"requestId\":\"r-1\", \"ua\":\"Dalvik/2.1.0 (Linux; U; Android 10; 6\" tablet)\", \"status\":\"400\","
            + " \"error\":\"Invalid request body: \"qty\" must be a number\", \"requestTime\":1764000000123}";

    bridge.emit(line, LogOrigin.unknown());

    LogRecordData record = telemetry.onlyRecord();
    assertThat(record.getAttributes().get(ERROR_MESSAGE))
        .isEqualTo("Invalid request body: \"qty\" must be a number");
    assertThat(record.getAttributes().get(USER_AGENT))
        .isEqualTo("Dalvik/2.1.0 (Linux; U; Android 10; 6\" tablet)");
    assertThat(record.getAttributes().get(STATUS)).isEqualTo(400L);
    assertThat(record.getAttributes().get(AttributeKey.stringKey("aws.request_id")))
        .isEqualTo("r-1");
    assertThat(record.getAttributes().get(AttributeKey.stringKey("error.type"))).isNull();
    assertThat(record.getSeverity()).isEqualTo(Severity.WARN);
    assertThat(record.getTimestampEpochNanos()).isEqualTo(1_764_000_000_123_000_000L);
    assertThat(record.getBodyValue().asString()).isEqualTo(line);
    assertThat(telemetry.linesCounted("parsed")).isEqualTo(1);
  }

  @Test
  void aValueEndingInABackslashIsReadAsWritten() {
    AccessLogBridge bridge = telemetry.bridge().setFormat(AccessLogFormat.of(FORMAT)).build();
    bridge.emit(
        "{\"requestId\":\"r-2\", \"ua\":\"tool C:\\\", \"status\":\"200\", \"error\":\"-\","
            + " \"requestTime\":1764000000123}",
        LogOrigin.unknown());

    LogRecordData record = telemetry.onlyRecord();
    assertThat(record.getAttributes().get(USER_AGENT)).isEqualTo("tool C:\\");
    assertThat(record.getAttributes().get(STATUS)).isEqualTo(200L);
    assertThat(record.getAttributes().get(ERROR_MESSAGE)).isNull();
  }

  @Test
  void validJsonIsStillReadStrictlyAndEscapesDecoded() {
    AccessLogBridge bridge = telemetry.bridge().setFormat(AccessLogFormat.of(FORMAT)).build();
    bridge.emit(
        "{\"requestId\":\"r-3\", \"ua\":\"curl \\\"8\\\"\", \"status\":\"200\", \"error\":\"-\","
            + " \"requestTime\":1764000000123}",
        LogOrigin.unknown());

    assertThat(telemetry.onlyRecord().getAttributes().get(USER_AGENT)).isEqualTo("curl \"8\"");
  }

  @Test
  void aLineThatDoesNotHaveTheFormatsShapeIsStillAMismatch() {
    AccessLogBridge bridge = telemetry.bridge().setFormat(AccessLogFormat.of(FORMAT)).build();
    bridge.emit(
        "{\"requestId\":\"r-4\", \"ua\":\"x \"y\" z\", \"status\":\"200\"", LogOrigin.unknown());
    bridge.emit(
        "{\"requestId\":\"r-5\", \"status\":\"200\", \"ua\":\"a\"b\"}", LogOrigin.unknown());

    assertThat(telemetry.records())
        .hasSize(2)
        .allSatisfy(
            record -> {
              assertThat(record.getAttributes().get(AttributeKey.stringKey("error.type")))
                  .isEqualTo("aws.apigateway.access_log.mismatch");
              assertThat(record.getAttributes().get(STATUS)).isNull();
            });
    assertThat(telemetry.linesCounted("mismatch")).isEqualTo(2);
  }
}
