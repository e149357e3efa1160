package io.github.apigatewayotel.receiver.internal;

import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import java.util.concurrent.TimeUnit;

/**
 * Turns one CloudWatch datapoint into one OTel point, at most once: points at or before the
 * query's high-water mark are skipped. A delta Sum spans [period start, period end); a cumulative
 * Sum is the query's running total since its first exported period; a Gauge is stamped at the
 * period start, as CloudWatch and Datadog do.
 */
public final class DatapointEmitter {

  private final PendingPoints sink;
  private final boolean cumulative;

  public DatapointEmitter(PendingPoints sink) {
    this.sink = sink;
    this.cumulative = sink.sumTemporality() == AggregationTemporality.CUMULATIVE;
  }

  /**
   * Emits the datapoint of the period starting at {@code periodStart} (epoch seconds); datapoints
   * of one query must come in ascending time. Returns whether a point was emitted.
   */
  public boolean emit(PlannedQuery query, long periodStart, int periodSeconds, double value) {
    if (periodStart <= query.highWaterMark) {
      return false;
    }
    MetricDescriptor d = query.descriptor;
    long startNanos = TimeUnit.SECONDS.toNanos(periodStart);
    long endNanos = TimeUnit.SECONDS.toNanos(periodStart + periodSeconds);
    DoublePoint point;
    if (!d.monotonicSum()) {
      point = new DoublePoint(startNanos, startNanos, query.series.attributes(), value);
    } else if (cumulative) {
      if (query.cumulativeStart == PlannedQuery.NONE) {
        query.cumulativeStart = periodStart;
      }
      query.runningTotal += value;
      point = new DoublePoint(TimeUnit.SECONDS.toNanos(query.cumulativeStart), endNanos, query.series.attributes(), query.runningTotal);
    } else {
      point = new DoublePoint(startNanos, endNanos, query.series.attributes(), value);
    }
    query.highWaterMark = periodStart;
    return sink.add(d, point);
  }
}
