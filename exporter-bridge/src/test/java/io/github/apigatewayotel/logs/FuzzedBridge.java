package io.github.apigatewayotel.logs;

import io.github.apigatewayotel.logs.internal.LineLimits;
import io.github.apigatewayotel.logs.internal.LineOutcome;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.logs.LogRecordProcessor;
import io.opentelemetry.sdk.logs.ReadWriteLogRecord;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import java.util.List;

/**
 * A bridge on the real SDK whose processor only counts records and checks each one, for the fuzz
 * tests: what a host would see, without an exporter's cost per input.
 */
final class FuzzedBridge {

  /** The named formats, in the order a fuzz input picks them. */
  static final List<String> NAMED_FORMATS = List.of("json", "clf", "csv", "xml", "aws-json");

  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  private static final long FALLBACK_MILLIS = 1_764_000_000_000L;

  private final CheckingProcessor processor = new CheckingProcessor();

  /** Open at the fallback time, so lines without a time of their own create series. */
  private final RequestMetrics requestMetrics =
      RequestMetrics.builder()
          .setClock(new CloudWatchLogsTestFixture.MutableClock(FALLBACK_MILLIS))
          .build();

  private final AccessLogBridge bridge =
      AccessLogBridge.builder(SdkLoggerProvider.builder().addLogRecordProcessor(processor).build())
          .setCloudRegion("eu-west-1")
          .setRequestMetrics(requestMetrics)
          .build();

  /** Emits {@code line} as a source holding only text would. */
  void emit(AccessLogFormat format, String line) {
    emit(format, line, false, false);
  }

  /** Emits {@code line} as a byte source would, with its flags. */
  void emit(AccessLogFormat format, String line, boolean invalidUtf8, boolean truncated) {
    long before = processor.records;
    // emit is documented never to throw: anything escaping here is a finding.
    bridge.emit(format, line, LogOrigin.unknown(), FALLBACK_MILLIS, invalidUtf8, truncated);
    if (processor.records != before + 1) {
      throw new IllegalStateException(
          "expected exactly one record for the line, got " + (processor.records - before));
    }
    if (bridge.requestMetricsFailures() != 0) {
      throw new IllegalStateException("the request metrics failed on the line");
    }
  }

  /** Records emitted so far. */
  long records() {
    return processor.records;
  }

  /**
   * Fails the input when a record breaks what every line's record must hold: a body no longer than
   * {@link LineLimits#MAX_LINE_CHARS}, and no internal error (the bridge's own bug, which {@code
   * emit} hides from the host by emitting the line raw).
   */
  private static final class CheckingProcessor implements LogRecordProcessor {
    long records;

    @Override
    public void onEmit(Context context, ReadWriteLogRecord logRecord) {
      records++;
      Value<?> body = logRecord.toLogRecordData().getBodyValue();
      if (body == null) {
        throw new AssertionError("record without a body");
      }
      if (body.asString().length() > LineLimits.MAX_LINE_CHARS) {
        throw new AssertionError("body of " + body.asString().length() + " chars");
      }
      String errorType = logRecord.getAttribute(ERROR_TYPE);
      if (LineOutcome.INTERNAL_ERROR.errorType().equals(errorType)) {
        throw new AssertionError("the bridge failed on a line (internal_error)");
      }
    }
  }
}
