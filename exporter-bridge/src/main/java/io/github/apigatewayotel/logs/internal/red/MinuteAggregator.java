package io.github.apigatewayotel.logs.internal.red;

import io.github.apigatewayotel.logs.internal.XrayTraceContext;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.semconv.incubating.AwsIncubatingAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Counts each request in the minute it was made, not the minute its line was read. A minute is open
 * until the wall clock passes its end by the grace period; a line of a closed minute is counted in
 * {@code apigateway_otel.logs.metrics.late} and nowhere else, so a point, once exported, never
 * changes. Closing a minute adds it to its series' running totals and hands it to the {@link
 * ClosedMinuteLog} for the push readers. Thread-safe: one lock for all of it.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class MinuteAggregator {

  static final long MINUTE_MILLIS = 60_000;

  private static final SeriesValues.ExemplarSource NO_EXEMPLARS = value -> null;
  private static final int MAX_REQUEST_ID_CHARS = 128;

  private final StageRegistry stages;
  private final ClosedMinuteLog log;
  private final RequestMetricsTelemetry telemetry;
  private final long graceMillis;

  /** Open minutes by start time (epoch ms), each the values of the series it counted. */
  private final NavigableMap<Long, Map<Series, SeriesValues>> open = new TreeMap<>();

  /** Minutes ending at or before this are closed: never counted in again. */
  private long closedThrough = Long.MIN_VALUE;

  /** The minute the last line counted in, and its series: most lines fall in the current one. */
  private long recentMinute = Long.MIN_VALUE;

  private Map<Series, SeriesValues> recentMinuteSeries;

  MinuteAggregator(
      StageRegistry stages,
      ClosedMinuteLog log,
      RequestMetricsTelemetry telemetry,
      long graceMillis) {
    this.stages = stages;
    this.log = log;
    this.telemetry = telemetry;
    this.graceMillis = graceMillis;
  }

  /**
   * Counts {@code line} in its minute if that is open; {@code pushLanes} as for {@link #closeDue}.
   */
  synchronized void record(RequestLine line, long nowMillis, LongSupplier pushLanes) {
    closeDue(nowMillis, pushLanes);
    long minute = Math.floorDiv(line.requestEpochMillis(), MINUTE_MILLIS) * MINUTE_MILLIS;
    if (minute + MINUTE_MILLIS <= closedThrough) {
      telemetry.late();
      return;
    }
    // A request dated beyond the grace period is a clock or format problem, not traffic; its
    // minute would stay open (and in memory) for as long.
    if (line.requestEpochMillis() > nowMillis + Math.max(graceMillis, MINUTE_MILLIS)) {
      telemetry.future();
      return;
    }
    Series series = stages.seriesOf(line.stage(), line.route());
    if (minute != recentMinute || recentMinuteSeries == null) {
      recentMinuteSeries = open.computeIfAbsent(minute, m -> new HashMap<>());
      recentMinute = minute;
    }
    recentMinuteSeries
        .computeIfAbsent(series, s -> new SeriesValues())
        .add(line, line.trace() == null ? NO_EXEMPLARS : new LineExemplars(line));
  }

  /**
   * Closes every minute whose end lies more than the grace period before {@code nowMillis}, in
   * order; {@code pushLanes} gives the reader lanes (one bit each) that get each minute as its own
   * delta points, asked only when a minute closes.
   */
  synchronized void closeDue(long nowMillis, LongSupplier pushLanes) {
    long through = Math.floorDiv(nowMillis - graceMillis, MINUTE_MILLIS) * MINUTE_MILLIS;
    if (through <= closedThrough) {
      return;
    }
    long lanes = open.isEmpty() ? 0 : pushLanes.getAsLong();
    while (!open.isEmpty() && open.firstKey() + MINUTE_MILLIS <= through) {
      Map.Entry<Long, Map<Series, SeriesValues>> minute = open.pollFirstEntry();
      if (minute.getValue() == recentMinuteSeries) {
        recentMinuteSeries = null;
      }
      List<Map.Entry<Series, SeriesValues>> series = new ArrayList<>(minute.getValue().entrySet());
      for (Map.Entry<Series, SeriesValues> entry : series) {
        Series s = entry.getKey();
        if (s.startEpochMillis == Long.MIN_VALUE) {
          s.startEpochMillis = minute.getKey();
        }
        s.total.add(entry.getValue());
      }
      log.append(new ClosedMinute(minute.getKey(), series), lanes);
    }
    closedThrough = through;
  }

  /** The end of the newest closed minute, or {@link Long#MIN_VALUE} before the first closes. */
  synchronized long closedThrough() {
    return closedThrough;
  }

  /** Adds each series' running total to {@code batch}, under the lock (totals keep changing). */
  synchronized void addRunningTotals(PointBatch batch) {
    if (closedThrough == Long.MIN_VALUE) {
      return;
    }
    long end = TimeUnit.MILLISECONDS.toNanos(closedThrough);
    for (Series series : stages.all()) {
      if (series.total.requests() > 0) {
        batch.add(
            series.attributes,
            series.total,
            TimeUnit.MILLISECONDS.toNanos(series.startEpochMillis),
            end);
      }
    }
  }

  /** Open minutes now held (for tests and the memory bound's reasoning). */
  synchronized int openMinutes() {
    return open.size();
  }

  /**
   * The exemplars of one request: its X-Ray trace, converted to a W3C span context only when a
   * bucket wants an exemplar (the first traced request of the minute in that bucket), as the log
   * record's trace context is; the request id rides along so a backend can find the log record.
   */
  private static final class LineExemplars implements SeriesValues.ExemplarSource {
    private final RequestLine line;
    private SpanContext spanContext;
    private String requestId;
    private boolean converted;

    LineExemplars(RequestLine line) {
      this.line = line;
    }

    @Override
    public ExemplarRecord exemplar(double value) {
      if (!converted) {
        converted = true;
        requestId = line.trace().requestId();
        spanContext = XrayTraceContext.fromXrayTraceId(line.trace().xrayTraceId(), requestId);
      }
      if (spanContext == null) {
        return null;
      }
      // A request id is 36 characters; a longer value is not one (a line of garbage that parsed).
      Attributes filtered =
          requestId == null || requestId.length() > MAX_REQUEST_ID_CHARS
              ? Attributes.empty()
              : Attributes.of(AwsIncubatingAttributes.AWS_REQUEST_ID, requestId);
      return new ExemplarRecord(
          value, TimeUnit.MILLISECONDS.toNanos(line.requestEpochMillis()), spanContext, filtered);
    }
  }
}
