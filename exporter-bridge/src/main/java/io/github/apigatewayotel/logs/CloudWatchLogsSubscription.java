package io.github.apigatewayotel.logs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.github.apigatewayotel.logs.internal.DeliveryBatch;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPInputStream;

/**
 * One CloudWatch Logs subscription delivery, as a subscription filter sends it to Lambda: {@code
 * {"awslogs":{"data":"..."}}}, where {@code data} is the base64 of the gzip of {@code {messageType,
 * owner, logGroup, logStream, subscriptionFilters, logEvents:[{id, timestamp, message}]}}. {@link
 * #emitTo} hands each event to an {@link AccessLogBridge}; a {@code CONTROL_MESSAGE} (CloudWatch
 * checking that the destination is reachable) carries no access-log lines and is skipped.
 */
public final class CloudWatchLogsSubscription {

  public static final String DATA_MESSAGE = "DATA_MESSAGE";
  public static final String CONTROL_MESSAGE = "CONTROL_MESSAGE";

  /**
   * Bounds the decompressed payload (a subscription batch is at most about 1 MB of events), so a
   * malformed or hostile payload cannot exhaust a small Lambda's memory.
   */
  public static final int MAX_DECOMPRESSED_BYTES = 32 * 1024 * 1024;

  private static final JsonFactory JSON = JsonFactory.builder().build();

  /** One log event of a delivery. */
  public record LogEvent(String id, long timestamp, String message) {}

  private final String messageType;
  private final String owner;
  private final String logGroup;
  private final String logStream;
  private final List<String> subscriptionFilters;
  private final List<LogEvent> logEvents;

  private CloudWatchLogsSubscription(
      String messageType,
      String owner,
      String logGroup,
      String logStream,
      List<String> subscriptionFilters,
      List<LogEvent> logEvents) {
    this.messageType = messageType;
    this.owner = owner;
    this.logGroup = logGroup;
    this.logStream = logStream;
    this.subscriptionFilters = List.copyOf(subscriptionFilters);
    this.logEvents = List.copyOf(logEvents);
  }

  /**
   * Decodes a Lambda event {@code {"awslogs":{"data":"..."}}}.
   *
   * @throws IllegalArgumentException if it is not one, or its data is malformed
   */
  public static CloudWatchLogsSubscription fromLambdaEvent(InputStream event) throws IOException {
    Objects.requireNonNull(event, "event");
    String data = null;
    try (JsonParser parser = JSON.createParser(event)) {
      expect(parser.nextToken(), JsonToken.START_OBJECT, "the event");
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("awslogs".equals(field) && value == JsonToken.START_OBJECT) {
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String inner = parser.currentName();
            JsonToken innerValue = parser.nextToken();
            if ("data".equals(inner) && innerValue == JsonToken.VALUE_STRING) {
              data = parser.getText();
            } else {
              parser.skipChildren();
            }
          }
        } else {
          parser.skipChildren();
        }
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("the event is not JSON: " + e.getOriginalMessage(), e);
    }
    if (data == null) {
      throw new IllegalArgumentException("the event has no awslogs.data string");
    }
    return decode(data);
  }

  /**
   * Decodes {@code awslogs.data}: base64 of gzip of the JSON delivery.
   *
   * @throws IllegalArgumentException if it is not base64, not gzip, too large, or not a delivery
   */
  public static CloudWatchLogsSubscription decode(String awslogsData) {
    Objects.requireNonNull(awslogsData, "awslogsData");
    byte[] compressed;
    try {
      compressed = Base64.getMimeDecoder().decode(awslogsData);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("awslogs.data is not base64", e);
    }
    return parseJson(gunzip(compressed));
  }

  /**
   * Parses the decompressed JSON delivery.
   *
   * @throws IllegalArgumentException if it is not a delivery
   */
  public static CloudWatchLogsSubscription parseJson(byte[] json) {
    String messageType = null;
    String owner = null;
    String logGroup = null;
    String logStream = null;
    List<String> filters = new ArrayList<>();
    List<LogEvent> events = new ArrayList<>();
    try (JsonParser parser = JSON.createParser(json)) {
      expect(parser.nextToken(), JsonToken.START_OBJECT, "the delivery");
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (field) {
          case "messageType" -> messageType = text(parser, value);
          case "owner" -> owner = text(parser, value);
          case "logGroup" -> logGroup = text(parser, value);
          case "logStream" -> logStream = text(parser, value);
          case "subscriptionFilters" -> readStrings(parser, value, filters);
          case "logEvents" -> readEvents(parser, value, events);
          default -> parser.skipChildren();
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("the delivery is not valid JSON: " + e.getMessage(), e);
    }
    if (messageType == null) {
      throw new IllegalArgumentException("the delivery has no messageType");
    }
    if (logGroup == null && DATA_MESSAGE.equals(messageType)) {
      throw new IllegalArgumentException("the delivery has no logGroup");
    }
    return new CloudWatchLogsSubscription(messageType, owner, logGroup, logStream, filters, events);
  }

  public String messageType() {
    return messageType;
  }

  /** The AWS account id that owns the log group. */
  public String owner() {
    return owner;
  }

  public String logGroup() {
    return logGroup;
  }

  public String logStream() {
    return logStream;
  }

  public List<String> subscriptionFilters() {
    return subscriptionFilters;
  }

  public List<LogEvent> logEvents() {
    return logEvents;
  }

  public boolean isControlMessage() {
    return CONTROL_MESSAGE.equals(messageType);
  }

  /**
   * Hands every event to {@code bridge}, each with its group, stream, {@code cloudRegion} and the
   * owner account; the event's timestamp is the fallback when a line carries none. Returns how many
   * lines were handed over (0 for a control message).
   *
   * @param format the access-log format, or null for the bridge's own
   * @param cloudRegion the region of the log group (Lambda's {@code AWS_REGION}), or null
   */
  public int emitTo(AccessLogBridge bridge, AccessLogFormat format, String cloudRegion) {
    Objects.requireNonNull(bridge, "bridge");
    if (isControlMessage() || logGroup == null) {
      return 0;
    }
    LogOrigin origin = LogOrigin.cloudWatchLogs(logGroup, logStream, cloudRegion, owner);
    AccessLogFormat lineFormat = format == null ? bridge.format() : format;
    for (LogEvent event : logEvents) {
      bridge.emit(lineFormat, event.message(), origin, event.timestamp());
    }
    return logEvents.size();
  }

  /**
   * As {@link #emitTo}, then waits until the host's exporter has exported every record (the bridge
   * needs a {@link LogDeliveryTracker}; without one the hand-over counts), emitting again those
   * whose export failed, in pieces of at most 512 records, until {@code deadlineNanos} ({@link
   * System#nanoTime()}). Returns false when the deadline came first: a Lambda handler then fails
   * its invocation, so that Lambda delivers the batch again.
   */
  public boolean deliverTo(
      AccessLogBridge bridge, AccessLogFormat format, String cloudRegion, long deadlineNanos) {
    Objects.requireNonNull(bridge, "bridge");
    if (isControlMessage() || logGroup == null) {
      return true;
    }
    LogOrigin origin = LogOrigin.cloudWatchLogs(logGroup, logStream, cloudRegion, owner);
    AccessLogFormat lineFormat = format == null ? bridge.format() : format;
    BooleanSupplier pastDeadline = () -> System.nanoTime() - deadlineNanos >= 0;
    try (DeliveryBatch batch = bridge.openDeliveryBatch()) {
      int inPiece = 0;
      for (LogEvent event : logEvents) {
        bridge.emit(lineFormat, event.message(), origin, event.timestamp());
        if (++inPiece == DeliveryBatch.MAX_RECORDS) {
          inPiece = 0;
          if (!batch.awaitDelivery(pastDeadline)) {
            return false;
          }
        }
      }
      return batch.awaitDelivery(pastDeadline);
    }
  }

  private static byte[] gunzip(byte[] compressed) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length * 8);
      byte[] buffer = new byte[16 * 1024];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        if (out.size() + n > MAX_DECOMPRESSED_BYTES) {
          throw new IllegalArgumentException(
              "awslogs.data decompresses to more than " + MAX_DECOMPRESSED_BYTES + " bytes");
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalArgumentException("awslogs.data is not gzip: " + e.getMessage(), e);
    }
  }

  private static void readStrings(JsonParser parser, JsonToken value, List<String> into)
      throws IOException {
    if (value != JsonToken.START_ARRAY) {
      parser.skipChildren();
      return;
    }
    for (JsonToken token = parser.nextToken();
        token != JsonToken.END_ARRAY;
        token = parser.nextToken()) {
      if (token == JsonToken.VALUE_STRING) {
        into.add(parser.getText());
      } else {
        parser.skipChildren();
      }
    }
  }

  private static void readEvents(JsonParser parser, JsonToken value, List<LogEvent> into)
      throws IOException {
    expect(value, JsonToken.START_ARRAY, "logEvents");
    for (JsonToken token = parser.nextToken();
        token != JsonToken.END_ARRAY;
        token = parser.nextToken()) {
      expect(token, JsonToken.START_OBJECT, "a log event");
      String id = null;
      long timestamp = 0;
      String message = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken fieldValue = parser.nextToken();
        switch (field) {
          case "id" -> id = text(parser, fieldValue);
          case "timestamp" ->
              timestamp =
                  fieldValue.isNumeric() ? parser.getLongValue() : Long.parseLong(parser.getText());
          case "message" -> message = text(parser, fieldValue);
          default -> parser.skipChildren();
        }
      }
      if (message == null) {
        throw new IllegalArgumentException("a log event has no message");
      }
      into.add(new LogEvent(id, timestamp, message));
    }
  }

  private static String text(JsonParser parser, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    if (!value.isScalarValue()) {
      throw new IllegalArgumentException("expected a string at " + parser.currentName());
    }
    return parser.getText();
  }

  private static void expect(JsonToken actual, JsonToken expected, String what) {
    if (actual != expected) {
      throw new IllegalArgumentException(what + " must be " + expected + ", not " + actual);
    }
  }

  @Override
  public String toString() {
    return messageType
        + " "
        + logGroup
        + "/"
        + logStream
        + " ("
        + logEvents.size()
        + " events)"
        + (owner == null ? "" : " owner " + owner);
  }
}
