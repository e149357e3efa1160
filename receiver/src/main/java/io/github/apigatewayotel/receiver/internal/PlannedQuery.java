package io.github.apigatewayotel.receiver.internal;

/**
 * One GetMetricData query (a series and one statistic) and its export state: the high-water mark
 * (start of the last period emitted, so no period leaves twice; and of the last one exported,
 * which a restart resumes after) and, for cumulative sums, the
 * running total. Mutated by the polling thread, but for {@link #exportedMark}.
 */
public final class PlannedQuery {

  public static final long NONE = Long.MIN_VALUE;

  final MonitoredSeries series;
  final MetricDescriptor descriptor;
  /** Epoch second of the last emitted period's start, or {@link #NONE}. */
  long highWaterMark = NONE;
  /**
   * Epoch second of the last period the host exported (or collected, without confirmation): what
   * the state directory keeps. Written by the exporter's thread, read when persisting.
   */
  volatile long exportedMark = NONE;
  /**
   * For a series first listed by a rediscovery: the epoch second from which it may hold data, which
   * can be older than the lookback because ListMetrics shows a new series only some time after its
   * first datapoint. {@link #NONE} once a poll has read it, and for every other query.
   */
  long readFrom = NONE;
  /** This query in the plan that replaced this one's, so a late confirmation reaches it. */
  volatile PlannedQuery successor;
  long cumulativeStart = NONE;
  double runningTotal;

  public PlannedQuery(MonitoredSeries series, MetricDescriptor descriptor) {
    this.series = series;
    this.descriptor = descriptor;
  }

  public String key() {
    return series.key() + "|" + descriptor.statistic();
  }

  public long highWaterMark() {
    return highWaterMark;
  }

  /** The query as currently planned: this one, or the one that took its state over. */
  PlannedQuery current() {
    PlannedQuery query = this;
    while (query.successor != null) {
      query = query.successor;
    }
    return query;
  }

  void carryStateFrom(PlannedQuery previous) {
    highWaterMark = previous.highWaterMark;
    exportedMark = previous.exportedMark;
    previous.successor = this;
    cumulativeStart = previous.cumulativeStart;
    runningTotal = previous.runningTotal;
    readFrom = previous.readFrom;
  }
}
