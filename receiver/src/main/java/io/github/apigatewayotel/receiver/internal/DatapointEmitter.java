package io.github.apigatewayotel.receiver.internal;

import io.opentelemetry.sdk.metrics.data.AggregationTemporality;

/**
 * Accepts each CloudWatch datapoint at most once: points at or before the query's high-water mark
 * are skipped, the mark then moves to the new period. Keeps the running total for cumulative sums
 * (from the query's first exported period). The times of the points are set when collected: a
 * delta Sum spans [period start, period end), a cumulative Sum [first period start, period end), a
 * Gauge is stamped at the period start.
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
  public boolean emit(PlannedQuery query, long periodStart, double value) {
    if (periodStart <= query.highWaterMark) {
      return false;
    }
    query.highWaterMark = periodStart;
    if (cumulative && query.descriptor.monotonicSum()) {
      if (query.cumulativeStart == PlannedQuery.NONE) {
        query.cumulativeStart = periodStart;
      }
      query.runningTotal += value;
      return sink.add(query, periodStart, query.runningTotal);
    }
    return sink.add(query, periodStart, value);
  }
}
