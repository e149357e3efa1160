package io.github.apigatewayotel.logs.internal.cloudwatch;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * When to try AWS again after the SDK's own retries gave up (throttling, 5xx, network): an
 * exponential delay with jitter, bounded, so a struggling or rate-limited account is not hammered
 * and several plugin instances do not retry in step. Not thread-safe: one poll at a time owns it.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class RetryBackoff {

  /** The first delay after a failure. */
  public static final Duration BASE_DELAY = Duration.ofSeconds(2);

  /** The longest delay, however many failures in a row. */
  public static final Duration MAX_DELAY = Duration.ofMinutes(5);

  /** A delay is drawn from [delay * (1 - JITTER), delay]. */
  private static final double JITTER = 0.5;

  private static final int MAX_DOUBLINGS = 20;

  private final DoubleSupplier random;
  private int consecutiveFailures;
  private long notBeforeMillis = Long.MIN_VALUE;

  /** {@code random} yields values in [0, 1). */
  public RetryBackoff(DoubleSupplier random) {
    this.random = random;
  }

  /** Whether a request may be made at {@code nowMillis}. */
  public boolean mayTry(long nowMillis) {
    return nowMillis >= notBeforeMillis;
  }

  /** Records a failure at {@code nowMillis}; returns the delay chosen. */
  public Duration failed(long nowMillis) {
    consecutiveFailures++;
    long ceiling =
        Math.min(
            MAX_DELAY.toMillis(),
            BASE_DELAY.toMillis() << Math.min(consecutiveFailures - 1, MAX_DOUBLINGS));
    long delay = (long) (ceiling * (1 - JITTER * random.getAsDouble()));
    notBeforeMillis = nowMillis + delay;
    return Duration.ofMillis(delay);
  }

  public void succeeded() {
    consecutiveFailures = 0;
    notBeforeMillis = Long.MIN_VALUE;
  }

  public int consecutiveFailures() {
    return consecutiveFailures;
  }
}
