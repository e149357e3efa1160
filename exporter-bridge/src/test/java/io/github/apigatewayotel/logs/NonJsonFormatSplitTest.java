package io.github.apigatewayotel.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Non-JSON formats (CLF, CSV, XML, custom) whose values may hold the text that separates them: a
 * value runs past a separator only when its variable can hold one, and a line that no split fits is
 * a mismatch rather than a record with shifted values.
 */
class NonJsonFormatSplitTest {

  /** AWS's HTTP API CLF example, also a common Terraform default. */
  private static final String HTTP_API_CLF =
      "$context.identity.sourceIp - - [$context.requestTime] \"$context.httpMethod $context.routeKey"
          + " $context.protocol\" $context.status $context.responseLength $context.requestId"
          + " $context.integrationErrorMessage";

  private static final String CHROME_UA =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
          + " Chrome/131.0.0.0 Safari/537.36";
  private static final String TIME = "24/Nov/2025:08:58:22 +0000";
  private static final String AWS_CSV_LINE =
      "203.0.113.7,-,-,"
          + TIME
          + ",GET,/pets/{petId},HTTP/1.1,404,42,"
          + "c6af9ac6-7b61-11e6-9a41-93e8deadbeef,Xyz12AbCdEFgHi=";

  private static final AttributeKey<String> ROUTE_KEY =
      AttributeKey.stringKey("aws.apigateway.route_key");
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<Long> STATUS =
      AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<Long> BODY_SIZE =
      AttributeKey.longKey("http.response.body.size");
  private static final AttributeKey<String> REQUEST_ID = AttributeKey.stringKey("aws.request_id");
  private static final AttributeKey<String> EXTENDED_REQUEST_ID =
      AttributeKey.stringKey("aws.apigateway.extended_request_id");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  private static final AttributeKey<String> USER_AGENT =
      AttributeKey.stringKey("user_agent.original");
  private static final String MISMATCH = "aws.apigateway.access_log.mismatch";

  private final InMemoryTelemetry telemetry = new InMemoryTelemetry();

  @AfterEach
  void close() {
    telemetry.close();
  }

  private List<LogRecordData> emit(String format, String... lines) {
    AccessLogBridge bridge = telemetry.bridge().setFormat(AccessLogFormat.of(format)).build();
    for (String line : lines) {
      bridge.emit(line, LogOrigin.unknown());
    }
    return telemetry.records();
  }

  private static String httpApiClfLine(String routeKey) {
    return "198.51.100.1 - - ["
        + TIME
        + "] \"GET "
        + routeKey
        + " HTTP/1.1\" 200 12 Jd4_yhV3oAMEMAg= -";
  }

  @Test
  void routeKeyWithASpaceIsKeptWholeInTheHttpApiClf() {
    LogRecordData record = emit(HTTP_API_CLF, httpApiClfLine("GET /pets/{id}")).get(0);

    assertThat(record.getAttributes().asMap())
        .containsEntry(ROUTE_KEY, "GET /pets/{id}")
        .containsEntry(ROUTE, "/pets/{id}")
        .containsEntry(AttributeKey.stringKey("http.request.method"), "GET")
        .containsEntry(AttributeKey.stringKey("network.protocol.name"), "http")
        .containsEntry(AttributeKey.stringKey("network.protocol.version"), "1.1")
        .containsEntry(STATUS, 200L)
        .containsEntry(BODY_SIZE, 12L)
        .containsEntry(REQUEST_ID, "Jd4_yhV3oAMEMAg=")
        .doesNotContainKey(ERROR_TYPE);
    assertThat(telemetry.linesCounted("parsed")).isEqualTo(1);
  }

  @Test
  void specialAndGreedyRouteKeysParseInTheHttpApiClf() {
    List<LogRecordData> records =
        emit(HTTP_API_CLF, httpApiClfLine("$default"), httpApiClfLine("ANY /{proxy+}"));

    assertThat(records.get(0).getAttributes().asMap())
        .containsEntry(ROUTE_KEY, "$default")
        .doesNotContainKey(ROUTE)
        .containsEntry(STATUS, 200L);
    assertThat(records.get(1).getAttributes().asMap())
        .containsEntry(ROUTE_KEY, "ANY /{proxy+}")
        .containsEntry(ROUTE, "/{proxy+}")
        .containsEntry(STATUS, 200L);
    assertThat(telemetry.linesCounted("parsed")).isEqualTo(2);
  }

  @Test
  void anExtraTrailingFieldIsAMismatchNotPartOfTheLastValue() {
    String clfLine =
        "203.0.113.7 - - [" + TIME + "]\"GET /pets HTTP/1.1\" 200 1 c6af9ac6 Xyz12AbCdEFgHi= extra";
    emit("csv", AWS_CSV_LINE + ",extra");
    emit("clf", clfLine);

    assertThat(telemetry.records())
        .hasSize(2)
        .allSatisfy(
            record -> {
              assertThat(record.getAttributes().get(ERROR_TYPE)).isEqualTo(MISMATCH);
              assertThat(record.getAttributes().get(EXTENDED_REQUEST_ID)).isNull();
            });
    assertThat(telemetry.records().get(0).getBodyValue().asString())
        .isEqualTo(AWS_CSV_LINE + ",extra");
    assertThat(telemetry.linesCounted("mismatch")).isEqualTo(2);
    assertThat(telemetry.linesCounted("parsed")).isZero();
  }

  @Test
  void theAwsCsvSampleLineStillParses() {
    LogRecordData record = emit("csv", AWS_CSV_LINE).get(0);

    assertThat(record.getAttributes().asMap())
        .containsEntry(ROUTE, "/pets/{petId}")
        .containsEntry(STATUS, 404L)
        .containsEntry(BODY_SIZE, 42L)
        .containsEntry(EXTENDED_REQUEST_ID, "Xyz12AbCdEFgHi=")
        .doesNotContainKey(ERROR_TYPE);
  }

  @Test
  void aCommaInsideAFreeTextCsvValueDoesNotShiftTheTypedValues() {
    String line = AWS_CSV_LINE.replace("203.0.113.7,-,", "203.0.113.7,caller,with-comma,");
    LogRecordData record = emit("csv", line).get(0);

    // caller and user are both free text, so which of them holds the comma is a guess; every
    // value after them is where it belongs.
    Attributes attributes = record.getAttributes();
    assertThat(attributes.asMap())
        .containsEntry(AttributeKey.stringKey("http.request.method"), "GET")
        .containsEntry(ROUTE, "/pets/{petId}")
        .containsEntry(AttributeKey.stringKey("network.protocol.version"), "1.1")
        .containsEntry(STATUS, 404L)
        .containsEntry(BODY_SIZE, 42L)
        .containsEntry(REQUEST_ID, "c6af9ac6-7b61-11e6-9a41-93e8deadbeef")
        .doesNotContainKey(ERROR_TYPE);
    assertThat(record.getTimestampEpochNanos()).isEqualTo(1_763_974_702_000_000_000L);
    assertThat(
            attributes.get(AttributeKey.stringKey("aws.apigateway.context.identity.caller"))
                + ","
                + attributes.get(AttributeKey.stringKey("aws.apigateway.context.identity.user")))
        .isEqualTo("caller,with-comma,-");
  }

  @Test
  void aUserAgentWithCommasKeepsTheStatusInACustomCsv() {
    String format =
        "$context.requestId,$context.identity.userAgent,$context.status,$context.responseLength";
    LogRecordData record = emit(format, "r-1," + CHROME_UA + ",503,17").get(0);

    assertThat(record.getAttributes().asMap())
        .containsEntry(USER_AGENT, CHROME_UA)
        .containsEntry(STATUS, 503L)
        .containsEntry(BODY_SIZE, 17L)
        .doesNotContainKey(ERROR_TYPE);
    assertThat(record.getSeverity()).isEqualTo(Severity.ERROR);
  }

  @Test
  void aQuotedUserAgentHoldingQuotesAndCommasIsKeptWhole() {
    String format = "$context.requestId,\"$context.identity.userAgent\",$context.status";
    String agent = "curl/8.5 (KHTML, like Gecko) \"beta\", \"x\",v2";
    LogRecordData record = emit(format, "r-1,\"" + agent + "\",429").get(0);

    assertThat(record.getAttributes().asMap())
        .containsEntry(USER_AGENT, agent)
        .containsEntry(STATUS, 429L)
        .doesNotContainKey(ERROR_TYPE);
  }

  @Test
  void aStatusThatIsNotANumberIsAMismatch() {
    List<LogRecordData> records =
        emit(
            "$context.requestId $context.status $context.responseLength",
            "r-1 OK 12",
            "r-2 200 12");

    assertThat(records.get(0).getAttributes().get(ERROR_TYPE)).isEqualTo(MISMATCH);
    assertThat(records.get(1).getAttributes().asMap())
        .containsEntry(STATUS, 200L)
        .doesNotContainKey(ERROR_TYPE);
  }

  @Test
  void webSocketClfSplitsEventTypeRouteAndConnection() {
    String format =
        "$context.identity.sourceIp - - [$context.requestTime] \"$context.eventType"
            + " $context.routeKey $context.connectionId\" $context.status $context.requestId";
    List<LogRecordData> records =
        emit(
            format,
            "198.51.100.1 - - [" + TIME + "] \"CONNECT $connect L0SM9cOFvHcCIhw=\" 200 r-1",
            "198.51.100.1 - - [" + TIME + "] \"MESSAGE send message L0SM9cOFvHcCIhw=\" 200 r-2");

    assertThat(records.get(0).getAttributes().asMap())
        .containsEntry(ROUTE_KEY, "$connect")
        .containsEntry(AttributeKey.stringKey("aws.apigateway.context.eventType"), "CONNECT")
        .containsEntry(
            AttributeKey.stringKey("aws.apigateway.context.connectionId"), "L0SM9cOFvHcCIhw=")
        .doesNotContainKey(ROUTE);
    assertThat(records.get(1).getAttributes().asMap())
        .containsEntry(ROUTE_KEY, "send message")
        .containsEntry(
            AttributeKey.stringKey("aws.apigateway.context.connectionId"), "L0SM9cOFvHcCIhw=")
        .containsEntry(STATUS, 200L);
    assertThat(telemetry.linesCounted("parsed")).isEqualTo(2);
  }

  @Test
  void webSocketDisconnectStatusCodeIsANumberQuotedOrNot() {
    List<LogRecordData> records =
        emit(
            "$context.requestId,$context.eventType,$context.disconnectStatusCode",
            "r-1,DISCONNECT,1001");
    AccessLogBridge json =
        telemetry
            .bridge()
            .setFormat(
                AccessLogFormat.of(
                    "{\"id\":\"$context.requestId\",\"code\":\"$context.disconnectStatusCode\"}"))
            .build();
    json.emit("{\"id\":\"r-2\",\"code\":\"1000\"}", LogOrigin.unknown());

    AttributeKey<Long> code = AttributeKey.longKey("aws.apigateway.context.disconnectStatusCode");
    assertThat(records.get(0).getAttributes().get(code)).isEqualTo(1001L);
    assertThat(telemetry.records().get(1).getAttributes().get(code)).isEqualTo(1000L);
  }

  @Test
  void anHttpApiXmlLineWithARouteKeyParses() {
    String format =
        "<request id=\"$context.requestId\"> <routeKey>$context.routeKey</routeKey>"
            + " <status>$context.status</status> <ua>$context.identity.userAgent</ua> </request>";
    LogRecordData record =
        emit(
                format,
                "<request id=\"r-1\"> <routeKey>POST /orders/{id}</routeKey> <status>201"
                    + "</status> <ua>"
                    + CHROME_UA
                    + "</ua> </request>")
            .get(0);

    assertThat(record.getAttributes().asMap())
        .containsEntry(ROUTE_KEY, "POST /orders/{id}")
        .containsEntry(ROUTE, "/orders/{id}")
        .containsEntry(STATUS, 201L)
        .containsEntry(USER_AGENT, CHROME_UA)
        .doesNotContainKey(ERROR_TYPE);
  }

  @Test
  void aHostileLineWithManySeparatorsIsAMismatch() {
    String format = "$context.a $context.b $context.c $context.status";
    String hostile = "x ".repeat(100_000) + "x";
    List<LogRecordData> records = emit(format, hostile, "a b c 200");

    assertThat(records.get(0).getAttributes().get(ERROR_TYPE)).isEqualTo(MISMATCH);
    assertThat(records.get(0).getBodyValue().asString()).isEqualTo(hostile);
    assertThat(records.get(1).getAttributes().asMap())
        .containsEntry(STATUS, 200L)
        .containsEntry(AttributeKey.stringKey("aws.apigateway.context.c"), "c");
  }
}
