package io.github.apigatewayotel.receiver.internal;

import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hand-over between polling and the host SDK: polls add points, and the SDK's metric reader
 * drains them through {@link #produce}, so each point leaves exactly once. Bounded: when no reader
 * collects, the newest points beyond {@link #MAX_PENDING_POINTS} are dropped and counted.
 */
public final class PendingPoints implements MetricProducer {

  public static final int MAX_PENDING_POINTS = 5_000_000;

  private final InstrumentationScopeInfo scope;
  private final AggregationTemporality sumTemporality;
  private final ReceiverTelemetry telemetry;
  private final Map<String, Pending> byName = new LinkedHashMap<>();
  private int size;

  private static final class Pending {
    final MetricDescriptor descriptor;
    final List<DoublePointData> points = new ArrayList<>();

    Pending(MetricDescriptor descriptor) {
      this.descriptor = descriptor;
    }
  }

  public PendingPoints(InstrumentationScopeInfo scope, AggregationTemporality sumTemporality, ReceiverTelemetry telemetry) {
    this.scope = scope;
    this.sumTemporality = sumTemporality;
    this.telemetry = telemetry;
  }

  public AggregationTemporality sumTemporality() {
    return sumTemporality;
  }

  /** Adds one point; returns false (and counts a drop) when the buffer is full. */
  public synchronized boolean add(MetricDescriptor descriptor, DoublePointData point) {
    if (size >= MAX_PENDING_POINTS) {
      telemetry.dropped(1);
      return false;
    }
    byName.computeIfAbsent(descriptor.otelName(), n -> new Pending(descriptor)).points.add(point);
    size++;
    return true;
  }

  public synchronized int size() {
    return size;
  }

  @Override
  public Collection<MetricData> produce(Resource resource) {
    Map<String, Pending> drained;
    synchronized (this) {
      if (size == 0) {
        return List.of();
      }
      drained = new LinkedHashMap<>(byName);
      byName.clear();
      size = 0;
    }
    List<MetricData> metrics = new ArrayList<>(drained.size());
    for (Pending pending : drained.values()) {
      MetricDescriptor d = pending.descriptor;
      if (d.monotonicSum()) {
        metrics.add(new ReceiverMetricData(resource, scope, d.otelName(), d.description(), d.unit(),
            MetricDataType.DOUBLE_SUM, new DoubleSum(true, sumTemporality, pending.points)));
      } else {
        metrics.add(new ReceiverMetricData(resource, scope, d.otelName(), d.description(), d.unit(),
            MetricDataType.DOUBLE_GAUGE, new DoubleGauge(pending.points)));
      }
    }
    return metrics;
  }
}
