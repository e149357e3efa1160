package io.github.apigatewayotel.logs.benchmark;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.LogRecordBuilder;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.LoggerBuilder;
import io.opentelemetry.api.logs.LoggerProvider;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A log-record sink that does the least work that still keeps every value (so the JIT cannot
 * drop the parsing that produced it): one reused builder per benchmark thread that remembers the
 * last value of each kind and counts attributes. It isolates parsing and mapping from the SDK's
 * own cost, which the {@code sdk} sink includes.
 */
final class MinimalSink implements LoggerProvider, LoggerBuilder, Logger, LogRecordBuilder {

  Object lastKey;
  Object lastValue;
  long lastTimestamp;
  long attributeCount;
  long emitted;

  @Override
  public LoggerBuilder loggerBuilder(String instrumentationScopeName) {
    return this;
  }

  @Override
  public LoggerBuilder setSchemaUrl(String schemaUrl) {
    return this;
  }

  @Override
  public LoggerBuilder setInstrumentationVersion(String instrumentationScopeVersion) {
    return this;
  }

  @Override
  public Logger build() {
    return this;
  }

  @Override
  public LogRecordBuilder logRecordBuilder() {
    return this;
  }

  @Override
  public LogRecordBuilder setTimestamp(long timestamp, TimeUnit unit) {
    lastTimestamp = timestamp;
    return this;
  }

  @Override
  public LogRecordBuilder setTimestamp(Instant instant) {
    lastValue = instant;
    return this;
  }

  @Override
  public LogRecordBuilder setObservedTimestamp(long timestamp, TimeUnit unit) {
    lastTimestamp ^= timestamp;
    return this;
  }

  @Override
  public LogRecordBuilder setObservedTimestamp(Instant instant) {
    lastValue = instant;
    return this;
  }

  @Override
  public LogRecordBuilder setContext(Context context) {
    lastValue = context;
    return this;
  }

  @Override
  public LogRecordBuilder setSeverity(Severity severity) {
    lastValue = severity;
    return this;
  }

  @Override
  public LogRecordBuilder setSeverityText(String severityText) {
    lastValue = severityText;
    return this;
  }

  @Override
  public LogRecordBuilder setBody(String body) {
    lastValue = body;
    return this;
  }

  @Override
  public LogRecordBuilder setEventName(String eventName) {
    lastValue = eventName;
    return this;
  }

  @Override
  public <T> LogRecordBuilder setAttribute(AttributeKey<T> key, T value) {
    lastKey = key;
    lastValue = value;
    attributeCount++;
    return this;
  }

  @Override
  public void emit() {
    emitted++;
  }
}
