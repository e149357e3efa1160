package io.github.apigatewayotel.logs;

import io.github.apigatewayotel.logs.internal.AccessLogMapper;
import io.github.apigatewayotel.logs.internal.ClientAddressTransformer;
import io.github.apigatewayotel.logs.internal.CompiledTemplate;
import io.github.apigatewayotel.logs.internal.DeliveryBatch;
import io.github.apigatewayotel.logs.internal.DeliveryLedger;
import io.github.apigatewayotel.logs.internal.LineCounters;
import io.github.apigatewayotel.logs.internal.LineLimits;
import io.github.apigatewayotel.logs.internal.LineOutcome;
import io.github.apigatewayotel.logs.internal.LineValues;
import io.github.apigatewayotel.logs.internal.execution.TraceContextRecorder;
import io.github.apigatewayotel.logs.internal.red.RequestLine;
import io.github.apigatewayotel.logs.internal.red.RequestLineReader;
import io.github.apigatewayotel.state.internal.OnceLogger;
import io.opentelemetry.api.logs.LogRecordBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.LoggerProvider;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.semconv.ErrorAttributes;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

/**
 * Turns API Gateway access-log lines into OpenTelemetry log records: each line, whatever it holds,
 * becomes exactly one record on the host's {@link LoggerProvider}. Thread-safe; never throws from
 * {@code emit}. Lines that do not fit carry {@code error.type}, and every line is counted in {@code
 * apigateway_otel.logs.lines} by {@code outcome}: {@code parsed}, {@code mismatch}, {@code
 * invalid_utf8}, {@code too_long}, {@code empty}, {@code internal_error}. With {@link
 * RequestMetrics} each line read for the first time is also counted in per-route request metrics,
 * and with {@link RequestTraceContexts} its trace is remembered for the execution log.
 */
public final class AccessLogBridge {

  /** Instrumentation scope of the records. */
  public static final String INSTRUMENTATION_SCOPE = "io.github.apigatewayotel.logs";

  private static final java.util.logging.Logger logger =
      java.util.logging.Logger.getLogger(AccessLogBridge.class.getName());

  /** Where records go: the host's OpenTelemetry logs. */
  private final Logger records;

  private final AccessLogFormat format;
  private final AccessLogMapper mapper;
  private final LineCounters counters;

  /** Null keeps client addresses as logged. */
  private final ClientAddressTransformer clientAddresses;

  /** Each kind of problem logged at WARNING once, later ones at FINE. */
  private final OnceLogger problems = new OnceLogger(logger);

  /** Null: handing a record to the SDK counts as delivered. */
  private final DeliveryLedger delivery;

  /** Null: no request metrics. */
  private final RequestMetrics requestMetrics;

  private final RequestLineReader requestLines;
  private final java.util.concurrent.atomic.LongAdder requestMetricsFailures =
      new java.util.concurrent.atomic.LongAdder();

  /** Null: no execution log to join. */
  private final TraceContextRecorder traceContexts;

  private AccessLogBridge(Builder builder) {
    this.delivery = builder.deliveryTracker == null ? null : builder.deliveryTracker.ledger();
    if (delivery != null) {
      delivery.reportTo(builder.meterProvider);
    }
    this.records = builder.loggerProvider.get(INSTRUMENTATION_SCOPE);
    this.format = builder.format;
    this.clientAddresses = transformerFor(builder.clientAddressPolicy);
    this.mapper = new AccessLogMapper(builder.cloudRegion, builder.cloudAccountId, clientAddresses);
    this.counters = new LineCounters(builder.meterProvider);
    this.requestMetrics = builder.requestMetrics;
    if (requestMetrics != null) {
      requestMetrics.reportTo(builder.meterProvider);
    }
    this.requestLines =
        requestMetrics == null
            ? null
            : requestMetrics.newLineReader(builder.cloudRegion, builder.cloudAccountId);
    this.traceContexts =
        builder.traceContexts == null ? null : new TraceContextRecorder(builder.traceContexts);
  }

  /** A builder emitting to {@code loggerProvider} (the host SDK's). */
  public static Builder builder(LoggerProvider loggerProvider) {
    return new Builder(Objects.requireNonNull(loggerProvider, "loggerProvider"));
  }

  /** Parses one line with the bridge's format and emits exactly one log record. Never throws. */
  public void emit(String line, LogOrigin origin) {
    emit(format, line, origin, System.currentTimeMillis());
  }

  /**
   * Parses one line with {@code format} (e.g. its log group's) and emits exactly one log record;
   * {@code fallbackEpochMillis} (e.g. the CloudWatch event time) is the timestamp when the line has
   * no time variable or it does not parse. Never throws.
   */
  public void emit(
      AccessLogFormat format, String line, LogOrigin origin, long fallbackEpochMillis) {
    emit(format, line, origin, fallbackEpochMillis, false, false);
  }

  /**
   * The full form, for sources that read bytes: {@code invalidUtf8} when the line was decoded with
   * replacement characters, {@code truncated} when the source dropped its tail.
   */
  void emit(
      AccessLogFormat format,
      String line,
      LogOrigin origin,
      long fallbackEpochMillis,
      boolean invalidUtf8,
      boolean truncated) {
    emit(format, line, origin, fallbackEpochMillis, invalidUtf8, truncated, false);
  }

  /**
   * {@code again}: the delivery tracker emits the line again (its export failed, or the SDK dropped
   * it): the record is new, the request is not, so it is not counted in the request metrics a
   * second time. Sources hand each line over once, so every other call is a first.
   */
  private void emit(
      AccessLogFormat format,
      String line,
      LogOrigin origin,
      long fallbackEpochMillis,
      boolean invalidUtf8,
      boolean truncated,
      boolean again) {
    AccessLogFormat lineFormat = format != null ? format : this.format;
    LogOrigin lineOrigin = origin != null ? origin : LogOrigin.unknown();
    String text = line != null ? line : "";
    long now = System.currentTimeMillis();
    DeliveryBatch batch = delivery == null ? null : delivery.current();
    DeliveryBatch.Entry tracked = null;
    try {
      CompiledTemplate template = lineFormat.compiled();
      LineValues values = LineValues.forThisThread(template.slotCount());
      LineOutcome outcome;
      String body = text;
      if (truncated || text.length() > LineLimits.MAX_LINE_CHARS) {
        outcome = LineOutcome.TOO_LONG;
        if (text.length() > LineLimits.MAX_LINE_CHARS) {
          body = text.substring(0, LineLimits.MAX_LINE_CHARS);
        }
      } else if (text.isBlank()) {
        outcome = LineOutcome.EMPTY;
      } else if (invalidUtf8) {
        template.parse(text, values);
        outcome = LineOutcome.INVALID_UTF8;
      } else if (template.parse(text, values)) {
        outcome = LineOutcome.PARSED;
      } else {
        outcome = LineOutcome.MISMATCH;
        reportMismatchOnce(lineOrigin);
      }
      if (requestLines != null
          && !again
          && (outcome == LineOutcome.PARSED || outcome == LineOutcome.INVALID_UTF8)) {
        countRequest(template, values, lineOrigin, fallbackEpochMillis);
      }
      if (traceContexts != null && outcome == LineOutcome.PARSED) {
        traceContexts.record(template, values);
      }
      if (clientAddresses != null && outcome != LineOutcome.PARSED) {
        // Which token is the client's is unknown here: no address may pass through untransformed.
        body = withinLimit(clientAddresses.scrubBody(body));
      }
      LogRecordBuilder record = records.logRecordBuilder();
      String emittedBody =
          mapper.map(record, template, body, values, outcome, lineOrigin, fallbackEpochMillis, now);
      if (batch != null) { // before emit: a synchronous processor exports inside emit()
        tracked =
            batch.track(
                emittedBody,
                () ->
                    emit(format, line, origin, fallbackEpochMillis, invalidUtf8, truncated, true));
      }
      record.emit();
      counters.count(outcome);
    } catch (RuntimeException e) {
      if (batch != null) {
        batch.untrack(tracked);
      }
      emitAfterFailure(
          text,
          lineOrigin,
          fallbackEpochMillis,
          now,
          e,
          batch,
          () -> emit(format, line, origin, fallbackEpochMillis, invalidUtf8, truncated, true));
    }
  }

  /** Counts the line's request in the request metrics; their failure never costs the record. */
  private void countRequest(
      CompiledTemplate template, LineValues values, LogOrigin origin, long fallbackEpochMillis) {
    try {
      RequestLine request = requestLines.read(template, values, origin, fallbackEpochMillis);
      if (request != null) {
        requestMetrics.producer().record(request);
      }
    } catch (RuntimeException e) {
      requestMetricsFailures.increment();
      problems.warning(
          "request_metrics",
          "Failed to count an access-log line from " + origin + " in request metrics",
          e);
    }
  }

  /**
   * Opens a delivery batch on this thread: the records emitted on it until it is closed are held by
   * {@link DeliveryBatch#awaitDelivery} until exported. Without a tracker the hand-over to the SDK
   * counts as delivery.
   */
  DeliveryBatch openDeliveryBatch() {
    return delivery == null ? DeliveryBatch.HANDED_OVER : delivery.open();
  }

  /** A hash is longer than the address it replaces: the body limit still holds. */
  private static String withinLimit(String body) {
    return body.length() > LineLimits.MAX_LINE_CHARS
        ? body.substring(0, LineLimits.MAX_LINE_CHARS)
        : body;
  }

  private static ClientAddressTransformer transformerFor(ClientAddressPolicy policy) {
    return switch (policy.mode()) {
      case KEEP -> null;
      case TRUNCATE -> ClientAddressTransformer.truncating();
      case HASH -> ClientAddressTransformer.hashing(policy.key());
    };
  }

  LineCounters counters() {
    return counters;
  }

  /** Lines the request metrics failed on (a bug; for the fuzz tests). */
  long requestMetricsFailures() {
    return requestMetricsFailures.sum();
  }

  /** The bridge's default format. */
  public AccessLogFormat format() {
    return format;
  }

  private void reportMismatchOnce(LogOrigin origin) {
    problems.log(
        Level.WARNING,
        "mismatch",
        () ->
            "An access-log line from "
                + origin
                + " does not fit the configured format; such lines are"
                + " emitted with error.type and counted in apigateway_otel.logs.lines"
                + " with outcome=mismatch. Check otel.apigateway.logs.format.",
        null);
  }

  private void emitAfterFailure(
      String line,
      LogOrigin origin,
      long fallbackEpochMillis,
      long now,
      RuntimeException e,
      DeliveryBatch batch,
      Runnable emitAgain) {
    counters.count(LineOutcome.INTERNAL_ERROR);
    problems.warning(
        "failure", "Failed to map an access-log line from " + origin + "; emitting it raw", e);
    DeliveryBatch.Entry tracked = null;
    try {
      String body =
          line.length() > LineLimits.MAX_LINE_CHARS
              ? line.substring(0, LineLimits.MAX_LINE_CHARS)
              : line;
      if (clientAddresses != null) {
        body = withinLimit(clientAddresses.scrubBody(body));
      }
      // Emitted again, a line that failed mapping goes through mapping again.
      tracked = batch == null ? null : batch.track(body, emitAgain);
      records
          .logRecordBuilder()
          .setBody(body)
          .setEventName(AccessLogMapper.EVENT_NAME)
          .setTimestamp(fallbackEpochMillis, TimeUnit.MILLISECONDS)
          .setObservedTimestamp(now, TimeUnit.MILLISECONDS)
          .setAttribute(ErrorAttributes.ERROR_TYPE, LineOutcome.INTERNAL_ERROR.errorType())
          .emit();
    } catch (RuntimeException again) {
      if (batch != null) {
        batch.untrack(tracked); // never emitted: nothing to await
      }
      logger.log(Level.FINE, "The host's LoggerProvider rejected a raw access-log record", again);
    }
  }

  /** Configures an {@link AccessLogBridge}. */
  public static final class Builder {
    private final LoggerProvider loggerProvider;
    private AccessLogFormat format = AccessLogFormat.defaultFormat();
    private MeterProvider meterProvider = MeterProvider.noop();
    private String cloudRegion;
    private String cloudAccountId;
    private ClientAddressPolicy clientAddressPolicy = ClientAddressPolicy.keep();
    private LogDeliveryTracker deliveryTracker;
    private RequestMetrics requestMetrics;
    private RequestTraceContexts traceContexts;

    private Builder(LoggerProvider loggerProvider) {
      this.loggerProvider = loggerProvider;
    }

    /** The format of lines passed to {@link #emit(String, LogOrigin)}; default: the seed's JSON. */
    public Builder setFormat(AccessLogFormat format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    /** Where the bridge's own counters go; default: nowhere. */
    public Builder setMeterProvider(MeterProvider meterProvider) {
      this.meterProvider = Objects.requireNonNull(meterProvider, "meterProvider");
      return this;
    }

    /** {@code cloud.region} for lines whose origin names none. */
    public Builder setCloudRegion(String region) {
      this.cloudRegion = requireNonBlank(region, "cloud region");
      return this;
    }

    /** {@code cloud.account.id} for lines whose origin (and line) name none. */
    public Builder setCloudAccountId(String accountId) {
      this.cloudAccountId = requireNonBlank(accountId, "cloud account id");
      return this;
    }

    /**
     * What happens to {@code client.address} (and the address in the body); default: {@link
     * ClientAddressPolicy#keep()}.
     */
    public Builder setClientAddressPolicy(ClientAddressPolicy policy) {
      this.clientAddressPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Holds the sources' checkpoints until the host's exporter (wrapped with {@link
     * LogDeliveryTracker#wrap}) has exported their records; default: none, the hand-over to the SDK
     * counts as delivered.
     */
    public Builder setDeliveryTracker(LogDeliveryTracker tracker) {
      this.deliveryTracker = Objects.requireNonNull(tracker, "tracker");
      return this;
    }

    /**
     * Derives per-route request metrics from every line parsed for the first time (a line the
     * delivery tracker emits again is not counted again); default: none.
     */
    public Builder setRequestMetrics(RequestMetrics requestMetrics) {
      this.requestMetrics = Objects.requireNonNull(requestMetrics, "requestMetrics");
      return this;
    }

    /**
     * Remembers the trace context of each request (by {@code $context.requestId}) so that an {@link
     * ExecutionLogBridge} given the same contexts puts it on the request's execution-log records;
     * default: none.
     */
    public Builder setRequestTraceContexts(RequestTraceContexts contexts) {
      this.traceContexts = Objects.requireNonNull(contexts, "contexts");
      return this;
    }

    public AccessLogBridge build() {
      return new AccessLogBridge(this);
    }

    private static String requireNonBlank(String value, String what) {
      Objects.requireNonNull(value, what);
      if (value.isBlank()) {
        throw new IllegalArgumentException(what + " is blank");
      }
      return value.strip();
    }
  }
}
