package io.github.apigatewayotel.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the bridge's per-line savings must not change: per-thread reused line values, boxes shared
 * between lines, and line counts kept in adders and reported asynchronously.
 */
class AccessLogBridgeReuseTest {

  private final InMemoryTelemetry telemetry = new InMemoryTelemetry();

  @AfterEach
  void close() {
    telemetry.close();
  }

  private static String seedLine(String requestId, String ip, long status, long responseLength) {
    return "{\"apiId\": \"a1b2c3d4e5\", \"stage\": \"prod\", \"requestId\":\""
        + requestId
        + "\", \"ip\":\""
        + ip
        + "\", \"caller\":\"-\", \"user\":\"-\", \"requestTime\":"
        + "1764000000123, \"httpMethod\":\"GET\", \"resourcePath\":\"/pets\", \"status\":"
        + status
        + ", \"protocol\":\"HTTP/1.1\", \"responseLength\":"
        + responseLength
        + "}";
  }

  @Test
  void linesThatDoNotParseCarryNothingOverFromTheParsedLineBefore() {
    AccessLogBridge bridge = telemetry.bridge().build();
    bridge.emit(seedLine("r-1", "203.0.113.7", 200, 42), LogOrigin.unknown());
    bridge.emit("", LogOrigin.unknown());
    bridge.emit("x".repeat(300 * 1024), LogOrigin.unknown());
    bridge.emit("not an access log line", LogOrigin.unknown());
    bridge.emit(seedLine("r-2", "-", 404, 7), LogOrigin.unknown());

    List<LogRecordData> records = telemetry.records();
    assertThat(records).hasSize(5);
    assertThat(records.get(0).getAttributes().get(AttributeKey.stringKey("client.address")))
        .isEqualTo("203.0.113.7");
    for (LogRecordData unparsed : records.subList(1, 4)) {
      Attributes attributes = unparsed.getAttributes();
      assertThat(attributes.get(AttributeKey.stringKey("error.type"))).isNotNull();
      assertThat(attributes.get(AttributeKey.stringKey("aws.request_id"))).isNull();
      assertThat(attributes.get(AttributeKey.stringKey("client.address"))).isNull();
      assertThat(attributes.get(AttributeKey.longKey("http.response.status_code"))).isNull();
    }
    Attributes last = records.get(4).getAttributes();
    assertThat(last.get(AttributeKey.stringKey("aws.request_id"))).isEqualTo("r-2");
    assertThat(last.get(AttributeKey.stringKey("client.address"))).isNull();
    assertThat(last.get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(404L);
  }

  @Test
  void numbersKeepTheirValuesInsideAndOutsideTheSharedBoxes() {
    AccessLogBridge bridge = telemetry.bridge().build();
    long[][] statusAndLength = {{200, 0}, {503, 1023}, {204, 1024}, {299, 123_456_789_012L}};
    for (long[] pair : statusAndLength) {
      bridge.emit(seedLine("r", "203.0.113.7", pair[0], pair[1]), LogOrigin.unknown());
    }

    List<LogRecordData> records = telemetry.records();
    assertThat(records).hasSize(statusAndLength.length);
    for (int i = 0; i < statusAndLength.length; i++) {
      Attributes attributes = records.get(i).getAttributes();
      assertThat(attributes.get(AttributeKey.longKey("http.response.status_code")))
          .isEqualTo(statusAndLength[i][0]);
      assertThat(attributes.get(AttributeKey.longKey("http.response.body.size")))
          .isEqualTo(statusAndLength[i][1]);
    }
  }

  @Test
  void bridgesOnOneMeterProviderAddUpTheirLineCounts() {
    AccessLogBridge first = telemetry.bridge().build();
    AccessLogBridge second = telemetry.bridge().build();
    first.emit(seedLine("r-1", "203.0.113.7", 200, 1), LogOrigin.unknown());
    second.emit(seedLine("r-2", "203.0.113.8", 200, 1), LogOrigin.unknown());
    second.emit("", LogOrigin.unknown());

    assertThat(telemetry.linesCounted("parsed")).isEqualTo(2);
    assertThat(telemetry.linesCounted("empty")).isEqualTo(1);
    assertThat(telemetry.linesCounted("mismatch")).isZero();

    first.emit(seedLine("r-3", "203.0.113.9", 200, 1), LogOrigin.unknown());
    assertThat(telemetry.linesCounted("parsed")).as("cumulative across collections").isEqualTo(3);
  }
}
