package io.github.apigatewayotel.receiver.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * The time range one poll asks CloudWatch for: aligned to the period, ending at the last period
 * that is older than the delay (CloudWatch still revises younger ones), reaching back over the
 * lookback so periods missed while the receiver was down or throttled are still fetched.
 */
public record CollectionWindow(Instant start, Instant end, int periodSeconds) {

  public static CollectionWindow at(Instant now, Duration period, Duration delay, Duration lookback) {
    long p = period.getSeconds();
    long end = Math.floorDiv(now.minus(delay).getEpochSecond(), p) * p;
    long periods = Math.max(1, lookback.getSeconds() / p);
    return new CollectionWindow(Instant.ofEpochSecond(end - periods * p), Instant.ofEpochSecond(end), (int) p);
  }

  /**
   * This window without the periods a region already collected completely: steady-state polls ask
   * only for the newest period(s), so responses carry one datapoint per query, not the lookback.
   */
  public CollectionWindow after(Instant collectedUntil) {
    if (collectedUntil == null || !collectedUntil.isAfter(start)) {
      return this;
    }
    return new CollectionWindow(collectedUntil.isBefore(end) ? collectedUntil : end, end, periodSeconds);
  }

  public boolean isEmpty() {
    return !start.isBefore(end);
  }
}
