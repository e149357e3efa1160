package io.github.apigatewayotel.logs;

import io.github.apigatewayotel.logs.internal.AccessLogMapper;
import io.github.apigatewayotel.logs.internal.DeliveryBatch;
import io.github.apigatewayotel.logs.internal.DeliveryLedger;
import io.github.apigatewayotel.logs.internal.LineCounters;
import io.github.apigatewayotel.logs.internal.LineLimits;
import io.github.apigatewayotel.logs.internal.execution.ExecutionMessage;
import io.github.apigatewayotel.logs.internal.execution.StreamRequestIds;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.LogRecordBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.LoggerProvider;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.semconv.HttpAttributes;
import io.opentelemetry.semconv.incubating.AwsIncubatingAttributes;
import io.opentelemetry.semconv.incubating.CloudIncubatingAttributes;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;

/**
 * Turns API Gateway execution-log events ({@code API-Gateway-Execution-Logs_{apiId}/{stage}}
 * groups, written by REST and WebSocket stages with execution logging on) into log records: one
 * record per event, body as written (a message of several lines stays one record), event name
 * {@code aws.apigateway.execution}, {@code aws.request_id} from the {@code (request-id)} prefix (an
 * event without it takes the request its stream wrote last), API id and stage from the group,
 * severity from the message ({@link ExecutionMessage}), and the trace context of the request when
 * its access-log line was read first ({@link RequestTraceContexts}). Thread-safe; never throws from
 * {@code emit}. Records are counted in {@code apigateway_otel.logs.execution.lines} by {@code
 * outcome}: {@code traced} (trace context joined) or {@code untraced}.
 */
public final class ExecutionLogBridge {

  public static final String EVENT_NAME = "aws.apigateway.execution";

  private static final java.util.logging.Logger logger =
      java.util.logging.Logger.getLogger(ExecutionLogBridge.class.getName());
  private static final AttributeKey<String> OUTCOME = LineCounters.OUTCOME;

  /** Where records go: the host's OpenTelemetry logs. */
  private final Logger records;

  private final String cloudRegion;
  private final String cloudAccountId;
  private final RequestTraceContexts traceContexts;
  private final DeliveryLedger delivery;
  private final StreamRequestIds streams = new StreamRequestIds();
  private final LongAdder traced = new LongAdder();
  private final LongAdder untraced = new LongAdder();

  private ExecutionLogBridge(Builder builder) {
    this.records = builder.loggerProvider.get(AccessLogBridge.INSTRUMENTATION_SCOPE);
    this.cloudRegion = builder.cloudRegion;
    this.cloudAccountId = builder.cloudAccountId;
    this.traceContexts = builder.traceContexts;
    this.delivery = builder.deliveryTracker == null ? null : builder.deliveryTracker.ledger();
    if (delivery != null) {
      delivery.reportTo(builder.meterProvider);
    }
    builder
        .meterProvider
        .get(LineCounters.METER_NAME)
        .counterBuilder("apigateway_otel.logs.execution.lines")
        .setUnit("{line}")
        .setDescription(
            "Execution-log events turned into records, by whether the request's trace context was"
                + " known (outcome traced) from its access-log line or not (untraced)")
        .buildWithCallback(
            m -> {
              m.record(traced.sum(), Attributes.of(OUTCOME, "traced"));
              m.record(untraced.sum(), Attributes.of(OUTCOME, "untraced"));
            });
  }

  public static Builder builder(LoggerProvider loggerProvider) {
    return new Builder(Objects.requireNonNull(loggerProvider, "loggerProvider"));
  }

  /**
   * Emits one record for one execution-log event read from {@code origin} (its group names the
   * stage), written at {@code eventEpochMillis}. Never throws.
   */
  public void emit(String message, LogOrigin origin, long eventEpochMillis) {
    emit(message, origin, eventEpochMillis, false);
  }

  private void emit(String message, LogOrigin origin, long eventEpochMillis, boolean again) {
    DeliveryBatch batch = delivery == null ? null : delivery.current();
    DeliveryBatch.Entry tracked = null;
    try {
      String text = message == null ? "" : message;
      String body =
          text.length() > LineLimits.MAX_LINE_CHARS
              ? text.substring(0, LineLimits.MAX_LINE_CHARS)
              : text;
      ExecutionMessage parsed = ExecutionMessage.parse(body);
      String stream = origin.logGroup() + "\n" + origin.logStream();
      String requestId = parsed.requestId();
      if (requestId != null) {
        streams.wrote(stream, requestId);
      } else {
        requestId = streams.last(stream);
      }
      LogRecordBuilder record =
          records
              .logRecordBuilder()
              .setBody(body)
              .setEventName(EVENT_NAME)
              .setTimestamp(eventEpochMillis, TimeUnit.MILLISECONDS)
              .setObservedTimestamp(System.currentTimeMillis(), TimeUnit.MILLISECONDS)
              .setSeverity(parsed.severity())
              .setSeverityText(parsed.severity().name())
              .setAttribute(
                  CloudIncubatingAttributes.CLOUD_PROVIDER,
                  CloudIncubatingAttributes.CloudProviderIncubatingValues.AWS);
      setIfKnown(record, AwsIncubatingAttributes.AWS_REQUEST_ID, requestId);
      setIfKnown(record, AccessLogMapper.API_ID, origin.apiId());
      setIfKnown(record, AccessLogMapper.STAGE, origin.stage());
      setIfKnown(
          record,
          CloudIncubatingAttributes.CLOUD_REGION,
          origin.cloudRegion() != null ? origin.cloudRegion() : cloudRegion);
      setIfKnown(
          record,
          CloudIncubatingAttributes.CLOUD_ACCOUNT_ID,
          origin.cloudAccountId() != null ? origin.cloudAccountId() : cloudAccountId);
      if (origin.logGroup() != null) {
        record.setAttribute(
            AwsIncubatingAttributes.AWS_LOG_GROUP_NAMES, List.of(origin.logGroup()));
      }
      if (origin.logStream() != null) {
        record.setAttribute(
            AwsIncubatingAttributes.AWS_LOG_STREAM_NAMES, List.of(origin.logStream()));
      }
      if (parsed.status() > 0) {
        record.setAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, (long) parsed.status());
      }
      SpanContext trace =
          traceContexts == null || requestId == null ? null : traceContexts.get(requestId);
      if (trace != null) {
        record.setContext(Context.root().with(Span.wrap(trace)));
      }
      if (batch != null) { // before emit: a synchronous processor exports inside emit()
        tracked = batch.track(body, () -> emit(message, origin, eventEpochMillis, true));
      }
      record.emit();
      if (!again) {
        (trace != null ? traced : untraced).increment();
      }
    } catch (RuntimeException e) {
      if (batch != null) {
        batch.untrack(tracked);
      }
      logger.log(Level.FINE, "The host's LoggerProvider rejected an execution-log record", e);
    }
  }

  /** Opens a delivery batch on this thread (see {@link AccessLogBridge#openDeliveryBatch()}). */
  DeliveryBatch openDeliveryBatch() {
    return delivery == null ? DeliveryBatch.HANDED_OVER : delivery.open();
  }

  private static void setIfKnown(LogRecordBuilder record, AttributeKey<String> key, String value) {
    if (value != null) {
      record.setAttribute(key, value);
    }
  }

  /** Configures an {@link ExecutionLogBridge}. */
  public static final class Builder {
    private final LoggerProvider loggerProvider;
    private MeterProvider meterProvider = MeterProvider.noop();
    private String cloudRegion;
    private String cloudAccountId;
    private RequestTraceContexts traceContexts;
    private LogDeliveryTracker deliveryTracker;

    private Builder(LoggerProvider loggerProvider) {
      this.loggerProvider = loggerProvider;
    }

    /** Where the bridge's own counters go; default: nowhere. */
    public Builder setMeterProvider(MeterProvider meterProvider) {
      this.meterProvider = Objects.requireNonNull(meterProvider, "meterProvider");
      return this;
    }

    /** {@code cloud.region} for events whose origin names none. */
    public Builder setCloudRegion(String region) {
      this.cloudRegion = Objects.requireNonNull(region, "region");
      return this;
    }

    /** {@code cloud.account.id} for events whose origin names none. */
    public Builder setCloudAccountId(String accountId) {
      this.cloudAccountId = Objects.requireNonNull(accountId, "accountId");
      return this;
    }

    /** The trace contexts the access-log bridge remembers; default: none joined. */
    public Builder setRequestTraceContexts(RequestTraceContexts contexts) {
      this.traceContexts = Objects.requireNonNull(contexts, "contexts");
      return this;
    }

    /** As {@link AccessLogBridge.Builder#setDeliveryTracker}; the same tracker serves both. */
    public Builder setDeliveryTracker(LogDeliveryTracker tracker) {
      this.deliveryTracker = Objects.requireNonNull(tracker, "tracker");
      return this;
    }

    public ExecutionLogBridge build() {
      return new ExecutionLogBridge(this);
    }
  }
}
