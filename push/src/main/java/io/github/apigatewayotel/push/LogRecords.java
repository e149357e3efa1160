package io.github.apigatewayotel.push;

import io.github.apigatewayotel.logs.AccessLogDelivery;
import io.github.apigatewayotel.logs.AccessLogFormat;
import io.github.apigatewayotel.logs.CloudWatchLogsSubscription;
import io.github.apigatewayotel.logs.LogOrigin;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * The records of a {@code /logs} delivery: a CloudWatch Logs subscription payload (gzip JSON,
 * {@code DATA_MESSAGE}; a {@code CONTROL_MESSAGE} is acknowledged and dropped), each event parsed
 * with its log group's format, or raw access-log lines from API Gateway's own Firehose destination
 * ({@code amazon-apigateway-*} streams; one line per record, or several separated by newlines),
 * parsed with the configured format.
 */
final class LogRecords {

  /** What one record held: lines emitted, or a control message. */
  record Outcome(int lines, boolean control) {}

  static final class NotALogRecord extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotALogRecord(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final Function<String, AccessLogFormat> formatOfLogGroup;
  private final AccessLogFormat rawLineFormat;

  /**
   * @param formatOfLogGroup a log group's format (the stage's, under {@code auto}), or null for the
   *     bridge's
   * @param rawLineFormat the format of raw lines, or null for the bridge's
   */
  LogRecords(Function<String, AccessLogFormat> formatOfLogGroup, AccessLogFormat rawLineFormat) {
    this.formatOfLogGroup = formatOfLogGroup;
    this.rawLineFormat = rawLineFormat;
  }

  /**
   * The same records, with raw lines in {@code format} (the stream's, from its common attributes).
   */
  LogRecords withRawLineFormat(AccessLogFormat format) {
    return new LogRecords(formatOfLogGroup, format);
  }

  /** Emits the record's lines into {@code delivery}; false once the delivery's deadline passed. */
  boolean add(byte[] data, AccessLogDelivery delivery, long receivedMillis, Outcome[] outcome) {
    if (data.length >= 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b) {
      CloudWatchLogsSubscription subscription;
      try {
        subscription = CloudWatchLogsSubscription.parseJson(gunzip(data));
      } catch (IllegalArgumentException e) {
        throw new NotALogRecord(
            "gzip record is not a CloudWatch Logs subscription payload: " + e.getMessage(), e);
      }
      if (subscription.isControlMessage() || subscription.logGroup() == null) {
        outcome[0] = new Outcome(0, true);
        return true;
      }
      LogOrigin origin =
          LogOrigin.cloudWatchLogs(
              subscription.logGroup(), subscription.logStream(), null, subscription.owner());
      AccessLogFormat format =
          formatOfLogGroup == null ? null : formatOfLogGroup.apply(subscription.logGroup());
      int lines = 0;
      for (CloudWatchLogsSubscription.LogEvent event : subscription.logEvents()) {
        if (!delivery.emit(format, event.message(), origin, event.timestamp())) {
          return false;
        }
        lines++;
      }
      outcome[0] = new Outcome(lines, false);
      return true;
    }
    String text = new String(data, StandardCharsets.UTF_8);
    int lines = 0;
    int start = 0;
    while (start <= text.length()) {
      int end = text.indexOf('\n', start);
      if (end < 0) {
        end = text.length();
      }
      String line = text.substring(start, end).strip();
      if (!line.isEmpty()) {
        if (!delivery.emit(rawLineFormat, line, LogOrigin.unknown(), receivedMillis)) {
          return false;
        }
        lines++;
      }
      start = end + 1;
    }
    if (lines == 0) {
      throw new NotALogRecord("the record holds no access-log line", null);
    }
    outcome[0] = new Outcome(lines, false);
    return true;
  }

  private static byte[] gunzip(byte[] data) {
    try (InputStream in =
        new BoundedInputStream(
            new GZIPInputStream(new ByteArrayInputStream(data)),
            CloudWatchLogsSubscription.MAX_DECOMPRESSED_BYTES,
            "a subscription payload")) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * 8);
      in.transferTo(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new NotALogRecord("record is not valid gzip: " + e.getMessage(), e);
    }
  }
}
