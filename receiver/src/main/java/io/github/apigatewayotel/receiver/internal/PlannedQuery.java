package io.github.apigatewayotel.receiver.internal;

/**
 * One GetMetricData query (a series and one statistic) and its export state: the high-water mark
 * (start of the last period exported, so no period leaves twice) and, for cumulative sums, the
 * running total. Mutated only by the polling thread.
 */
public final class PlannedQuery {

  public static final long NONE = Long.MIN_VALUE;

  final MonitoredSeries series;
  final MetricDescriptor descriptor;
  /** Epoch second of the last exported period's start, or {@link #NONE}. */
  long highWaterMark = NONE;
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

  void carryStateFrom(PlannedQuery previous) {
    highWaterMark = previous.highWaterMark;
    cumulativeStart = previous.cumulativeStart;
    runningTotal = previous.runningTotal;
  }
}
