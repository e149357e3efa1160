package io.github.apigatewayotel.receiver.internal;

import java.util.Arrays;

/**
 * One GetMetricData query (a series and one statistic) and its export state: the high-water mark
 * (start of the last period emitted, so no period leaves twice; and of the last one exported, which
 * a restart resumes after), the running total push readers get of a cumulative sum, and what pull
 * readers show of it. Mutated by the polling thread (the totals under the {@link PendingPoints}
 * lock), but for {@link #exportedMark}.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
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
   * Fleet mode: set once this replica lost the lease its plan was polled under; the query's points
   * still pending are discarded, never exported (the new holder exports those periods).
   */
  volatile boolean fenced;

  /**
   * With two or more reader lanes that hold the marks ({@link PendingPoints}, push readers): per
   * lane, the last period it exported; {@link #exportedMark} is their minimum, so a restart loses
   * no period for any backend. Null otherwise. Written under the {@link PendingPoints} lock.
   */
  private volatile long[] exportedMarkByLane;

  /** This query in the plan that replaced this one's, so a late confirmation reaches it. */
  volatile PlannedQuery successor;

  long cumulativeStart = NONE;
  double runningTotal;

  /** What pull readers show of this query ({@link LatestValues}); null before its first period. */
  LatestValues.Entry latestValue;

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

  /**
   * Lane {@code lane} exported the period starting at {@code periodStart}: the exported mark moves
   * to the period every lane that holds marks ({@code holding}) has exported.
   */
  void laneExported(int lane, boolean[] holding, long periodStart) {
    int laneCount = holding.length;
    long[] marks = exportedMarkByLane;
    if (marks == null || marks.length < laneCount) {
      int known = marks == null ? 0 : marks.length;
      marks = marks == null ? new long[laneCount] : Arrays.copyOf(marks, laneCount);
      Arrays.fill(marks, known, laneCount, NONE); // a lane new here has exported nothing yet
      exportedMarkByLane = marks;
    }
    if (periodStart > marks[lane]) {
      marks[lane] = periodStart;
    }
    long everyLane = Long.MAX_VALUE;
    for (int i = 0; i < laneCount; i++) {
      if (holding[i]) {
        everyLane = Math.min(everyLane, marks[i]);
      }
    }
    if (everyLane != Long.MAX_VALUE && everyLane > exportedMark) {
      exportedMark = everyLane;
    }
  }

  void carryStateFrom(PlannedQuery previous) {
    highWaterMark = previous.highWaterMark;
    exportedMark = previous.exportedMark;
    exportedMarkByLane = previous.exportedMarkByLane; // the same per-lane marks, not a copy
    previous.successor = this;
    cumulativeStart = previous.cumulativeStart;
    runningTotal = previous.runningTotal;
    latestValue = previous.latestValue;
  }
}
