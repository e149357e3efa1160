package io.github.apigatewayotel.logs.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.LogRecordBuilder;
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
 * The baseline: the same seed-JSON lines parsed with Jackson's {@code ObjectMapper.readTree},
 * setting the same record fields and attributes the bridge sets, into the same SDK sink.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AccessLogParseBaseline {

  private static final AttributeKey<String> API_ID =
      AttributeKey.stringKey("aws.apigateway.api.id");
  private static final AttributeKey<String> STAGE = AttributeKey.stringKey("aws.apigateway.stage");

  private final ObjectMapper mapper = new ObjectMapper();

  /** {@code minimal}: {@link MinimalSink}; {@code sdk}: the real SDK with a no-op processor. */
  @Param({"minimal", "sdk"})
  public String sink;

  private SdkLoggerProvider loggerProvider;
  private Logger logger;
  private String[] lines;
  private int next;

  @Setup
  public void setUp() {
    loggerProvider = NoopSdk.loggerProvider();
    io.opentelemetry.api.logs.LoggerProvider target =
        "sdk".equals(sink) ? loggerProvider : new MinimalSink();
    logger = target.get("io.github.apigatewayotel.logs");
    lines = SampleLines.lines("json");
  }

  @TearDown
  public void tearDown() {
    loggerProvider.close();
  }

  @Benchmark
  public void jacksonReadTree() throws IOException {
    String line = lines[next++ & (SampleLines.COUNT - 1)];
    JsonNode node = mapper.readTree(line);
    LogRecordBuilder record =
        logger
            .logRecordBuilder()
            .setBody(line)
            .setEventName("aws.apigateway.access")
            .setObservedTimestamp(System.currentTimeMillis(), TimeUnit.MILLISECONDS)
            .setTimestamp(node.path("requestTime").asLong(), TimeUnit.MILLISECONDS)
            .setAttribute(CloudIncubatingAttributes.CLOUD_PROVIDER, "aws")
            .setAttribute(API_ID, node.path("apiId").asText())
            .setAttribute(STAGE, node.path("stage").asText())
            .setAttribute(AwsIncubatingAttributes.AWS_REQUEST_ID, node.path("requestId").asText())
            .setAttribute(ClientAttributes.CLIENT_ADDRESS, node.path("ip").asText())
            .setAttribute(HttpAttributes.HTTP_REQUEST_METHOD, node.path("httpMethod").asText())
            .setAttribute(HttpAttributes.HTTP_ROUTE, node.path("resourcePath").asText())
            .setAttribute(
                HttpIncubatingAttributes.HTTP_RESPONSE_BODY_SIZE,
                node.path("responseLength").asLong())
            .setAttribute(CloudIncubatingAttributes.CLOUD_REGION, "eu-west-1")
            .setAttribute(CloudIncubatingAttributes.CLOUD_ACCOUNT_ID, "123456789012")
            .setAttribute(AwsIncubatingAttributes.AWS_LOG_GROUP_NAMES, List.of("api-gateway-prod"))
            .setAttribute(AwsIncubatingAttributes.AWS_LOG_STREAM_NAMES, List.of("stream"));
    long status = node.path("status").asLong();
    record.setAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, status);
    Severity severity =
        status >= 500 ? Severity.ERROR : status >= 400 ? Severity.WARN : Severity.INFO;
    record.setSeverity(severity).setSeverityText(severity.name());
    String protocol = node.path("protocol").asText();
    int slash = protocol.indexOf('/');
    record.setAttribute(
        NetworkAttributes.NETWORK_PROTOCOL_NAME, protocol.substring(0, slash).toLowerCase());
    record.setAttribute(NetworkAttributes.NETWORK_PROTOCOL_VERSION, protocol.substring(slash + 1));
    record.emit();
  }
}
