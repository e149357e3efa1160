package io.github.apigatewayotel.receiver.internal;

import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The hand-over between polling and the host SDK: polls add datapoints, and the SDK's metric
 * reader drains them through {@link #produce}, so each leaves exactly once. Stored compactly (query,
 * period start, value: 20 bytes a point) and turned into point objects only when collected, because
 * a large account produces millions per poll. Bounded: beyond {@link #MAX_PENDING_POINTS} (no
 * reader collecting) new points are dropped and counted.
 */
public final class PendingPoints implements MetricProducer {

  public static final int MAX_PENDING_POINTS = 4_000_000;
  private static final int INITIAL_CAPACITY = 64;

  private final InstrumentationScopeInfo scope;
  private final AggregationTemporality sumTemporality;
  private final long periodSeconds;
  private final ReceiverTelemetry telemetry;
  private final Map<String, Pending> byName = new LinkedHashMap<>();
  private int size;

  /** One metric's pending datapoints, as parallel arrays. */
  private static final class Pending {
    final MetricDescriptor descriptor;
    PlannedQuery[] queries = new PlannedQuery[INITIAL_CAPACITY];
    long[] periodStarts = new long[INITIAL_CAPACITY];
    double[] values = new double[INITIAL_CAPACITY];
    int size;

    Pending(MetricDescriptor descriptor) {
      this.descriptor = descriptor;
    }

    void add(PlannedQuery query, long periodStart, double value) {
      if (size == queries.length) {
        int capacity = size + (size >> 1);
        queries = Arrays.copyOf(queries, capacity);
        periodStarts = Arrays.copyOf(periodStarts, capacity);
        values = Arrays.copyOf(values, capacity);
      }
      queries[size] = query;
      periodStarts[size] = periodStart;
      values[size] = value;
      size++;
    }
  }

  public PendingPoints(InstrumentationScopeInfo scope, AggregationTemporality sumTemporality, long periodSeconds,
      ReceiverTelemetry telemetry) {
    this.scope = scope;
    this.sumTemporality = sumTemporality;
    this.periodSeconds = periodSeconds;
    this.telemetry = telemetry;
  }

  public AggregationTemporality sumTemporality() {
    return sumTemporality;
  }

  /**
   * Adds the datapoint of the period starting at {@code periodStart} (epoch seconds); for a
   * cumulative sum {@code value} is the running total. Returns false (and counts a drop) when full.
   */
  public synchronized boolean add(PlannedQuery query, long periodStart, double value) {
    if (size >= MAX_PENDING_POINTS) {
      telemetry.dropped(1);
      return false;
    }
    byName.computeIfAbsent(query.descriptor.otelName(), n -> new Pending(query.descriptor)).add(query, periodStart, value);
    size++;
    return true;
  }

  public synchronized int size() {
    return size;
  }

  @Override
  public Collection<MetricData> produce(Resource resource) {
    List<Pending> drained;
    synchronized (this) {
      if (size == 0) {
        return List.of();
      }
      drained = new ArrayList<>(byName.values());
      byName.clear();
      size = 0;
    }
    boolean cumulative = sumTemporality == AggregationTemporality.CUMULATIVE;
    List<MetricData> metrics = new ArrayList<>(drained.size());
    for (Pending pending : drained) {
      MetricDescriptor d = pending.descriptor;
      List<DoublePointData> points = new ArrayList<>(pending.size);
      for (int i = 0; i < pending.size; i++) {
        PlannedQuery query = pending.queries[i];
        long start = TimeUnit.SECONDS.toNanos(pending.periodStarts[i]);
        long end = TimeUnit.SECONDS.toNanos(pending.periodStarts[i] + periodSeconds);
        DoublePoint point;
        if (!d.monotonicSum()) {
          point = new DoublePoint(start, start, query.series.attributes(), pending.values[i]); // at the period start
        } else if (cumulative) {
          point = new DoublePoint(TimeUnit.SECONDS.toNanos(query.cumulativeStart), end, query.series.attributes(), pending.values[i]);
        } else {
          point = new DoublePoint(start, end, query.series.attributes(), pending.values[i]);
        }
        points.add(point);
      }
      if (d.monotonicSum()) {
        metrics.add(new ReceiverMetricData(resource, scope, d.otelName(), d.description(), d.unit(),
            MetricDataType.DOUBLE_SUM, new DoubleSum(true, sumTemporality, points)));
      } else {
        metrics.add(new ReceiverMetricData(resource, scope, d.otelName(), d.description(), d.unit(),
            MetricDataType.DOUBLE_GAUGE, new DoubleGauge(points)));
      }
    }
    return metrics;
  }
}
