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
import org.openjdk.jmh.infra.Blackhole;

/**
 * A log-record sink that does the least work that still consumes every value (so the JIT cannot
 * drop the parsing that produced it): each value goes into a JMH {@link Blackhole}. It isolates
 * parsing and mapping from the SDK's own cost, which the {@code sdk} sink includes.
 *
 * <p>Each record gets a fresh builder, as with the SDK. An earlier version reused one long-lived
 * builder that kept the last value in reference fields: every one of the ~16 stores per record was
 * then an old-to-young (or cross-region) store paying G1's post-write barrier with its StoreLoad
 * fence, ~200 ns per record on both sides of the comparison that belonged to the sink, not to
 * parsing (async-profiler put a third of the bridge's samples on the first such store).
 */
final class MinimalSink implements LoggerProvider, LoggerBuilder, Logger {

  /** JMH's documented way to get a Blackhole outside its harness (the CPU-time runner). */
  private static final String BLACKHOLE_CHALLENGE =
      "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.";

  private final Blackhole blackhole = new Blackhole(BLACKHOLE_CHALLENGE);

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
    return new Record(blackhole);
  }

  /** One record: every value straight into the blackhole, nothing kept. */
  private static final class Record implements LogRecordBuilder {
    private final Blackhole blackhole;

    Record(Blackhole blackhole) {
      this.blackhole = blackhole;
    }

    @Override
    public LogRecordBuilder setTimestamp(long timestamp, TimeUnit unit) {
      blackhole.consume(timestamp);
      return this;
    }

    @Override
    public LogRecordBuilder setTimestamp(Instant instant) {
      blackhole.consume(instant);
      return this;
    }

    @Override
    public LogRecordBuilder setObservedTimestamp(long timestamp, TimeUnit unit) {
      blackhole.consume(timestamp);
      return this;
    }

    @Override
    public LogRecordBuilder setObservedTimestamp(Instant instant) {
      blackhole.consume(instant);
      return this;
    }

    @Override
    public LogRecordBuilder setContext(Context context) {
      blackhole.consume(context);
      return this;
    }

    @Override
    public LogRecordBuilder setSeverity(Severity severity) {
      blackhole.consume(severity);
      return this;
    }

    @Override
    public LogRecordBuilder setSeverityText(String severityText) {
      blackhole.consume(severityText);
      return this;
    }

    @Override
    public LogRecordBuilder setBody(String body) {
      blackhole.consume(body);
      return this;
    }

    @Override
    public LogRecordBuilder setEventName(String eventName) {
      blackhole.consume(eventName);
      return this;
    }

    @Override
    public <T> LogRecordBuilder setAttribute(AttributeKey<T> key, T value) {
      blackhole.consume(key);
      blackhole.consume(value);
      return this;
    }

    @Override
    public void emit() {
      blackhole.consume(this);
    }
  }
}
