package io.github.apigatewayotel.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.apigatewayotel.testing.aws.AccessLogFormats;
import io.github.apigatewayotel.testing.aws.ApiGatewaySimulator;
import io.github.apigatewayotel.testing.aws.CloudWatchLogsSimulator;
import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.aws.StsSimulator;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.github.apigatewayotel.testing.otlp.ReceivedLog;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code otel.apigateway.logs.format=auto} end to end: the plugin, started by SDK autoconfigure,
 * reads the stages' access-log settings from the API Gateway simulator, then two log groups written
 * in two different formats (the seed's JSON and AWS's CLF) from the CloudWatch Logs simulator, and
 * exports every line over OTLP/HTTP, parsed with its own stage's format.
 */
class AutoAccessLogFormatEndToEndTest {

  private static final String REGION = "eu-west-1";
  private static final String ACCOUNT = "123456789012";
  private static final String UNRELATED_GROUP = "unrelated-group";
  private static final Pattern VARIABLE = Pattern.compile("\\$context\\.[A-Za-z0-9_.]+");
  private static final DateTimeFormatter CLF_TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final SimulatedAccount account = SimulatedAccount.demo(ACCOUNT, REGION, 3);
  private final CloudWatchLogsSimulator logs = new CloudWatchLogsSimulator(ACCOUNT);
  private FakeAwsServer aws;
  private OtlpTestReceiver otlp;
  private final TemporarySystemProperties properties = new TemporarySystemProperties();

  @BeforeEach
  void start() throws Exception {
    aws =
        FakeAwsServer.start()
            .register(new ApiGatewaySimulator(account))
            .register(logs)
            .register(new StsSimulator(account));
    otlp = OtlpTestReceiver.start();
    properties.setTestCredentials();
  }

  @AfterEach
  void stop() {
    properties.restore();
    otlp.close();
    aws.close();
  }

  @Test
  void eachGroupIsParsedWithItsOwnStagesFormat() throws Exception {
    SimulatedAccount.Api pets = account.api("a1b2c3d4e5");
    String jsonGroup = pets.accessLogGroup("prod");
    String clfGroup = pets.accessLogGroup("staging");
    assertThat(pets.accessLogFormat("prod")).isEqualTo(AccessLogFormats.SEED_JSON);
    assertThat(pets.accessLogFormat("staging")).isEqualTo(AccessLogFormats.CLF);
    Instant time =
        Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    logs.putLogEvent(
        jsonGroup,
        "s1",
        time.toEpochMilli(),
        render(pets.accessLogFormat("prod"), values("json-1", "GET", "/pets", 200, time, "prod")));
    logs.putLogEvent(
        jsonGroup,
        "s1",
        time.toEpochMilli(),
        render(pets.accessLogFormat("prod"), values("json-2", "POST", "/pets", 503, time, "prod")));
    logs.putLogEvent(
        clfGroup,
        "s2",
        time.toEpochMilli(),
        render(
            pets.accessLogFormat("staging"),
            values("clf-1", "GET", "/pets/{petId}", 404, time, "staging")));
    // A group no stage names: read because it is configured, parsed with the fallback (seed JSON).
    logs.putLogEvent(
        UNRELATED_GROUP,
        "s3",
        time.toEpochMilli(),
        render(AccessLogFormats.SEED_JSON, values("fallback-1", "PUT", "/other", 201, time, "x")));

    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(
                () ->
                    Map.ofEntries(
                        Map.entry("otel.service.name", "auto-format-test"),
                        Map.entry("otel.traces.exporter", "none"),
                        Map.entry("otel.metrics.exporter", "none"),
                        Map.entry("otel.logs.exporter", "otlp"),
                        Map.entry("otel.exporter.otlp.protocol", "http/protobuf"),
                        Map.entry("otel.exporter.otlp.endpoint", otlp.endpoint()),
                        Map.entry("otel.apigateway.metrics.enabled", "false"),
                        Map.entry("otel.apigateway.mode", "once"),
                        Map.entry("otel.apigateway.regions", REGION),
                        Map.entry("otel.apigateway.aws.endpoint", aws.endpoint().toString()),
                        // Only this group is configured: the stages' groups come from API Gateway.
                        Map.entry("otel.apigateway.logs.groups", UNRELATED_GROUP),
                        Map.entry("otel.apigateway.logs.format", "Auto")))
            .build()
            .getOpenTelemetrySdk();
    try {
      ApiGatewayPlugin plugin = ApiGatewayPlugin.of(sdk).orElseThrow();
      assertThat(plugin.awaitCompletion(Duration.ofSeconds(30))).isTrue();
      assertThat(plugin.failedSources()).isZero();
      sdk.getSdkLoggerProvider().forceFlush().join(10, java.util.concurrent.TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(10)).until(() -> otlp.logRecords().size() >= 4);
    } finally {
      sdk.close();
    }

    Map<String, ReceivedLog> byRequestId =
        otlp.logRecords().stream()
            .collect(Collectors.toMap(log -> log.stringAttribute("aws.request_id"), log -> log));
    assertThat(byRequestId).containsOnlyKeys("json-1", "json-2", "clf-1", "fallback-1");
    for (ReceivedLog log : byRequestId.values()) {
      assertThat(log.attribute("error.type")).as(log.body()).isEmpty();
      assertThat(log.stringAttribute("client.address")).isEqualTo("198.51.100.7");
    }
    assertRecord(byRequestId.get("json-1"), jsonGroup, "GET", "/pets", 200);
    assertRecord(byRequestId.get("json-2"), jsonGroup, "POST", "/pets", 503);
    assertRecord(byRequestId.get("clf-1"), clfGroup, "GET", "/pets/{petId}", 404);
    assertRecord(byRequestId.get("fallback-1"), UNRELATED_GROUP, "PUT", "/other", 201);
    assertThat(byRequestId.get("clf-1").record().getTimeUnixNano())
        .isEqualTo(time.toEpochMilli() * 1_000_000);
    // CLF has no $context.apiId or $context.stage: the stage the group belongs to names them.
    assertThat(byRequestId.get("clf-1").stringAttribute("aws.apigateway.api.id"))
        .isEqualTo("a1b2c3d4e5");
    assertThat(byRequestId.get("clf-1").stringAttribute("aws.apigateway.stage"))
        .isEqualTo("staging");
    // No account configured: STS GetCallerIdentity names it, as for metrics.
    assertThat(byRequestId.values())
        .allSatisfy(log -> assertThat(log.stringAttribute("cloud.account.id")).isEqualTo(ACCOUNT));
    // ... and, as on metrics, the API's type and the stage's ARN.
    assertThat(byRequestId.get("clf-1").stringAttribute("aws.apigateway.api.type"))
        .isEqualTo("rest");
    assertThat(byRequestId.get("clf-1").stringAttribute("cloud.resource_id"))
        .isEqualTo("arn:aws:apigateway:" + REGION + "::/restapis/a1b2c3d4e5/stages/staging");
    // A line's own $context.stage is kept.
    assertThat(byRequestId.get("fallback-1").stringAttribute("aws.apigateway.stage"))
        .isEqualTo("x");
    assertThat(byRequestId.get("json-1").record().getTimeUnixNano())
        .isEqualTo(time.toEpochMilli() * 1_000_000);
  }

  private static void assertRecord(
      ReceivedLog log, String group, String method, String route, long status) {
    assertThat(log.stringAttribute("http.request.method")).isEqualTo(method);
    assertThat(log.stringAttribute("http.route")).isEqualTo(route);
    assertThat(log.attribute("http.response.status_code").map(AnyValue::getIntValue))
        .contains(status);
    assertThat(
            log.attribute("aws.log.group.names")
                .map(value -> value.getArrayValue().getValues(0).getStringValue()))
        .contains(group);
    assertThat(log.stringAttribute("cloud.region")).isEqualTo(REGION);
  }

  private static Map<String, String> values(
      String requestId, String method, String path, int status, Instant time, String stage) {
    Map<String, String> values = new HashMap<>();
    values.put("$context.apiId", "a1b2c3d4e5");
    values.put("$context.stage", stage);
    values.put("$context.requestId", requestId);
    values.put("$context.identity.sourceIp", "198.51.100.7");
    values.put("$context.identity.caller", "-");
    values.put("$context.identity.user", "-");
    values.put("$context.requestTimeEpoch", String.valueOf(time.toEpochMilli()));
    values.put("$context.requestTime", CLF_TIME.format(time));
    values.put("$context.httpMethod", method);
    values.put("$context.resourcePath", path);
    values.put("$context.status", String.valueOf(status));
    values.put("$context.protocol", "HTTP/1.1");
    values.put("$context.responseLength", "42");
    return values;
  }

  /** A line as API Gateway writes it: every variable of {@code format} replaced by its value. */
  private static String render(String format, Map<String, String> values) {
    Matcher matcher = VARIABLE.matcher(format);
    StringBuilder line = new StringBuilder();
    while (matcher.find()) {
      String value = values.get(matcher.group());
      if (value == null) {
        throw new IllegalArgumentException("no test value for " + matcher.group());
      }
      matcher.appendReplacement(line, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(line);
    return line.toString();
  }
}
