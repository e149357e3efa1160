package io.github.apigatewayotel.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AccessLogBridgeTest {

  private static final String REQUEST_ID = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef";
  private static final String EXTENDED_ID = "Xyz12AbCdEFgHi=";
  private static final long EPOCH_MILLIS = 1_764_000_000_123L;
  private static final String CLF_TIME = "24/Nov/2026:08:58:22 +0100";
  private static final long CLF_MILLIS =
      OffsetDateTime.of(2026, 11, 24, 8, 58, 22, 0, ZoneOffset.ofHours(1))
          .toInstant()
          .toEpochMilli();

  private static final String SEED_LINE =
      "{\"apiId\": \"a1b2c3d4e5\", \"stage\": \"prod\", \"requestId\":\""
          + REQUEST_ID
          + "\", \"ip\":\"203.0.113.7\", \"caller\":\"-\", \"user\":\"-\", \"requestTime\":"
          + EPOCH_MILLIS
          + ", \"httpMethod\":\"GET\", \"resourcePath\":\"/pets/{petId}\", \"status\":503,"
          + " \"protocol\":\"HTTP/1.1\", \"responseLength\":42}";

  private final InMemoryTelemetry telemetry = new InMemoryTelemetry();

  @AfterEach
  void close() {
    telemetry.close();
  }

  @Test
  void seedJsonLineBecomesOneRecordWithEverySeedAttribute() {
    AccessLogBridge bridge = telemetry.bridge().setCloudRegion("eu-west-1").build();
    bridge.emit(SEED_LINE, LogOrigin.unknown());

    LogRecordData record = telemetry.onlyRecord();
    assertThat(record.getBodyValue().asString()).isEqualTo(SEED_LINE);
    assertThat(record.getEventName()).isEqualTo("aws.apigateway.access");
    assertThat(record.getTimestampEpochNanos())
        .isEqualTo(TimeUnit.MILLISECONDS.toNanos(EPOCH_MILLIS));
    assertThat(record.getObservedTimestampEpochNanos())
        .isGreaterThan(record.getTimestampEpochNanos());
    assertThat(record.getSeverity()).isEqualTo(Severity.ERROR);
    assertThat(record.getSeverityText()).isEqualTo("ERROR");
    Attributes attributes = record.getAttributes();
    assertThat(attributes.asMap())
        .containsEntry(AttributeKey.stringKey("aws.apigateway.api.id"), "a1b2c3d4e5")
        .containsEntry(AttributeKey.stringKey("aws.apigateway.stage"), "prod")
        .containsEntry(AttributeKey.stringKey("aws.request_id"), REQUEST_ID)
        .containsEntry(AttributeKey.stringKey("client.address"), "203.0.113.7")
        .containsEntry(AttributeKey.stringKey("http.request.method"), "GET")
        .containsEntry(AttributeKey.stringKey("http.route"), "/pets/{petId}")
        .containsEntry(AttributeKey.longKey("http.response.status_code"), 503L)
        .containsEntry(AttributeKey.stringKey("network.protocol.name"), "http")
        .containsEntry(AttributeKey.stringKey("network.protocol.version"), "1.1")
        .containsEntry(AttributeKey.longKey("http.response.body.size"), 42L)
        .containsEntry(AttributeKey.stringKey("cloud.provider"), "aws")
        .containsEntry(AttributeKey.stringKey("cloud.region"), "eu-west-1");
    // "-" is API Gateway's "no value": caller and user are absent, not "-".
    assertThat(attributes.get(AttributeKey.stringKey("aws.apigateway.context.identity.caller")))
        .isNull();
    assertThat(attributes.get(AttributeKey.stringKey("aws.apigateway.context.identity.user")))
        .isNull();
    assertThat(attributes.get(AttributeKey.stringKey("error.type"))).isNull();
    assertThat(telemetry.linesCounted("parsed")).isEqualTo(1);
  }

  @Test
  void seedLineWithPrettyPrintedSpacingStillFitsTheFastPath() {
    AccessLogBridge bridge = telemetry.bridge().build();
    String pretty =
        "{\n    " + SEED_LINE.substring(1, SEED_LINE.length() - 1).replace(", ", ",\n    ") + "\n}";
    String compact = SEED_LINE.replace(", ", ",").replace("\": \"", "\":\"");
    bridge.emit(pretty, LogOrigin.unknown());
    bridge.emit(compact, LogOrigin.unknown());

    assertThat(telemetry.records())
        .hasSize(2)
        .allSatisfy(
            record -> {
              assertThat(
                      record.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
                  .isEqualTo(503L);
              assertThat(record.getAttributes().get(AttributeKey.stringKey("error.type"))).isNull();
            });
  }

  @Test
  void jsonWithKeysReorderedAndEscapesFallsBackToTheTolerantParser() {
    AccessLogBridge bridge =
        telemetry
            .bridge()
            .setFormat(
                AccessLogFormat.of(
                    "{\"ua\":\"$context.identity.userAgent\",\"status\":$context.status,"
                        + "\"requestId\":\"$context.requestId\"}"))
            .build();
    String line = "{\"requestId\":\"r-1\",\"status\":\"404\",\"ua\":\"curl \\\"8\\\" \\u00e9\"}";
    bridge.emit(line, LogOrigin.unknown());

    LogRecordData record = telemetry.onlyRecord();
    assertThat(record.getAttributes().get(AttributeKey.stringKey("user_agent.original")))
        .isEqualTo("curl \"8\" é");
    assertThat(record.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
        .isEqualTo(404L);
    assertThat(record.getSeverity()).isEqualTo(Severity.WARN);
    assertThat(telemetry.linesCounted("parsed")).isEqualTo(1);
  }

  @Test
  void clfLineParsesWithRequestTimeAsTimestamp() {
    AccessLogBridge bridge = telemetry.bridge().setFormat(AccessLogFormat.of("clf")).build();
    String line =
        "203.0.113.7 - - ["
            + CLF_TIME
            + "]\"POST /pets HTTP/1.1\" 201 17 "
            + REQUEST_ID
            + " "
            + EXTENDED_ID;
    bridge.emit(line, LogOrigin.unknown());

    LogRecordData record = telemetry.onlyRecord();
    assertThat(record.getTimestampEpochNanos())
        .isEqualTo(TimeUnit.MILLISECONDS.toNanos(CLF_MILLIS));
    assertThat(record.getSeverity()).isEqualTo(Severity.INFO);
    assertThat(record.getAttributes().asMap())
        .containsEntry(AttributeKey.stringKey("client.address"), "203.0.113.7")
        .containsEntry(AttributeKey.stringKey("http.request.method"), "POST")
        .containsEntry(AttributeKey.stringKey("http.route"), "/pets")
        .containsEntry(AttributeKey.longKey("http.response.status_code"), 201L)
        .containsEntry(AttributeKey.longKey("http.response.body.size"), 17L)
        .containsEntry(AttributeKey.stringKey("aws.request_id"), REQUEST_ID)
        .containsEntry(AttributeKey.stringKey("aws.apigateway.extended_request_id"), EXTENDED_ID);
  }

  @Test
  void csvAndXmlAndAwsJsonExamplesParse() {
    String csv =
        "203.0.113.7,-,-,"
            + CLF_TIME
            + ",DELETE,/pets/{petId},HTTP/1.1,204,-,"
            + REQUEST_ID
            + ","
            + EXTENDED_ID;
    String xml =
        "<request id=\""
            + REQUEST_ID
            + "\"> <extendedRequestId>"
            + EXTENDED_ID
            + "</extendedRequestId> <ip>203.0.113.7</ip> <caller>-</caller> <user>-</user> <requestTime>"
            + CLF_TIME
            + "</requestTime> <httpMethod>DELETE</httpMethod> <resourcePath>/pets/{petId}"
            + "</resourcePath> <status>204</status> <protocol>HTTP/1.1</protocol> <responseLength>-"
            + "</responseLength> </request>";
    String awsJson =
        "{ \"requestId\":\""
            + REQUEST_ID
            + "\", \"extendedRequestId\":\""
            + EXTENDED_ID
            + "\",\"ip\": \"203.0.113.7\", \"caller\":\"-\", \"user\":\"-\", \"requestTime\":\""
            + CLF_TIME
            + "\", \"httpMethod\":\"DELETE\", \"resourcePath\":\"/pets/{petId}\", \"status\":\"204\","
            + " \"protocol\":\"HTTP/1.1\", \"responseLength\":\"-\" }";
    AccessLogBridge bridge = telemetry.bridge().build();
    bridge.emit(AccessLogFormat.of("csv"), csv, LogOrigin.unknown(), 1L);
    bridge.emit(AccessLogFormat.of("xml"), xml, LogOrigin.unknown(), 1L);
    bridge.emit(AccessLogFormat.of("aws-json"), awsJson, LogOrigin.unknown(), 1L);

    List<LogRecordData> records = telemetry.records();
    assertThat(records)
        .hasSize(3)
        .allSatisfy(
            record -> {
              assertThat(record.getAttributes().get(AttributeKey.stringKey("error.type"))).isNull();
              assertThat(record.getTimestampEpochNanos())
                  .isEqualTo(TimeUnit.MILLISECONDS.toNanos(CLF_MILLIS));
              assertThat(record.getAttributes().asMap())
                  .containsEntry(AttributeKey.stringKey("http.request.method"), "DELETE")
                  .containsEntry(AttributeKey.stringKey("http.route"), "/pets/{petId}")
                  .containsEntry(AttributeKey.longKey("http.response.status_code"), 204L)
                  .containsEntry(AttributeKey.stringKey("aws.request_id"), REQUEST_ID)
                  .containsEntry(
                      AttributeKey.stringKey("aws.apigateway.extended_request_id"), EXTENDED_ID)
                  .doesNotContainKey(AttributeKey.longKey("http.response.body.size"));
            });
    assertThat(telemetry.linesCounted("parsed")).isEqualTo(3);
  }

  @Test
  void httpApiFormatMapsEveryDesignAttribute() {
    AccessLogFormat format =
        AccessLogFormat.of(
            "{\"requestId\":\"$context.requestId\",\"apiId\":\"$context.apiId\","
                + "\"accountId\":\"$context.accountId\",\"routeKey\":\"$context.routeKey\","
                + "\"path\":\"$context.path\",\"domain\":\"$context.domainName\","
                + "\"ua\":\"$context.identity.userAgent\",\"id2\":\"$context.awsEndpointRequestId2\","
                + "\"ext\":\"$context.extendedRequestId\",\"xray\":\"$context.xrayTraceId\","
                + "\"method\":\"$context.httpMethod\",\"protocol\":\"$context.protocol\","
                + "\"latency\":\"$context.integrationLatency\",\"ratio\":$context.custom.ratio,"
                + "\"flag\":$context.authorizer.enabled,\"sub\":\"$context.authorizer.claims.sub\","
                + "\"status\":$context.status}");
    AccessLogBridge bridge = telemetry.bridge().setCloudAccountId("111111111111").build();
    String line =
        "{\"requestId\":\"r-9\",\"apiId\":\"abc123\",\"accountId\":\"222222222222\","
            + "\"routeKey\":\"GET /pets/{id}\",\"path\":\"/prod/pets/7\",\"domain\":\"api.example.com\","
            + "\"ua\":\"Mozilla/5.0 (X11)\",\"id2\":\"amz-id-2\",\"ext\":\"ext-9\","
            + "\"xray\":\"1-5759e988-bd862e3fe1be46a994272793\",\"method\":\"PURGE\","
            + "\"protocol\":\"HTTP/2.0\",\"latency\":\"12\",\"ratio\":1.5,\"flag\":true,"
            + "\"sub\":\"12345\",\"status\":200}";
    bridge.emit(
        format,
        line,
        LogOrigin.cloudWatchLogs("api-gateway-prod", "stream-1", "us-east-2", null),
        5L);

    LogRecordData record = telemetry.onlyRecord();
    assertThat(record.getAttributes().asMap())
        .containsEntry(AttributeKey.stringKey("aws.request_id"), "r-9")
        .containsEntry(AttributeKey.stringKey("aws.apigateway.api.id"), "abc123")
        .containsEntry(AttributeKey.stringKey("cloud.account.id"), "222222222222")
        .containsEntry(AttributeKey.stringKey("cloud.region"), "us-east-2")
        .containsEntry(AttributeKey.stringKey("aws.apigateway.route_key"), "GET /pets/{id}")
        .containsEntry(AttributeKey.stringKey("http.route"), "/pets/{id}")
        .containsEntry(AttributeKey.stringKey("url.path"), "/prod/pets/7")
        .containsEntry(AttributeKey.stringKey("server.address"), "api.example.com")
        .containsEntry(AttributeKey.stringKey("user_agent.original"), "Mozilla/5.0 (X11)")
        .containsEntry(AttributeKey.stringKey("aws.extended_request_id"), "amz-id-2")
        .containsEntry(AttributeKey.stringKey("aws.apigateway.extended_request_id"), "ext-9")
        .containsEntry(AttributeKey.stringKey("http.request.method"), "_OTHER")
        .containsEntry(AttributeKey.stringKey("http.request.method_original"), "PURGE")
        .containsEntry(AttributeKey.stringKey("network.protocol.version"), "2")
        .containsEntry(AttributeKey.longKey("aws.apigateway.context.integrationLatency"), 12L)
        .containsEntry(AttributeKey.doubleKey("aws.apigateway.context.custom.ratio"), 1.5)
        .containsEntry(AttributeKey.booleanKey("aws.apigateway.context.authorizer.enabled"), true)
        .containsEntry(
            AttributeKey.stringKey("aws.apigateway.context.authorizer.claims.sub"), "12345")
        .containsEntry(
            AttributeKey.stringArrayKey("aws.log.group.names"), List.of("api-gateway-prod"))
        .containsEntry(AttributeKey.stringArrayKey("aws.log.stream.names"), List.of("stream-1"));
    // No time variable: the fallback (e.g. the CloudWatch event time) is the timestamp.
    assertThat(record.getTimestampEpochNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(5L));
    assertThat(record.getSpanContext().getTraceId()).isEqualTo("5759e988bd862e3fe1be46a994272793");
    assertThat(record.getSpanContext().isValid()).isTrue();
    assertThat(record.getSpanContext().isSampled()).isFalse();
  }

  @Test
  void originAndBuilderDefaultsFillCloudAttributes() {
    AccessLogBridge bridge =
        telemetry.bridge().setCloudRegion("eu-west-1").setCloudAccountId("111111111111").build();
    bridge.emit(SEED_LINE, LogOrigin.cloudWatchLogs("g", "s", null, "333333333333"));
    bridge.emit(SEED_LINE, LogOrigin.file("/var/log/access.log"));

    assertThat(telemetry.records().get(0).getAttributes().asMap())
        .containsEntry(AttributeKey.stringKey("cloud.region"), "eu-west-1")
        .containsEntry(AttributeKey.stringKey("cloud.account.id"), "333333333333");
    assertThat(telemetry.records().get(1).getAttributes().asMap())
        .containsEntry(AttributeKey.stringKey("cloud.account.id"), "111111111111")
        .doesNotContainKey(AttributeKey.stringArrayKey("aws.log.group.names"));
  }

  @Test
  void resourcePathWinsOverRouteKeyAndSpecialRouteKeysGiveNoRoute() {
    AccessLogFormat format =
        AccessLogFormat.of("$context.requestId $context.routeKey|$context.resourcePath");
    AccessLogBridge bridge = telemetry.bridge().setFormat(format).build();
    bridge.emit("r1 ANY /pets/{proxy+}|/pets/{proxy+}", LogOrigin.unknown());
    bridge.emit("r2 $connect|-", LogOrigin.unknown());

    assertThat(telemetry.records().get(0).getAttributes().get(AttributeKey.stringKey("http.route")))
        .isEqualTo("/pets/{proxy+}");
    assertThat(telemetry.records().get(1).getAttributes().asMap())
        .containsEntry(AttributeKey.stringKey("aws.apigateway.route_key"), "$connect")
        .doesNotContainKey(AttributeKey.stringKey("http.route"));
  }

  @Test
  void xrayHeaderFormUsesItsParentAsSpanIdAndSampledFlag() {
    AccessLogBridge bridge =
        telemetry
            .bridge()
            .setFormat(AccessLogFormat.of("$context.requestId $context.xrayTraceId"))
            .build();
    bridge.emit(
        "r1 Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
        LogOrigin.unknown());
    bridge.emit("r2 not-an-xray-id", LogOrigin.unknown());

    LogRecordData traced = telemetry.records().get(0);
    assertThat(traced.getSpanContext().getTraceId()).isEqualTo("5759e988bd862e3fe1be46a994272793");
    assertThat(traced.getSpanContext().getSpanId()).isEqualTo("53995c3f42cd8ad8");
    assertThat(traced.getSpanContext().isSampled()).isTrue();
    assertThat(telemetry.records().get(1).getSpanContext().isValid()).isFalse();
  }

  @Test
  void mismatchedLinesAreEmittedWithBodyAndErrorTypeAndCounted() {
    AccessLogBridge bridge = telemetry.bridge().build();
    String truncatedJson = SEED_LINE.substring(0, SEED_LINE.length() / 2);
    bridge.emit(truncatedJson, LogOrigin.unknown());
    AccessLogBridge csv = telemetry.bridge().setFormat(AccessLogFormat.of("csv")).build();
    csv.emit("203.0.113.7,-,-,only-four-fields", LogOrigin.unknown());
    AccessLogBridge clf = telemetry.bridge().setFormat(AccessLogFormat.of("clf")).build();
    clf.emit(
        "203.0.113.7 - - [" + CLF_TIME + "]\"GET /pets HTTP/1.1 200 1 r x", LogOrigin.unknown());

    assertThat(telemetry.records())
        .hasSize(3)
        .allSatisfy(
            record -> {
              assertThat(record.getAttributes().get(AttributeKey.stringKey("error.type")))
                  .isEqualTo("aws.apigateway.access_log.mismatch");
              assertThat(record.getEventName()).isEqualTo("aws.apigateway.access");
              assertThat(record.getAttributes().get(AttributeKey.stringKey("aws.request_id")))
                  .isNull();
            });
    assertThat(telemetry.records().get(0).getBodyValue().asString()).isEqualTo(truncatedJson);
    assertThat(telemetry.linesCounted("mismatch")).isEqualTo(3);
    assertThat(telemetry.linesCounted("parsed")).isZero();
  }

  @Test
  void emptyNullAndOverlongLinesAreEmittedAndCounted() {
    AccessLogBridge bridge = telemetry.bridge().build();
    bridge.emit("", LogOrigin.unknown());
    bridge.emit(null, null);
    String huge = "x".repeat(1024 * 1024);
    bridge.emit(huge, LogOrigin.unknown());

    List<LogRecordData> records = telemetry.records();
    assertThat(records).hasSize(3);
    assertThat(records.get(0).getAttributes().get(AttributeKey.stringKey("error.type")))
        .isEqualTo("aws.apigateway.access_log.empty");
    assertThat(records.get(2).getAttributes().get(AttributeKey.stringKey("error.type")))
        .isEqualTo("aws.apigateway.access_log.too_long");
    assertThat(records.get(2).getBodyValue().asString()).hasSize(256 * 1024);
    assertThat(telemetry.linesCounted("empty")).isEqualTo(2);
    assertThat(telemetry.linesCounted("too_long")).isEqualTo(1);
  }

  @Test
  void unknownVariablesInTheFormatBecomeContextAttributes() {
    AccessLogBridge bridge =
        telemetry
            .bridge()
            .setFormat(AccessLogFormat.of("$context.requestId $context.notAnAwsVariable.x"))
            .build();
    bridge.emit("r1 42", LogOrigin.unknown());

    assertThat(telemetry.onlyRecord().getAttributes().asMap())
        .containsEntry(AttributeKey.stringKey("aws.apigateway.context.notAnAwsVariable.x"), "42")
        .doesNotContainKey(AttributeKey.stringKey("error.type"));
  }

  @Test
  void hostLoggerFailureNeverReachesTheCallerAndIsCounted() {
    io.opentelemetry.api.logs.Logger failingLogger =
        () -> {
          throw new IllegalStateException("host is broken");
        };
    io.opentelemetry.api.logs.LoggerProvider failing =
        name ->
            new io.opentelemetry.api.logs.LoggerBuilder() {
              @Override
              public io.opentelemetry.api.logs.LoggerBuilder setSchemaUrl(String url) {
                return this;
              }

              @Override
              public io.opentelemetry.api.logs.LoggerBuilder setInstrumentationVersion(String v) {
                return this;
              }

              @Override
              public io.opentelemetry.api.logs.Logger build() {
                return failingLogger;
              }
            };
    AccessLogBridge bridge =
        AccessLogBridge.builder(failing).setMeterProvider(telemetry.meterProvider).build();
    bridge.emit(SEED_LINE, LogOrigin.unknown());
    assertThat(telemetry.linesCounted("internal_error")).isEqualTo(1);
  }

  @Test
  void concurrentEmittersSharingOneFormatGetTheirOwnValues() throws Exception {
    AccessLogBridge bridge = telemetry.bridge().build();
    int threads = 4;
    int perThread = 500;
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    String id = "req-" + thread + "-" + i;
                    String stage = "stage" + thread;
                    // Alternate spacing so threads also race on the learned literal forms.
                    String line =
                        SEED_LINE.replace(REQUEST_ID, id).replace("\"prod\"", "\"" + stage + "\"");
                    bridge.emit(
                        i % 2 == 0 ? line : line.replace(", ", ","), LogOrigin.file("/f" + thread));
                  }
                }));
      }
      for (java.util.concurrent.Future<?> future : done) {
        future.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(telemetry.records())
        .hasSize(threads * perThread)
        .allSatisfy(
            record -> {
              String id = record.getAttributes().get(AttributeKey.stringKey("aws.request_id"));
              String thread = id.substring("req-".length(), id.lastIndexOf('-'));
              assertThat(record.getAttributes().get(AttributeKey.stringKey("aws.apigateway.stage")))
                  .isEqualTo("stage" + thread);
              assertThat(record.getBodyValue().asString()).contains(id);
            });
    assertThat(telemetry.linesCounted("parsed")).isEqualTo(threads * perThread);
  }

  @Test
  void unparseableTimeFallsBackAndNowIsUsedByTheShortForm() {
    AccessLogBridge bridge = telemetry.bridge().build();
    long before = Instant.now().toEpochMilli();
    bridge.emit(SEED_LINE.replace(Long.toString(EPOCH_MILLIS), "\"soon\""), LogOrigin.unknown());
    long after = Instant.now().toEpochMilli();

    long millis = TimeUnit.NANOSECONDS.toMillis(telemetry.onlyRecord().getTimestampEpochNanos());
    assertThat(millis).isBetween(before, after);
  }
}
