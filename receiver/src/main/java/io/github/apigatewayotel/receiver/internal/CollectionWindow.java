package io.github.apigatewayotel.receiver.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * The time range one poll asks CloudWatch for: aligned to the period, ending at the last period
 * that is older than the delay (CloudWatch still revises younger ones), reaching back over the
 * lookback so periods missed while the receiver was down or throttled are still fetched.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public record CollectionWindow(Instant start, Instant end, int periodSeconds) {

  /**
   * The most periods a window reaches back when catching up on a gap longer than the lookback:
   * GetMetricData returns at most 100,800 datapoints per call, and 500 queries x 200 periods fit in
   * one, so catching up costs no extra call.
   */
  public static final int MAX_CATCH_UP_PERIODS = 200;

  public static CollectionWindow at(
      Instant now, Duration period, Duration delay, Duration lookback) {
    long p = period.getSeconds();
    long end = Math.floorDiv(now.minus(delay).getEpochSecond(), p) * p;
    long periods = Math.max(1, lookback.getSeconds() / p);
    return new CollectionWindow(
        Instant.ofEpochSecond(end - periods * p), Instant.ofEpochSecond(end), (int) p);
  }

  /**
   * This window reaching back to {@code collectedUntil} when that is before its start (the receiver
   * or AWS was down for longer than the lookback), at most {@link #MAX_CATCH_UP_PERIODS} periods
   * from its end.
   */
  public CollectionWindow catchingUpFrom(Instant collectedUntil) {
    if (collectedUntil == null || !collectedUntil.isBefore(start)) {
      return this;
    }
    Instant earliest = end.minusSeconds((long) MAX_CATCH_UP_PERIODS * periodSeconds);
    Instant from = collectedUntil.isBefore(earliest) ? earliest : collectedUntil;
    long aligned = Math.floorDiv(from.getEpochSecond(), periodSeconds) * periodSeconds;
    return new CollectionWindow(Instant.ofEpochSecond(aligned), end, periodSeconds);
  }

  /** Whole periods from {@code collectedUntil} to this window's start: what it cannot ask for. */
  public long periodsBefore(Instant collectedUntil) {
    if (collectedUntil == null || !collectedUntil.isBefore(start)) {
      return 0;
    }
    return (start.getEpochSecond() - collectedUntil.getEpochSecond()) / periodSeconds;
  }

  public boolean isEmpty() {
    return !start.isBefore(end);
  }
}
