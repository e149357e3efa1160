package io.github.apigatewayotel.spi.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.github.apigatewayotel.testing.otlp.ReceivedLog;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AccessLogForwarderTest {

  private static final String OWNER = "111122223333";

  /** What autoconfigure reads; set as system properties, restored after each test. */
  private final Map<String, String> properties = new HashMap<>();

  private final Map<String, String> previous = new HashMap<>();
  private final List<AccessLogForwarder> forwarders = new ArrayList<>();
  private OtlpTestReceiver receiver;

  @BeforeEach
  void setUp() throws IOException {
    receiver = OtlpTestReceiver.start();
    setProperty("otel.exporter.otlp.endpoint", receiver.endpoint());
    setProperty("otel.exporter.otlp.protocol", "http/protobuf");
    setProperty("otel.service.name", "access-log-forwarder-test");
    // Batches would wait a minute: records can only arrive in time through the flush.
    setProperty("otel.blrp.schedule.delay", "60000");
  }

  private void setProperty(String key, String value) {
    properties.put(key, value);
    previous.putIfAbsent(key, System.setProperty(key, value));
  }

  @AfterEach
  void tearDown() {
    forwarders.forEach(forwarder -> forwarder.sdk().close());
    for (String key : properties.keySet()) {
      String value = previous.get(key);
      if (value == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, value);
      }
    }
    receiver.close();
  }

  private AccessLogForwarder forwarder(Map<String, String> environment) {
    AccessLogForwarder forwarder = new AccessLogForwarder(environment::get);
    forwarders.add(forwarder);
    return forwarder;
  }

  @Test
  void everyLineIsAtTheBackendWhenTheHandlerReturns() throws Exception {
    AccessLogForwarder forwarder =
        forwarder(Map.of("OTEL_APIGATEWAY_LOGS_FORMAT", "clf", "AWS_REGION", "eu-central-1"));
    List<String> lines = List.of(clf("req-1", 200), clf("req-2", 503), clf("req-3", 404));

    forwarder.handleRequest(
        event(dataMessage("api-gateway-prod", "stream-1", lines)),
        new ByteArrayOutputStream(),
        new FakeContext(30_000));

    List<ReceivedLog> records = receiver.logRecords(); // no waiting: the handler flushed
    assertThat(records).extracting(ReceivedLog::body).containsExactlyElementsOf(lines);
    ReceivedLog first = records.get(0);
    assertThat(first.attribute("aws.log.group.names").map(AnyValue::getArrayValue))
        .hasValueSatisfying(
            array -> assertThat(array.getValues(0).getStringValue()).isEqualTo("api-gateway-prod"));
    assertThat(first.attribute("aws.log.stream.names").map(AnyValue::getArrayValue))
        .hasValueSatisfying(
            array -> assertThat(array.getValues(0).getStringValue()).isEqualTo("stream-1"));
    assertThat(first.stringAttribute("cloud.account.id")).isEqualTo(OWNER);
    assertThat(first.stringAttribute("cloud.region")).isEqualTo("eu-central-1");
    assertThat(first.attribute("http.response.status_code").map(AnyValue::getIntValue))
        .contains(200L);
    assertThat(first.attribute("error.type")).isEmpty();
  }

  @Test
  void aControlMessageOrAForeignEventIsAcknowledgedWithoutExport() throws Exception {
    AccessLogForwarder forwarder = forwarder(Map.of());
    String control =
        awslogsData(
            "{\"messageType\":\"CONTROL_MESSAGE\",\"owner\":\"CloudwatchLogs\",\"logGroup\":\"\","
                + "\"logStream\":\"\",\"subscriptionFilters\":[],\"logEvents\":[{\"id\":\"\","
                + "\"timestamp\":1700000000000,\"message\":\"CWL CONTROL MESSAGE\"}]}");

    forwarder.handleRequest(event(control), new ByteArrayOutputStream(), new FakeContext(30_000));
    forwarder.handleRequest(
        new ByteArrayInputStream("{\"Records\":[]}".getBytes(StandardCharsets.UTF_8)),
        new ByteArrayOutputStream(),
        new FakeContext(30_000));

    assertThat(receiver.logRecords()).isEmpty();
  }

  @Test
  void aFailedExportFailsTheInvocationSoLambdaRetries() throws Exception {
    // Without the exporter's own retries the failure is immediate; with them it would be the same,
    // only as late as the invocation's deadline allows.
    setProperty("otel.java.exporter.otlp.retry.disabled", "true");
    AccessLogForwarder forwarder = forwarder(Map.of("AWS_REGION", "eu-central-1"));
    receiver.answerWith(503);

    assertThatThrownBy(
            () ->
                forwarder.handleRequest(
                    event(dataMessage("api-gateway-prod", "s", List.of(clf("req-9", 200)))),
                    new ByteArrayOutputStream(),
                    new FakeContext((int) (AccessLogForwarder.FLUSH_SAFETY_MARGIN_MILLIS + 300))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Lambda retries");
    assertThat(receiver.rejectedRequests()).isPositive();

    // Lambda's retry, once the backend is back, succeeds: the failure does not stick.
    receiver.answerWith(0);
    forwarder.handleRequest(
        event(dataMessage("api-gateway-prod", "s", List.of(clf("req-9", 200)))),
        new ByteArrayOutputStream(),
        new FakeContext(30_000));
    assertThat(receiver.logRecords())
        .extracting(ReceivedLog::body)
        .containsExactly(clf("req-9", 200));
  }

  @Test
  void anInvalidFormatFailsTheContainerStartNamingTheVariable() {
    assertThatThrownBy(() -> forwarder(Map.of("OTEL_APIGATEWAY_LOGS_FORMAT", "no variables")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("OTEL_APIGATEWAY_LOGS_FORMAT");
  }

  @Test
  void theClientAddressPolicyComesFromTheEnvironmentLikeTheFormat() throws Exception {
    AccessLogForwarder forwarder =
        forwarder(
            Map.of(
                "OTEL_APIGATEWAY_LOGS_FORMAT", "clf",
                "OTEL_APIGATEWAY_LOGS_CLIENT_ADDRESS", "truncate"));

    forwarder.handleRequest(
        event(dataMessage("api-gateway-prod", "s", List.of(clf("req-1", 200)))),
        new ByteArrayOutputStream(),
        new FakeContext(30_000));

    ReceivedLog record = receiver.logRecords().get(0);
    assertThat(record.stringAttribute("client.address")).isEqualTo("203.0.113.0");
    assertThat(record.body()).startsWith("203.0.113.0 - - ").doesNotContain("203.0.113.9");
  }

  @Test
  void hashWithoutAKeyFailsTheContainerStartNamingTheKeyVariable() {
    assertThatThrownBy(() -> forwarder(Map.of("OTEL_APIGATEWAY_LOGS_CLIENT_ADDRESS", "hash")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("OTEL_APIGATEWAY_LOGS_CLIENT_ADDRESS_KEY");
  }

  @Test
  void theFlushLeavesAMarginBeforeTheDeadline() {
    assertThat(AccessLogForwarder.flushBudget(new FakeContext(10_000)))
        .isEqualTo(10_000 - AccessLogForwarder.FLUSH_SAFETY_MARGIN_MILLIS);
    assertThat(AccessLogForwarder.flushBudget(new FakeContext(50)))
        .isEqualTo(AccessLogForwarder.MIN_FLUSH_MILLIS);
    assertThat(AccessLogForwarder.flushBudget(null))
        .isEqualTo(AccessLogForwarder.DEFAULT_FLUSH_MILLIS);
  }

  private static String clf(String requestId, int status) {
    return "203.0.113.9 - - [14/Nov/2023:22:13:20 +0000]\"GET /pets HTTP/1.1\" "
        + status
        + " 12 "
        + requestId
        + " -";
  }

  private static InputStream event(String data) {
    return new ByteArrayInputStream(
        ("{\"awslogs\":{\"data\":\"" + data + "\"}}").getBytes(StandardCharsets.UTF_8));
  }

  private static String dataMessage(String group, String stream, List<String> messages)
      throws IOException {
    StringBuilder events = new StringBuilder();
    for (int i = 0; i < messages.size(); i++) {
      events
          .append(i == 0 ? "" : ",")
          .append("{\"id\":\"3719871648192")
          .append(i)
          .append("\",\"timestamp\":")
          .append(1_700_000_000_000L + i)
          .append(",\"message\":\"")
          .append(messages.get(i).replace("\\", "\\\\").replace("\"", "\\\""))
          .append("\"}");
    }
    return awslogsData(
        "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\""
            + OWNER
            + "\",\"logGroup\":\""
            + group
            + "\",\"logStream\":\""
            + stream
            + "\",\"subscriptionFilters\":[\"otlp\"],\"logEvents\":["
            + events
            + "]}");
  }

  private static String awslogsData(String json) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      gzip.write(json.getBytes(StandardCharsets.UTF_8));
    }
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }

  /** The parts of a Lambda context the forwarder reads. */
  private static final class FakeContext implements Context {
    private final int remainingMillis;

    FakeContext(int remainingMillis) {
      this.remainingMillis = remainingMillis;
    }

    @Override
    public int getRemainingTimeInMillis() {
      return remainingMillis;
    }

    @Override
    public String getAwsRequestId() {
      return "test-request";
    }

    @Override
    public String getLogGroupName() {
      return "/aws/lambda/forwarder";
    }

    @Override
    public String getLogStreamName() {
      return "stream";
    }

    @Override
    public String getFunctionName() {
      return "forwarder";
    }

    @Override
    public String getFunctionVersion() {
      return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
      return "arn:aws:lambda:eu-central-1:111122223333:function:forwarder";
    }

    @Override
    public CognitoIdentity getIdentity() {
      return null;
    }

    @Override
    public ClientContext getClientContext() {
      return null;
    }

    @Override
    public int getMemoryLimitInMB() {
      return 256;
    }

    @Override
    public LambdaLogger getLogger() {
      return null;
    }
  }
}
