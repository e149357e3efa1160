package io.github.apigatewayotel.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CloudWatchLogsSubscriptionTest {

  private final InMemoryTelemetry telemetry = new InMemoryTelemetry();
  private final AccessLogBridge bridge = telemetry.bridge().build();

  @AfterEach
  void tearDown() {
    telemetry.close();
  }

  static String dataMessage(String group, String stream, String owner, List<String> messages)
      throws IOException {
    StringBuilder events = new StringBuilder();
    for (int i = 0; i < messages.size(); i++) {
      if (i > 0) {
        events.append(',');
      }
      events
          .append("{\"id\":\"3719871648192")
          .append(i)
          .append("\",\"timestamp\":")
          .append(1_700_000_000_000L + i)
          .append(",\"message\":")
          .append(jsonString(messages.get(i)))
          .append('}');
    }
    return awslogsData(
        "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\""
            + owner
            + "\",\"logGroup\":\""
            + group
            + "\",\"logStream\":\""
            + stream
            + "\",\"subscriptionFilters\":[\"to-otlp\"],\"logEvents\":["
            + events
            + "]}");
  }

  static String awslogsData(String json) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      gzip.write(json.getBytes(StandardCharsets.UTF_8));
    }
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }

  private static String jsonString(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  @Test
  void decodesADataMessageAndEmitsEveryEventWithItsOrigin() throws Exception {
    List<String> lines =
        List.of(CloudWatchLogsTestFixture.line("r1", 1L), CloudWatchLogsTestFixture.line("r2", 2L));
    String data = dataMessage("api-gateway-prod", "stream-9", "111122223333", lines);
    String event = "{\"awslogs\":{\"data\":\"" + data + "\"}}";

    CloudWatchLogsSubscription delivery =
        CloudWatchLogsSubscription.fromLambdaEvent(
            new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)));

    assertThat(delivery.messageType()).isEqualTo("DATA_MESSAGE");
    assertThat(delivery.owner()).isEqualTo("111122223333");
    assertThat(delivery.subscriptionFilters()).containsExactly("to-otlp");
    assertThat(delivery.logEvents())
        .extracting(CloudWatchLogsSubscription.LogEvent::message)
        .containsExactlyElementsOf(lines);
    assertThat(delivery.emitTo(bridge, null, "ap-southeast-2")).isEqualTo(2);

    assertThat(telemetry.records())
        .extracting(record -> record.getBodyValue().asString())
        .containsExactlyElementsOf(lines);
    LogRecordData first = telemetry.records().get(0);
    assertThat(first.getAttributes().get(AttributeKey.stringArrayKey("aws.log.group.names")))
        .containsExactly("api-gateway-prod");
    assertThat(first.getAttributes().get(AttributeKey.stringArrayKey("aws.log.stream.names")))
        .containsExactly("stream-9");
    assertThat(first.getAttributes().get(AttributeKey.stringKey("cloud.account.id")))
        .isEqualTo("111122223333");
    assertThat(first.getAttributes().get(AttributeKey.stringKey("cloud.region")))
        .isEqualTo("ap-southeast-2");
  }

  @Test
  void theEventTimestampIsTheFallbackWhenTheLineHasNoTime() throws Exception {
    AccessLogFormat noTime = AccessLogFormat.of("$context.requestId $context.status");
    String data = dataMessage("g", "s", "111122223333", List.of("req-1 200"));

    CloudWatchLogsSubscription.decode(data).emitTo(bridge, noTime, null);

    assertThat(telemetry.onlyRecord().getTimestampEpochNanos())
        .isEqualTo(TimeUnit.MILLISECONDS.toNanos(1_700_000_000_000L));
  }

  @Test
  void aControlMessageEmitsNothing() throws Exception {
    String data =
        awslogsData(
            "{\"messageType\":\"CONTROL_MESSAGE\",\"owner\":\"CloudwatchLogs\",\"logGroup\":\"\","
                + "\"logStream\":\"\",\"subscriptionFilters\":[],\"logEvents\":[{\"id\":\"\","
                + "\"timestamp\":1700000000000,\"message\":\"CWL CONTROL MESSAGE: Checking health"
                + " of destination Firehose.\"}]}");

    CloudWatchLogsSubscription delivery = CloudWatchLogsSubscription.decode(data);

    assertThat(delivery.isControlMessage()).isTrue();
    assertThat(delivery.emitTo(bridge, null, "eu-west-1")).isZero();
    assertThat(telemetry.records()).isEmpty();
  }

  @Test
  void malformedPayloadsAreRejectedWithAReason() throws Exception {
    assertThatThrownBy(() -> CloudWatchLogsSubscription.decode("not base64 !!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("base64");
    assertThatThrownBy(
            () ->
                CloudWatchLogsSubscription.decode(
                    Base64.getEncoder().encodeToString("plain".getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gzip");
    String notJson = awslogsData("[1,2]");
    assertThatThrownBy(() -> CloudWatchLogsSubscription.decode(notJson))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                CloudWatchLogsSubscription.fromLambdaEvent(
                    new ByteArrayInputStream("{\"Records\":[]}".getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("awslogs.data");
  }

  @Test
  void aPayloadThatDecompressesBeyondTheBoundIsRejected() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      byte[] zeros = new byte[1024 * 1024];
      for (int i = 0; i <= CloudWatchLogsSubscription.MAX_DECOMPRESSED_BYTES / zeros.length; i++) {
        gzip.write(zeros);
      }
    }
    String data = Base64.getEncoder().encodeToString(bytes.toByteArray());
    assertThatThrownBy(() -> CloudWatchLogsSubscription.decode(data))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than");
  }
}
