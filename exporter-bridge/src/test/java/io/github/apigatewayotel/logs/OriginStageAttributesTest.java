package io.github.apigatewayotel.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A log group known (from the stages' {@code accessLogSettings}) to hold one stage's access logs
 * gives its records the API type and the stage's ARN, as metrics carry them; never to a line that
 * names another API or stage.
 */
class OriginStageAttributesTest {

  private static final AttributeKey<String> API_TYPE =
      AttributeKey.stringKey("aws.apigateway.api.type");
  private static final AttributeKey<String> RESOURCE_ID =
      AttributeKey.stringKey("cloud.resource_id");
  private static final AttributeKey<String> API_ID =
      AttributeKey.stringKey("aws.apigateway.api.id");
  private static final String CLF_LINE =
      "203.0.113.7 - - [24/Nov/2026:08:58:22 +0000]\"GET /pets HTTP/1.1\" 200 12 r-1 Xyz12AbCdEFgHi=";
  private static final String JSON_FORMAT =
      "{\"apiId\":\"$context.apiId\",\"stage\":\"$context.stage\",\"requestId\":\"$context.requestId\"}";

  private final InMemoryTelemetry telemetry = new InMemoryTelemetry();

  @AfterEach
  void close() {
    telemetry.close();
  }

  private LogRecordData emit(AccessLogFormat format, String line, LogOrigin origin) {
    telemetry.bridge().setFormat(format).build().emit(line, origin);
    return telemetry.records().get(telemetry.records().size() - 1);
  }

  private static LogOrigin group(String region) {
    return LogOrigin.cloudWatchLogs("api-gateway-pets", "stream", region, "123456789012");
  }

  @Test
  void aRestStagesGroupGivesTypeAndRestApiArn() {
    LogRecordData record =
        emit(
            AccessLogFormat.of("clf"),
            CLF_LINE,
            group("eu-west-1").withApiStage("a1b2c3d4e5", "prod", "rest"));

    assertThat(record.getAttributes().get(API_TYPE)).isEqualTo("rest");
    assertThat(record.getAttributes().get(RESOURCE_ID))
        .isEqualTo("arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/prod");
    assertThat(record.getAttributes().get(API_ID)).isEqualTo("a1b2c3d4e5");
  }

  @Test
  void httpAndWebSocketStagesUseTheV2ArnForm() {
    LogRecordData http =
        emit(
            AccessLogFormat.of("clf"),
            CLF_LINE,
            group("us-east-1").withApiStage("h1", "$default", "http"));
    LogRecordData ws =
        emit(
            AccessLogFormat.of("clf"),
            CLF_LINE,
            group("us-east-1").withApiStage("w1", "production", "websocket"));

    assertThat(http.getAttributes().get(RESOURCE_ID))
        .isEqualTo("arn:aws:apigateway:us-east-1::/apis/h1/stages/$default");
    assertThat(http.getAttributes().get(API_TYPE)).isEqualTo("http");
    assertThat(ws.getAttributes().get(RESOURCE_ID))
        .isEqualTo("arn:aws:apigateway:us-east-1::/apis/w1/stages/production");
    assertThat(ws.getAttributes().get(API_TYPE)).isEqualTo("websocket");
  }

  @Test
  void arnsUseTheRegionsPartition() {
    LogRecordData china =
        emit(
            AccessLogFormat.of("clf"),
            CLF_LINE,
            group("cn-north-1").withApiStage("c1", "prod", "rest"));
    assertThat(china.getAttributes().get(RESOURCE_ID))
        .isEqualTo("arn:aws-cn:apigateway:cn-north-1::/restapis/c1/stages/prod");
  }

  @Test
  void aLineNamingAnotherApiOrStageGetsNeither() {
    LogOrigin origin = group("eu-west-1").withApiStage("a1b2c3d4e5", "prod", "rest");
    AccessLogFormat json = AccessLogFormat.of(JSON_FORMAT);

    LogRecordData same =
        emit(json, "{\"apiId\":\"a1b2c3d4e5\",\"stage\":\"prod\",\"requestId\":\"r-1\"}", origin);
    LogRecordData otherStage =
        emit(json, "{\"apiId\":\"a1b2c3d4e5\",\"stage\":\"beta\",\"requestId\":\"r-2\"}", origin);
    LogRecordData otherApi =
        emit(json, "{\"apiId\":\"zzz\",\"stage\":\"prod\",\"requestId\":\"r-3\"}", origin);

    assertThat(same.getAttributes().get(RESOURCE_ID)).isNotNull();
    assertThat(otherStage.getAttributes().get(RESOURCE_ID)).isNull();
    assertThat(otherStage.getAttributes().get(API_TYPE)).isNull();
    assertThat(otherApi.getAttributes().get(RESOURCE_ID)).isNull();
    assertThat(otherApi.getAttributes().get(API_ID)).isEqualTo("zzz");
  }

  @Test
  void withoutTypeOrRegionThereIsNoArn() {
    LogRecordData untyped =
        emit(
            AccessLogFormat.of("clf"),
            CLF_LINE,
            group("eu-west-1").withApiStage("a1b2c3d4e5", "prod"));
    LogRecordData noRegion =
        emit(
            AccessLogFormat.of("clf"),
            CLF_LINE,
            group(null).withApiStage("a1b2c3d4e5", "prod", "rest"));

    assertThat(untyped.getAttributes().get(RESOURCE_ID)).isNull();
    assertThat(untyped.getAttributes().get(API_TYPE)).isNull();
    assertThat(noRegion.getAttributes().get(RESOURCE_ID)).isNull();
  }
}
