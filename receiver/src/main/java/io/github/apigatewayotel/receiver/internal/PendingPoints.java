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
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The hand-over between polling and the host SDK: polls add datapoints, and the SDK's metric
 * reader drains them through {@link #produce}, so each leaves exactly once. Stored compactly (query,
 * period start, value: 20 bytes a point) and turned into point objects only when collected, because
 * a large account produces millions per poll. Bounded: beyond {@code maxPendingPoints} (no
 * reader collecting, or the backend down for long) new points are dropped and counted.
 *
 * <p>With export confirmation ({@link #requireConfirmation}) collected points stay in flight until
 * the host's exporter reports on them: exported ones advance their queries' exported marks (what
 * the state directory keeps), failed ones are pending again and leave with the next collection.
 *
 * <p>With {@link ReaderLanes} ({@link #collectFor}) each metric reader drains a lane of its own:
 * every lane gets every point (and has its own bound), a failed export is pending again in its
 * lane only, and a query's exported mark moves past a period only once every lane exported it.
 * One lane (the default) holds and costs exactly what a single queue would.
 */
public final class PendingPoints implements MetricProducer, MetricExportListener {

  private static final int INITIAL_CAPACITY = 64;
  /**
   * A collection no exporter reported on within this time (a pull reader, or a reader whose
   * exporter is not wrapped) counts as exported, so it cannot hold the marks back for ever.
   */
  static final long UNCONFIRMED_AFTER_NANOS = TimeUnit.MINUTES.toNanos(10);

  /**
   * Exports in a row in which the backend rejected a point for good (an OTLP status not to be
   * retried, such as HTTP 400) before it is given up (logged once, counted) instead of being
   * offered again at every collection for ever.
   */
  public static final int MAX_REJECTED_ROUNDS = 5;

  private final InstrumentationScopeInfo scope;
  private final AggregationTemporality sumTemporality;
  private final long periodSeconds;
  private final int maxPendingPoints;
  private final ReceiverTelemetry telemetry;
  /** Lane 0 always; one more per reader lane once {@link #collectFor} is set. */
  private Lane[] lanes = {new Lane()};
  /** Which reader collects on the current thread; null: one lane, whoever collects. */
  private ReaderLanes readerLanes;
  private boolean confirmationRequired;
  /** Collected points awaiting the exporter's word, by the MetricData object they left in. */
  private final Map<MetricData, InFlight> inFlight = new IdentityHashMap<>();
  private Runnable marksAdvanced = () -> {};
  /** Whether a rejection was logged at WARNING already (later ones are logged at FINE). */
  private volatile boolean rejectionReported;

  private record InFlight(int lane, Pending pending, long collectedAtNanos) {}

  /** One reader's pending datapoints, by metric. */
  private static final class Lane {
    final Map<String, Pending> byName = new LinkedHashMap<>();
    int size;
  }

  /** One metric's pending datapoints, as parallel arrays. */
  private static final class Pending {
    final MetricDescriptor descriptor;
    PlannedQuery[] queries = new PlannedQuery[INITIAL_CAPACITY];
    long[] periodStarts = new long[INITIAL_CAPACITY];
    double[] values = new double[INITIAL_CAPACITY];
    /** Exports in a row that rejected each point for good; null while none was (the usual case). */
    byte[] rejections;
    int size;

    Pending(MetricDescriptor descriptor) {
      this.descriptor = descriptor;
    }

    void add(PlannedQuery query, long periodStart, double value, int rejected) {
      if (size == queries.length) {
        int capacity = size + (size >> 1);
        queries = Arrays.copyOf(queries, capacity);
        periodStarts = Arrays.copyOf(periodStarts, capacity);
        values = Arrays.copyOf(values, capacity);
        if (rejections != null) {
          rejections = Arrays.copyOf(rejections, capacity);
        }
      }
      if (rejected > 0 && rejections == null) {
        rejections = new byte[queries.length];
      }
      queries[size] = query;
      periodStarts[size] = periodStart;
      values[size] = value;
      if (rejections != null) {
        rejections[size] = (byte) rejected;
      }
      size++;
    }

    int rejections(int i) {
      return rejections == null ? 0 : rejections[i];
    }
  }

  public PendingPoints(InstrumentationScopeInfo scope, AggregationTemporality sumTemporality, long periodSeconds,
      int maxPendingPoints, ReceiverTelemetry telemetry) {
    this.scope = scope;
    this.maxPendingPoints = maxPendingPoints;
    this.sumTemporality = sumTemporality;
    this.periodSeconds = periodSeconds;
    this.telemetry = telemetry;
  }

  /** From now on, collected points count as exported only when {@link #exported} says so. */
  public synchronized void requireConfirmation() {
    confirmationRequired = true;
  }

  /**
   * From now on, each reader wrapped by {@code lanes} drains its own lane (lanes it numbered
   * later start empty); a collection outside a wrapped reader drains lane 0.
   */
  public synchronized void collectFor(ReaderLanes lanes) {
    this.readerLanes = lanes;
    ensureLanes(lanes.count());
  }

  /** Called (outside this object's lock) whenever queries' exported marks moved. */
  public synchronized void onMarksAdvanced(Runnable listener) {
    this.marksAdvanced = listener;
  }

  public AggregationTemporality sumTemporality() {
    return sumTemporality;
  }

  /**
   * Adds the datapoint of the period starting at {@code periodStart} (epoch seconds); for a
   * cumulative sum {@code value} is the running total, to every lane. Returns false when no lane
   * took it; each full lane counts a drop.
   */
  public synchronized boolean add(PlannedQuery query, long periodStart, double value) {
    if (readerLanes != null) {
      ensureLanes(readerLanes.count());
    }
    boolean added = false;
    for (Lane lane : lanes) {
      added |= addTo(lane, query, periodStart, value, 0);
    }
    return added;
  }

  private boolean addTo(Lane lane, PlannedQuery query, long periodStart, double value, int rejected) {
    if (lane.size >= maxPendingPoints) {
      telemetry.dropped(1);
      return false;
    }
    lane.byName.computeIfAbsent(query.descriptor.otelName(), n -> new Pending(query.descriptor))
        .add(query, periodStart, value, rejected);
    lane.size++;
    return true;
  }

  private void ensureLanes(int count) {
    if (count > lanes.length) {
      int before = lanes.length;
      lanes = Arrays.copyOf(lanes, count);
      for (int i = before; i < count; i++) {
        lanes[i] = new Lane();
      }
    }
  }

  /** Points pending in all lanes together. */
  public synchronized int size() {
    int size = 0;
    for (Lane lane : lanes) {
      size += lane.size;
    }
    return size;
  }

  @Override
  public Collection<MetricData> produce(Resource resource) {
    List<Pending> drained;
    boolean confirm;
    boolean advanced;
    boolean newestOnly;
    int laneIndex;
    synchronized (this) {
      advanced = expireUnconfirmed();
      laneIndex = readerLanes == null ? 0 : readerLanes.collecting();
      ensureLanes(laneIndex + 1);
      Lane lane = lanes[laneIndex];
      drained = new ArrayList<>(lane.byName.values());
      lane.byName.clear();
      lane.size = 0;
      // A pull reader (Prometheus) shows one value per series per scrape: its exporter refuses a
      // metric holding two points of one series (agent 2.33.1's drops the metric whole), so it
      // gets each series' newest period; the older ones count as exported for it alone.
      newestOnly = readerLanes != null && readerLanes.collectionIsExport(laneIndex);
      confirm = confirmationRequired && !newestOnly;
    }
    if (drained.isEmpty()) {
      if (advanced) {
        marksAdvanced.run();
      }
      return List.of();
    }
    boolean cumulative = sumTemporality == AggregationTemporality.CUMULATIVE;
    List<MetricData> metrics = new ArrayList<>(drained.size());
    for (Pending pending : drained) {
      MetricDescriptor d = pending.descriptor;
      List<DoublePointData> points = new ArrayList<>(pending.size);
      Map<PlannedQuery, Long> newest = newestOnly ? newestPeriods(pending) : null;
      for (int i = 0; i < pending.size; i++) {
        PlannedQuery query = pending.queries[i];
        if (newest != null && pending.periodStarts[i] != newest.get(query)) {
          continue;
        }
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
    synchronized (this) {
      long now = System.nanoTime();
      for (int i = 0; i < metrics.size(); i++) {
        if (confirm) {
          inFlight.put(metrics.get(i), new InFlight(laneIndex, drained.get(i), now));
        } else {
          markExported(laneIndex, drained.get(i));
        }
      }
    }
    if (!confirm || advanced) {
      marksAdvanced.run();
    }
    return metrics;
  }

  /** Each query's latest pending period start. */
  private static Map<PlannedQuery, Long> newestPeriods(Pending pending) {
    Map<PlannedQuery, Long> newest = new IdentityHashMap<>();
    for (int i = 0; i < pending.size; i++) {
      newest.merge(pending.queries[i], pending.periodStarts[i], Math::max);
    }
    return newest;
  }

  @Override
  public void exported(Collection<MetricData> metrics, boolean success) {
    settle(metrics, success, null);
  }

  @Override
  public void rejected(Collection<MetricData> metrics, String rejection) {
    settle(metrics, false, rejection);
  }

  private void settle(Collection<MetricData> metrics, boolean success, String rejection) {
    boolean advanced = false;
    int givenUp = 0;
    synchronized (this) {
      for (MetricData metric : metrics) {
        InFlight sent = inFlight.remove(metric);
        if (sent == null) {
          continue; // not ours, or already settled
        }
        if (success) {
          markExported(sent.lane, sent.pending);
          advanced = true;
        } else {
          int rejected = requeue(sent.lane, sent.pending, rejection != null);
          givenUp += rejected;
          advanced |= rejected > 0;
        }
      }
    }
    if (givenUp > 0) {
      telemetry.rejected(givenUp);
      ProblemLog.logger().log(rejectionReported ? java.util.logging.Level.FINE : java.util.logging.Level.WARNING,
          "apigateway-otel receiver: the OTLP backend rejected " + givenUp + " datapoint(s) "
              + MAX_REJECTED_ROUNDS + " times in a row and they were dropped (counted in"
              + " apigateway_otel.receiver.datapoints.rejected): " + rejection);
      rejectionReported = true;
    }
    if (advanced) {
      marksAdvanced.run();
    }
  }

  /**
   * Points of a failed export are pending again in the lane they left (bounded like new ones;
   * drops are counted). Those the backend {@code rejected} for good {@link #MAX_REJECTED_ROUNDS}
   * times in a row are given up instead, and count as exported for the marks: a restart must not
   * offer them again. Returns how many were given up.
   */
  private int requeue(int lane, Pending failed, boolean rejected) {
    int requeued = 0;
    Pending givenUp = null;
    for (int i = 0; i < failed.size; i++) {
      int rejections = rejected ? failed.rejections(i) + 1 : 0; // only rejections in a row count
      if (rejections >= MAX_REJECTED_ROUNDS) {
        if (givenUp == null) {
          givenUp = new Pending(failed.descriptor);
        }
        givenUp.add(failed.queries[i], failed.periodStarts[i], failed.values[i], 0);
      } else if (addTo(lanes[lane], failed.queries[i], failed.periodStarts[i], failed.values[i], rejections)) {
        requeued++;
      }
    }
    telemetry.exportRetried(requeued);
    if (givenUp == null) {
      return 0;
    }
    markExported(lane, givenUp);
    return givenUp.size;
  }

  private void markExported(int lane, Pending pending) {
    boolean[] holding = lanesHoldingMarks();
    if (!holding[lane]) {
      return; // a pull reader's collections do not hold the marks back while a push reader's do
    }
    int holders = 0;
    for (boolean h : holding) {
      holders += h ? 1 : 0;
    }
    for (int i = 0; i < pending.size; i++) {
      PlannedQuery query = pending.queries[i].current();
      if (holders == 1) {
        if (pending.periodStarts[i] > query.exportedMark) {
          query.exportedMark = pending.periodStarts[i];
        }
      } else {
        query.laneExported(lane, holding, pending.periodStarts[i]);
      }
    }
  }

  /**
   * The lanes whose exports the persisted marks wait for: the push readers' (their exporters say
   * what the backend got) when there is one, else every lane. A pull reader (Prometheus) exports
   * by being collected, and may never be (nobody scrapes it): it must not freeze the marks, and a
   * restart repeating periods to it matters little (it serves the latest values only).
   */
  private boolean[] lanesHoldingMarks() {
    boolean[] holding = new boolean[lanes.length];
    boolean any = false;
    for (int i = 0; i < holding.length; i++) {
      holding[i] = readerLanes == null || !readerLanes.collectionIsExport(i);
      any |= holding[i];
    }
    if (!any) {
      Arrays.fill(holding, true);
    }
    return holding;
  }

  private boolean expireUnconfirmed() {
    if (inFlight.isEmpty()) {
      return false;
    }
    long now = System.nanoTime();
    boolean expired = false;
    for (var it = inFlight.values().iterator(); it.hasNext(); ) {
      InFlight sent = it.next();
      if (now - sent.collectedAtNanos > UNCONFIRMED_AFTER_NANOS) {
        it.remove();
        markExported(sent.lane, sent.pending);
        expired = true;
      }
    }
    if (expired) {
      ProblemLog.logger().fine("apigateway-otel receiver: collected points no exporter confirmed"
          + " within 10 minutes count as exported (a pull reader?)");
    }
    return expired;
  }

  /** Points collected and awaiting the exporter's word. */
  public synchronized int inFlightMetrics() {
    return inFlight.size();
  }
}
