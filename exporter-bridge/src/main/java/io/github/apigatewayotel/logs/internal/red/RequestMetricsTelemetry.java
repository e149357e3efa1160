package io.github.apigatewayotel.logs.internal.red;

import io.github.apigatewayotel.logs.internal.LineCounters;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The request metrics' own counters: lines not counted because their minute had closed (or lay too
 * far ahead), lines counted in an overflow series, and closed-minute points dropped because the
 * exporter kept failing past the bound. Counted in adders, reported when the host collects (as
 * {@link LineCounters} does, and for the same reason: one add per line, no map lookup).
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class RequestMetricsTelemetry {

  static final String LATE = "apigateway_otel.logs.metrics.late";
  static final String OVERFLOW = "apigateway_otel.logs.metrics.overflow";
  static final String DROPPED = "apigateway_otel.logs.metrics.dropped";
  static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");
  private static final Attributes CLOSED = Attributes.of(REASON, "closed");
  private static final Attributes FUTURE = Attributes.of(REASON, "future");

  private final LongAdder late = new LongAdder();
  private final LongAdder future = new LongAdder();
  private final LongAdder overflow = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final AtomicBoolean reporting = new AtomicBoolean();

  /**
   * Reports on {@code meterProvider} (the first one given): the producer exists before the host's
   * meter provider does, which it is registered with.
   */
  public void reportTo(MeterProvider meterProvider) {
    if (!reporting.compareAndSet(false, true)) {
      return;
    }
    Meter meter = meterProvider.get(LineCounters.METER_NAME);
    meter
        .counterBuilder(LATE)
        .setUnit("{line}")
        .setDescription(
            "Access-log lines left out of the request metrics: their minute had closed (reason"
                + " closed) or lay further ahead than the grace period (reason future)")
        .buildWithCallback(
            m -> {
              m.record(late.sum(), CLOSED);
              m.record(future.sum(), FUTURE);
            });
    meter
        .counterBuilder(OVERFLOW)
        .setUnit("{line}")
        .setDescription(
            "Access-log lines counted in a stage's overflow series (otel.metric.overflow=true)"
                + " because the stage had reached its series limit")
        .buildWithCallback(m -> m.record(overflow.sum()));
    meter
        .counterBuilder(DROPPED)
        .setUnit("{point}")
        .setDescription(
            "Closed-minute points of the request metrics dropped because the metric exporter"
                + " failed for longer than the pending bound holds")
        .buildWithCallback(m -> m.record(dropped.sum()));
  }

  void late() {
    late.increment();
  }

  void future() {
    future.increment();
  }

  void overflowed() {
    overflow.increment();
  }

  void dropped(int points) {
    dropped.add(points);
  }

  public long lateLines() {
    return late.sum();
  }

  public long futureLines() {
    return future.sum();
  }

  public long overflowLines() {
    return overflow.sum();
  }

  public long droppedPoints() {
    return dropped.sum();
  }
}
