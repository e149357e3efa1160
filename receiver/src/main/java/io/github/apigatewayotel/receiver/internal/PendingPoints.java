package io.github.apigatewayotel.receiver.internal;

import io.github.apigatewayotel.state.internal.OnceLogger;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricProducer;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.logging.Logger;

/**
 * The hand-over between polling and the host SDK: polls add datapoints, and the SDK's metric
 * readers collect them through {@link #produce}.
 *
 * <p>A push reader (a periodic reader with an exporter, OTLP) gets each datapoint exactly once,
 * with its CloudWatch time, from a {@link PushLane} of its own: bounded ({@code maxPendingPoints};
 * beyond it new points are dropped and counted), and handed out in bounded pieces ({@code
 * maxExportPoints} points, {@code maxExportBytes} of OTLP) so that no export outgrows what a
 * backend accepts; the rest leaves with the next collections. A pull reader (Prometheus) sees on
 * every collection each query's current state ({@link LatestValues}).
 *
 * <p>With export confirmation ({@link #requireConfirmation}) a push reader's collected points stay
 * in flight until the host's exporter reports on them: exported ones advance their queries'
 * exported marks (what the state directory keeps), failed ones go back in front of their lane and
 * leave with the next collection. With {@link ReaderLanes} ({@link #collectFor}) each metric reader
 * collects from a lane of its own, and a query's exported mark moves past a period only once every
 * lane that holds the marks exported it.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class PendingPoints implements MetricProducer, MetricExportListener {

  private static final Logger logger = Logger.getLogger(PendingPoints.class.getName());

  /**
   * How much a push reader's piece may hold, as the protobuf OTLP encoding of its points, estimated
   * from their attributes: under the 4 MiB a Collector's OTLP/gRPC receiver accepts by default,
   * with room for the host's own metrics in the same export (and under its 20 MiB OTLP/HTTP default
   * as JSON, which is about twice the size).
   */
  public static final long MAX_EXPORT_BYTES = 3L * 1024 * 1024;

  /**
   * How long a pull reader keeps showing a query after the poll that last brought it a period: at
   * least this, or three poll intervals when longer.
   */
  public static final Duration MIN_PULL_RETENTION = Duration.ofMinutes(10);

  /** Bounds and timing of the hand-over. */
  public record Limits(
      int maxPendingPoints, int maxExportPoints, long maxExportBytes, Duration pullRetention) {

    /** The defaults for {@code pollInterval}, with the given point bounds. */
    public static Limits of(int maxPendingPoints, int maxExportPoints, Duration pollInterval) {
      Duration threePolls = pollInterval.multipliedBy(3);
      return new Limits(
          maxPendingPoints,
          maxExportPoints,
          MAX_EXPORT_BYTES,
          threePolls.compareTo(MIN_PULL_RETENTION) > 0 ? threePolls : MIN_PULL_RETENTION);
    }
  }

  private final AggregationTemporality sumTemporality;
  private final Limits limits;
  private final ReceiverTelemetry telemetry;
  private final Clock clock;
  private final CollectedMetrics collected;

  /**
   * Lane 0 always; one more per reader lane once {@link #collectFor} is set. Pull lanes stay empty.
   */
  private PushLane[] lanes = {new PushLane()};

  /** What pull readers show; shared, as it does not depend on who collects. */
  private final LatestValues latest;

  /** Which reader collects on the current thread; null: one push lane, whoever collects. */
  private ReaderLanes readerLanes;

  /**
   * Exports in a row in which the backend rejected a point for good (an OTLP status not to be
   * retried, such as HTTP 400) before it is given up (logged once, counted) instead of being
   * offered again at every collection for ever.
   */
  public static final int MAX_REJECTED_ROUNDS = 5;

  /** A rejection is logged at WARNING once, later ones at FINE. */
  private final OnceLogger rejections = new OnceLogger(logger);

  private boolean confirmationRequired;

  /** Collected points awaiting the exporter's word. */
  private final InFlightPieces inFlight = new InFlightPieces();

  private Runnable marksAdvanced = () -> {};

  /** Fleet mode's check before a piece is handed over; null alone. */
  private volatile Runnable fenceCheck;

  private IntConsumer backlogged = lane -> {};
  private long lastExpiryMillis;

  /** With the default bounds of pieces and pull retention (tests). */
  public PendingPoints(
      InstrumentationScopeInfo scope,
      AggregationTemporality sumTemporality,
      long periodSeconds,
      int maxPendingPoints,
      ReceiverTelemetry telemetry) {
    this(
        scope,
        sumTemporality,
        periodSeconds,
        Limits.of(maxPendingPoints, Integer.MAX_VALUE, Duration.ofSeconds(periodSeconds)),
        telemetry,
        Clock.systemUTC());
  }

  public PendingPoints(
      InstrumentationScopeInfo scope,
      AggregationTemporality sumTemporality,
      long periodSeconds,
      Limits limits,
      ReceiverTelemetry telemetry,
      Clock clock) {
    this.sumTemporality = sumTemporality;
    this.limits = limits;
    this.telemetry = telemetry;
    this.clock = clock;
    this.collected = new CollectedMetrics(scope, sumTemporality, periodSeconds);
    this.latest = new LatestValues(limits.pullRetention().toMillis());
  }

  /** From now on, collected points count as exported only when {@link #exported} says so. */
  public synchronized void requireConfirmation() {
    confirmationRequired = true;
  }

  /**
   * From now on, each reader wrapped by {@code lanes} collects from its own lane (lanes it numbered
   * later start empty); a collection outside a wrapped reader is lane 0's.
   */
  public synchronized void collectFor(ReaderLanes lanes) {
    this.readerLanes = lanes;
    ensureLanes(lanes.count());
  }

  /** Called (outside this object's lock) whenever queries' exported marks moved. */
  /**
   * Fleet mode: {@code check} runs before each push reader's piece is handed over (it marks the
   * queries of regions whose lease was lost {@link PlannedQuery#fenced}); fenced points are
   * discarded, counted as dropped.
   */
  public synchronized void fenceExports(Runnable check) {
    this.fenceCheck = check;
  }

  public synchronized void onMarksAdvanced(Runnable listener) {
    this.marksAdvanced = listener;
  }

  /**
   * Called (outside this object's lock) with a push lane whose exported piece was cut by the bounds
   * and that still holds points: collecting it again soon drains a backlog faster than the reader's
   * interval. A piece that took everything then waiting ends the chain: what later polls add waits
   * for the reader's interval, as usual.
   */
  public synchronized void onBacklog(IntConsumer listener) {
    this.backlogged = listener;
  }

  public AggregationTemporality sumTemporality() {
    return sumTemporality;
  }

  /**
   * Adds the datapoint of the period starting at {@code periodStart} (epoch seconds), {@code value}
   * as CloudWatch gave it, to every push lane (a cumulative sum as its query's running total) and
   * to what pull readers show. Returns false when no lane took it; each full push lane counts a
   * drop.
   */
  public synchronized boolean add(PlannedQuery query, long periodStart, double value) {
    if (readerLanes != null) {
      ensureLanes(readerLanes.count());
    }
    double pushed = value;
    if (sumTemporality == AggregationTemporality.CUMULATIVE && query.descriptor.monotonicSum()) {
      if (query.cumulativeStart == PlannedQuery.NONE) {
        query.cumulativeStart = periodStart;
      }
      query.runningTotal += value;
      pushed = query.runningTotal;
    }
    boolean added = false;
    boolean pulled = false;
    for (int i = 0; i < lanes.length; i++) {
      if (pulls(i)) {
        pulled = true;
      } else if (lanes[i].add(query, periodStart, pushed, limits.maxPendingPoints())) {
        added = true;
      } else {
        telemetry.dropped(1);
      }
    }
    if (pulled) {
      long now = clock.millis();
      if (now - lastExpiryMillis > limits.pullRetention().toMillis() / 2) {
        latest.expire(now); // also when nobody collects: bounded by the queries reporting recently
        lastExpiryMillis = now;
      }
      latest.update(query, periodStart, value, now);
      added = true;
    }
    return added;
  }

  private boolean pulls(int lane) {
    return readerLanes != null && readerLanes.collectionIsExport(lane);
  }

  private void ensureLanes(int count) {
    if (count > lanes.length) {
      int before = lanes.length;
      lanes = Arrays.copyOf(lanes, count);
      for (int i = before; i < count; i++) {
        lanes[i] = new PushLane();
      }
    }
  }

  /** Points waiting in the push lanes together (what pull readers show is not counted). */
  public synchronized int size() {
    int size = 0;
    for (PushLane lane : lanes) {
      size += lane.size();
    }
    return size;
  }

  /** Push lanes and pull lanes so far (at least one). */
  public synchronized int laneCount() {
    return lanes.length;
  }

  /** Points waiting in push lane {@code lane}; 0 for a pull lane or one not numbered yet. */
  public synchronized int waiting(int lane) {
    return lane < lanes.length && !pulls(lane) ? lanes[lane].size() : 0;
  }

  /** Queries pull readers show now (before dropping those past their retention). */
  public synchronized int pulledQueries() {
    return latest.size();
  }

  @Override
  public Collection<MetricData> produce(Resource resource) {
    int lane;
    boolean pull;
    synchronized (this) {
      lane = readerLanes == null ? 0 : readerLanes.collecting();
      ensureLanes(lane + 1);
      pull = pulls(lane);
    }
    return pull ? pull(resource, lane) : push(resource, lane);
  }

  /** A push reader's collection: the next piece of its lane. */
  private Collection<MetricData> push(Resource resource, int lane) {
    List<PendingBatch> piece;
    boolean confirm;
    boolean advanced;
    boolean more;
    Runnable fence = fenceCheck;
    if (fence != null) {
      fence.run();
    }
    synchronized (this) {
      advanced = expireUnconfirmed();
      piece = lanes[lane].take(limits.maxExportPoints(), limits.maxExportBytes());
      if (fence != null) {
        piece = unfenced(piece);
      }
      more = lanes[lane].size() > 0;
      confirm = confirmationRequired;
    }
    List<MetricData> metrics = new ArrayList<>(piece.size());
    for (PendingBatch batch : piece) {
      metrics.add(collected.pushed(resource, batch));
    }
    synchronized (this) {
      long now = System.nanoTime();
      for (int i = 0; i < metrics.size(); i++) {
        if (confirm) {
          inFlight.add(metrics.get(i), new InFlightPieces.Sent(lane, piece.get(i), now, more));
        } else {
          advanced |= markExported(lane, piece.get(i));
        }
      }
    }
    if (advanced) {
      marksAdvanced.run();
    }
    return metrics;
  }

  private List<PendingBatch> unfenced(List<PendingBatch> piece) {
    List<PendingBatch> kept = new ArrayList<>(piece.size());
    for (PendingBatch batch : piece) {
      PendingBatch unfenced = batch.unfenced();
      if (unfenced.size() < batch.size()) {
        telemetry.dropped(batch.size() - unfenced.size());
      }
      if (unfenced.size() > 0) {
        kept.add(unfenced);
      }
    }
    return kept;
  }

  /**
   * A pull reader's collection: every query's current state. It counts as exported (no exporter
   * will confirm it): a counter once shown with its total, a gauge once shown.
   */
  private Collection<MetricData> pull(Resource resource, int lane) {
    CollectedMetrics.Pulled pulled = collected.pulled();
    boolean advanced;
    synchronized (this) {
      advanced = expireUnconfirmed();
      boolean[] holding = lanesHoldingMarks();
      boolean holds = holding[lane];
      boolean[] moved = {false};
      latest.forEach(
          clock.millis(),
          entry -> {
            boolean seen = entry.seenBy(lane);
            boolean counterFirstShown = entry.counter() && !seen;
            if (pulled.add(entry, counterFirstShown ? 0 : entry.value)
                && holds
                && !counterFirstShown) {
              moved[0] |=
                  ExportedMarks.periodExported(
                      lane, holding, entry.query.current(), entry.latestPeriod);
            }
          });
      advanced |= moved[0];
    }
    if (advanced) {
      marksAdvanced.run();
    }
    return pulled.metrics(resource);
  }

  @Override
  public void exported(Collection<MetricData> metrics, boolean success) {
    settle(metrics, success, null);
  }

  @Override
  public void rejected(Collection<MetricData> metrics, String rejection) {
    settle(metrics, false, rejection);
  }

  /**
   * {@code rejection}: how the backend rejected a failed export for good; null for success or an
   * outage.
   */
  private void settle(Collection<MetricData> metrics, boolean success, String rejection) {
    boolean advanced = false;
    int backlog = -1;
    int givenUp = 0;
    synchronized (this) {
      for (MetricData metric : metrics) {
        InFlightPieces.Sent sent = inFlight.settle(metric);
        if (sent == null) {
          continue; // not ours, or already settled
        }
        if (success) {
          advanced |= markExported(sent.lane(), sent.batch());
          if (sent.more() && lanes[sent.lane()].size() > 0) {
            backlog =
                sent.lane(); // a backlog: the next piece now, not at the reader's next interval
          }
        } else {
          PendingBatch dropped = new PendingBatch(sent.batch().descriptor);
          requeue(
              sent.lane(), sent.batch().retried(rejection != null, MAX_REJECTED_ROUNDS, dropped));
          if (dropped.size() > 0) {
            // given up: counts as exported for the marks, so a restart does not offer it again
            givenUp += dropped.size();
            advanced |= markExported(sent.lane(), dropped);
          }
        }
      }
    }
    if (givenUp > 0) {
      telemetry.rejected(givenUp);
      // Warned of once: rejections repeat as long as the backend refuses, and are counted.
      rejections.warning(
          "rejected",
          "apigateway-otel receiver: the OTLP backend rejected "
              + givenUp
              + " datapoint(s) "
              + MAX_REJECTED_ROUNDS
              + " times in a row and they were dropped (counted in"
              + " apigateway_otel.receiver.datapoints.rejected): "
              + rejection);
    }
    if (advanced) {
      marksAdvanced.run();
    }
    if (backlog >= 0) {
      backlogged.accept(backlog);
    }
  }

  /**
   * Points of a failed export go back in front of the lane they left (bounded like new ones; drops
   * are counted), so they leave again first, in their order.
   */
  private void requeue(int lane, PendingBatch failed) {
    int requeued = lanes[lane].requeue(List.of(failed), limits.maxPendingPoints());
    telemetry.exportRetried(requeued);
    if (requeued < failed.size()) {
      telemetry.dropped(failed.size() - requeued);
    }
  }

  /** {@code lane} exported {@code batch}; returns whether any query's mark may have moved. */
  private boolean markExported(int lane, PendingBatch batch) {
    return ExportedMarks.batchExported(lane, lanesHoldingMarks(), batch);
  }

  /** The lanes whose exports the persisted marks wait for (see {@link ExportedMarks}). */
  private boolean[] lanesHoldingMarks() {
    boolean[] pull = new boolean[lanes.length];
    for (int i = 0; i < pull.length; i++) {
      pull[i] = pulls(i);
    }
    return ExportedMarks.holding(pull);
  }

  private boolean expireUnconfirmed() {
    List<InFlightPieces.Sent> expired = inFlight.expire(System.nanoTime());
    for (InFlightPieces.Sent sent : expired) {
      markExported(sent.lane(), sent.batch());
    }
    if (!expired.isEmpty()) {
      logger.fine(
          "apigateway-otel receiver: collected points no exporter confirmed"
              + " within 10 minutes count as exported (is the metric exporter wrapped?)");
    }
    return !expired.isEmpty();
  }

  /** Points collected and awaiting the exporter's word. */
  public synchronized int inFlightMetrics() {
    return inFlight.size();
  }
}
