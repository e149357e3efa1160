package io.github.apigatewayotel.receiver.internal;

/**
 * Accepts each CloudWatch datapoint at most once: points at or before the query's high-water mark
 * are skipped, the mark then moves to the new period, and the point goes to {@link PendingPoints}
 * with its own value (which keeps the running totals of cumulative sums).
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class DatapointEmitter {

  private final PendingPoints sink;

  public DatapointEmitter(PendingPoints sink) {
    this.sink = sink;
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
    return sink.add(query, periodStart, value);
  }
}
