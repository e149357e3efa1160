package io.github.apigatewayotel.logs.internal.red;

import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands the request metrics to the host SDK's metric readers, as the receiver hands CloudWatch
 * datapoints: points carry the requests' own minutes, never the collection time, which is why they
 * are made here and not by the SDK's synchronous instruments.
 *
 * <ul>
 *   <li>Delta temporality, push reader (a {@code PeriodicMetricReader}): each closed minute once,
 *       as points over {@code [minute start, minute end)}; several minutes closed since the last
 *       collection (a catch-up, a failed export offered again) leave as several points per series.
 *   <li>Cumulative temporality, or a pull reader (Prometheus, which only takes cumulative data):
 *       each series' running total over the closed minutes, over {@code [its first minute's start,
 *       end of the newest closed minute)}, at every collection: idempotent, so any number of
 *       readers and a failed export (healed by the next) need no bookkeeping.
 * </ul>
 *
 * Minutes close when collected (or when a line arrives), whichever comes first after their end plus
 * the grace period. Never throws into the SDK.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class RequestMetricsProducer implements MetricProducer {

  private static final Logger logger = Logger.getLogger(RequestMetricsProducer.class.getName());

  /** More readers than this share the last lane's bit (no host has that many). */
  static final int MAX_LANES = 64;

  private final InstrumentationScopeInfo scope;
  private final AggregationTemporality temporality;
  private final MinuteAggregator aggregator;
  private final ClosedMinuteLog log;
  private final ReaderLanes lanes;
  private final Clock clock;

  /** Asked only when a minute closes: the lanes may be numbered after this producer was made. */
  private final LongSupplier pushLaneMask = this::pushLanes;

  /** Which reader collects on this thread, and which readers pull. */
  public interface ReaderLanes {
    /** Lanes numbered so far, at least 1. */
    int count();

    /** The lane collecting on the current thread (0 outside any lane's collection). */
    int collecting();

    /** Whether {@code lane}'s reader pulls (its collections are its exports, e.g. Prometheus). */
    boolean pulls(int lane);

    /** One push reader: what a host without lanes has. */
    ReaderLanes SINGLE =
        new ReaderLanes() {
          @Override
          public int count() {
            return 1;
          }

          @Override
          public int collecting() {
            return 0;
          }

          @Override
          public boolean pulls(int lane) {
            return false;
          }
        };
  }

  /**
   * A producer counting each request in its minute, which stays open {@code graceMillis} past its
   * end; at most {@code maxSeriesPerStage} series per stage.
   */
  public RequestMetricsProducer(
      InstrumentationScopeInfo scope,
      AggregationTemporality temporality,
      long graceMillis,
      int maxSeriesPerStage,
      ReaderLanes lanes,
      Clock clock,
      RequestMetricsTelemetry telemetry) {
    this.scope = scope;
    this.temporality = temporality;
    this.lanes = lanes;
    this.clock = clock;
    this.log = new ClosedMinuteLog(telemetry, System::nanoTime);
    this.aggregator =
        new MinuteAggregator(
            new StageRegistry(maxSeriesPerStage, telemetry), log, telemetry, graceMillis);
  }

  /** Counts one request: call it once per line, when the line is read for the first time. */
  public void record(RequestLine line) {
    aggregator.record(line, clock.millis(), pushLaneMask);
  }

  @Override
  public Collection<MetricData> produce(Resource resource) {
    try {
      aggregator.closeDue(clock.millis(), pushLaneMask);
      int lane = Math.min(lanes.collecting(), MAX_LANES - 1);
      if (temporality == AggregationTemporality.CUMULATIVE || lanes.pulls(lane)) {
        PointBatch batch = new PointBatch();
        aggregator.addRunningTotals(batch);
        return batch.toMetricData(resource, scope, AggregationTemporality.CUMULATIVE);
      }
      List<ClosedMinute> minutes = log.take(lane);
      PointBatch batch = new PointBatch();
      for (ClosedMinute minute : minutes) {
        long start = TimeUnit.MILLISECONDS.toNanos(minute.startEpochMillis);
        long end =
            TimeUnit.MILLISECONDS.toNanos(minute.startEpochMillis + MinuteAggregator.MINUTE_MILLIS);
        minute.series.forEach(
            entry -> batch.add(entry.getKey().attributes, entry.getValue(), start, end));
      }
      List<MetricData> metrics = batch.toMetricData(resource, scope, AggregationTemporality.DELTA);
      log.sent(lane, minutes, metrics);
      return metrics;
    } catch (RuntimeException e) {
      logger.log(Level.WARNING, "apigateway-otel: request metrics could not be collected", e);
      return List.of();
    }
  }

  /** The host's exporter reported on an export (with confirmation required, see the log). */
  public void exported(Collection<MetricData> metrics, boolean success) {
    log.exported(metrics, success);
  }

  /** From now on, a push reader's minutes are done only once its exporter confirms them. */
  public void requireConfirmation() {
    log.requireConfirmation();
  }

  /** Closed-minute points held for push readers (for tests). */
  public int retainedPoints() {
    return log.retainedPoints();
  }

  /** The lanes that get closed minutes as delta points: none with cumulative temporality. */
  private long pushLanes() {
    if (temporality == AggregationTemporality.CUMULATIVE) {
      return 0;
    }
    long mask = 0;
    int count = Math.min(Math.max(1, lanes.count()), MAX_LANES);
    for (int lane = 0; lane < count; lane++) {
      if (!lanes.pulls(lane)) {
        mask |= 1L << lane;
      }
    }
    return mask;
  }
}
