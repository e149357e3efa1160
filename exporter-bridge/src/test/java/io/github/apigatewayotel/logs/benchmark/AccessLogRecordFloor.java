package io.github.apigatewayotel.logs.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.semconv.ClientAttributes;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.NetworkAttributes;
import io.opentelemetry.semconv.incubating.AwsIncubatingAttributes;
import io.opentelemetry.semconv.incubating.CloudIncubatingAttributes;
import io.opentelemetry.semconv.incubating.HttpIncubatingAttributes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The floor under both sides of the comparison: the record {@link AccessLogParseBaseline} emits,
 * with the same calls into the same sink, from values parsed once beforehand. What is left is the
 * sink's own per-record cost (for {@code sdk}, the SDK's record builder), which neither parser can
 * avoid: the best ratio any parser could reach is baseline / floor.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AccessLogRecordFloor {

  private static final AttributeKey<String> API_ID =
      AttributeKey.stringKey("aws.apigateway.api.id");
  private static final AttributeKey<String> STAGE = AttributeKey.stringKey("aws.apigateway.stage");
  private static final List<String> LOG_GROUP_NAMES = List.of("api-gateway-prod");
  private static final List<String> LOG_STREAM_NAMES = List.of("stream");

  /** {@code minimal}: {@link MinimalSink}; {@code sdk}: the real SDK with a no-op processor. */
  @Param({"minimal", "sdk"})
  public String sink;

  private SdkLoggerProvider loggerProvider;
  private Logger logger;
  private String[] lines;
  private Parsed[] parsed;
  private int next;

  /** One line's values, as the baseline extracts them. */
  private record Parsed(
      long requestTime,
      String apiId,
      String stage,
      String requestId,
      String ip,
      String method,
      String route,
      Long responseLength,
      Long status,
      Severity severity,
      String protocolName,
      String protocolVersion) {}

  @Setup
  public void setUp() {
    loggerProvider = NoopSdk.loggerProvider();
    io.opentelemetry.api.logs.LoggerProvider target =
        "sdk".equals(sink) ? loggerProvider : new MinimalSink();
    logger = target.get("io.github.apigatewayotel.logs");
    lines = SampleLines.lines("json");
    parsed = new Parsed[lines.length];
    ObjectMapper mapper = new ObjectMapper();
    for (int i = 0; i < lines.length; i++) {
      parsed[i] = parse(mapper, lines[i]);
    }
  }

  private static Parsed parse(ObjectMapper mapper, String line) {
    try {
      JsonNode node = mapper.readTree(line);
      long status = node.path("status").asLong();
      String protocol = node.path("protocol").asText();
      int slash = protocol.indexOf('/');
      return new Parsed(
          node.path("requestTime").asLong(),
          node.path("apiId").asText(),
          node.path("stage").asText(),
          node.path("requestId").asText(),
          node.path("ip").asText(),
          node.path("httpMethod").asText(),
          node.path("resourcePath").asText(),
          node.path("responseLength").asLong(),
          status,
          status >= 500 ? Severity.ERROR : status >= 400 ? Severity.WARN : Severity.INFO,
          protocol.substring(0, slash).toLowerCase(java.util.Locale.ROOT),
          protocol.substring(slash + 1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @TearDown
  public void tearDown() {
    loggerProvider.close();
  }

  @Benchmark
  public void recordFromParsedValues() {
    int index = next++ & (SampleLines.COUNT - 1);
    Parsed p = parsed[index];
    logger
        .logRecordBuilder()
        .setBody(lines[index])
        .setEventName("aws.apigateway.access")
        .setObservedTimestamp(System.currentTimeMillis(), TimeUnit.MILLISECONDS)
        .setTimestamp(p.requestTime(), TimeUnit.MILLISECONDS)
        .setAttribute(CloudIncubatingAttributes.CLOUD_PROVIDER, "aws")
        .setAttribute(API_ID, p.apiId())
        .setAttribute(STAGE, p.stage())
        .setAttribute(AwsIncubatingAttributes.AWS_REQUEST_ID, p.requestId())
        .setAttribute(ClientAttributes.CLIENT_ADDRESS, p.ip())
        .setAttribute(HttpAttributes.HTTP_REQUEST_METHOD, p.method())
        .setAttribute(HttpAttributes.HTTP_ROUTE, p.route())
        .setAttribute(HttpIncubatingAttributes.HTTP_RESPONSE_BODY_SIZE, p.responseLength())
        .setAttribute(CloudIncubatingAttributes.CLOUD_REGION, "eu-west-1")
        .setAttribute(CloudIncubatingAttributes.CLOUD_ACCOUNT_ID, "123456789012")
        .setAttribute(AwsIncubatingAttributes.AWS_LOG_GROUP_NAMES, LOG_GROUP_NAMES)
        .setAttribute(AwsIncubatingAttributes.AWS_LOG_STREAM_NAMES, LOG_STREAM_NAMES)
        .setAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, p.status())
        .setSeverity(p.severity())
        .setSeverityText(p.severity().name())
        .setAttribute(NetworkAttributes.NETWORK_PROTOCOL_NAME, p.protocolName())
        .setAttribute(NetworkAttributes.NETWORK_PROTOCOL_VERSION, p.protocolVersion())
        .emit();
  }
}
