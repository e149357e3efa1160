package io.github.apigatewayotel.logs.internal.red;

import io.opentelemetry.sdk.metrics.data.MetricData;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Closed minutes waiting for the push readers (delta temporality): each reader lane gets each
 * minute once, with the minute's own time. With export confirmation a minute stays until that
 * lane's exporter reports it exported; a failed export offers it again at the lane's next
 * collection (as the receiver does with CloudWatch datapoints). Bounded: past {@link
 * #MAX_RETAINED_POINTS} series-minutes (a backend down for long), the oldest minutes are dropped
 * and counted.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class ClosedMinuteLog {

  private static final Logger logger = Logger.getLogger(ClosedMinuteLog.class.getName());

  /**
   * Series-minutes held for push readers, about 0.6 KB each with three histograms (60 MB at most):
   * an hour of outage for some 1,600 busy series.
   */
  static final int MAX_RETAINED_POINTS = 100_000;

  /**
   * A collection no exporter reported on within this time (a reader whose exporter is not wrapped)
   * counts as exported, so it cannot hold minutes for ever; the receiver waits as long.
   */
  static final long UNCONFIRMED_AFTER_NANOS = TimeUnit.MINUTES.toNanos(10);

  private final RequestMetricsTelemetry telemetry;
  private final LongSupplier nanoTime;
  private final ArrayDeque<ClosedMinute> minutes = new ArrayDeque<>();
  private final Map<MetricData, InFlight> inFlight = new IdentityHashMap<>();
  private int retainedPoints;
  private boolean confirmationRequired;
  private boolean droppedReported;

  private record InFlight(int lane, List<ClosedMinute> minutes, long collectedAtNanos) {}

  ClosedMinuteLog(RequestMetricsTelemetry telemetry, LongSupplier nanoTime) {
    this.telemetry = telemetry;
    this.nanoTime = nanoTime;
  }

  /** From now on a collection is exported only once {@link #exported} says so. */
  synchronized void requireConfirmation() {
    confirmationRequired = true;
  }

  /** Adds a minute every lane of {@code pushLanes} (one bit each) needs; none: nothing to keep. */
  synchronized void append(ClosedMinute minute, long pushLanes) {
    if (pushLanes == 0 || minute.points() == 0) {
      return;
    }
    minute.needed = pushLanes;
    minutes.addLast(minute);
    retainedPoints += minute.points();
    while (retainedPoints > MAX_RETAINED_POINTS && minutes.size() > 1) {
      ClosedMinute oldest = minutes.removeFirst();
      retainedPoints -= oldest.points();
      telemetry.dropped(oldest.points());
      if (!droppedReported) {
        droppedReported = true;
        logger.log(
            Level.WARNING,
            "apigateway-otel: request-metric minutes pile up unexported (metric exporter failing?);"
                + " dropping the oldest, counted in apigateway_otel.logs.metrics.dropped");
      }
    }
  }

  /** The minutes {@code lane} has not been given (or whose export failed), oldest first. */
  synchronized List<ClosedMinute> take(int lane) {
    expireUnconfirmed();
    long bit = 1L << lane;
    List<ClosedMinute> taken = new ArrayList<>();
    for (ClosedMinute minute : minutes) {
      if ((minute.needed & bit) != 0 && (minute.inFlight & bit) == 0) {
        minute.inFlight |= bit;
        taken.add(minute);
      }
    }
    if (!confirmationRequired) {
      settle(lane, taken, true);
    }
    return taken;
  }

  /** {@code metrics} carry {@code taken} to {@code lane}'s exporter; awaited if confirming. */
  synchronized void sent(int lane, List<ClosedMinute> taken, List<MetricData> metrics) {
    if (!confirmationRequired || taken.isEmpty()) {
      return;
    }
    InFlight sent = new InFlight(lane, taken, nanoTime.getAsLong());
    for (MetricData metric : metrics) {
      inFlight.put(metric, sent);
    }
  }

  /**
   * The exporter's word on an export: exported minutes are done for that lane, failed ones wait.
   */
  synchronized void exported(Collection<MetricData> metrics, boolean success) {
    for (MetricData metric : metrics) {
      InFlight sent = inFlight.remove(metric);
      if (sent != null) {
        // The other metrics of the same collection map to the same record: settle it once.
        inFlight.values().removeIf(other -> other == sent);
        settle(sent.lane, sent.minutes, success);
      }
    }
  }

  synchronized int retainedPoints() {
    return retainedPoints;
  }

  private void settle(int lane, List<ClosedMinute> settled, boolean success) {
    long bit = 1L << lane;
    for (ClosedMinute minute : settled) {
      minute.inFlight &= ~bit;
      if (success) {
        minute.needed &= ~bit;
      }
    }
    for (Iterator<ClosedMinute> it = minutes.iterator(); it.hasNext(); ) {
      ClosedMinute minute = it.next();
      if (minute.needed == 0) {
        it.remove();
        retainedPoints -= minute.points();
      }
    }
  }

  private void expireUnconfirmed() {
    if (inFlight.isEmpty()) {
      return;
    }
    long now = nanoTime.getAsLong();
    Set<InFlight> expired = Collections.newSetFromMap(new IdentityHashMap<>());
    for (InFlight sent : inFlight.values()) {
      if (now - sent.collectedAtNanos > UNCONFIRMED_AFTER_NANOS) {
        expired.add(sent);
      }
    }
    for (InFlight sent : expired) {
      inFlight.values().removeIf(other -> other == sent);
      settle(sent.lane, sent.minutes, true);
    }
  }
}
