package io.github.apigatewayotel.state.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.annotation.Nullable;

/**
 * Logs each distinct problem once at its own level while it lasts, and at FINE while it repeats, so
 * a host without access to AWS (or with a bad log file) is told clearly what is wrong without a
 * warning every poll. A problem is named by a key; once {@link #clear cleared} it is logged at its
 * level again if it returns. In the spirit of the OpenTelemetry SDK's {@code ThrottlingLogger},
 * which throttles by rate; problems here repeat on every poll for hours, so they are throttled by
 * what they are instead.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class OnceLogger {

  private final Logger delegate;
  private final Set<String> active = ConcurrentHashMap.newKeySet();

  public OnceLogger(Logger delegate) {
    this.delegate = delegate;
  }

  /**
   * Logs {@code message} at {@code level} when the problem {@code key} is new, at FINE while it
   * repeats. Returns whether it was new.
   */
  public boolean log(Level level, String key, String message, @Nullable Throwable thrown) {
    boolean first = active.add(key);
    Level actual = first ? level : Level.FINE;
    if (delegate.isLoggable(actual)) {
      log(actual, message, thrown);
    }
    return first;
  }

  /**
   * As {@link #log(Level, String, String, Throwable)}, the message built only when it is logged:
   * for problems that may repeat on every line.
   */
  public boolean log(
      Level level, String key, Supplier<String> message, @Nullable Throwable thrown) {
    boolean first = active.add(key);
    Level actual = first ? level : Level.FINE;
    if (delegate.isLoggable(actual)) {
      log(actual, message.get(), thrown);
    }
    return first;
  }

  /** {@link #log} at WARNING. */
  public boolean warning(String key, String message, @Nullable Throwable thrown) {
    return log(Level.WARNING, key, message, thrown);
  }

  /** {@link #log} at WARNING, without a throwable. */
  public boolean warning(String key, String message) {
    return log(Level.WARNING, key, message, null);
  }

  /** The problem {@code key} is over: returns whether it was active. */
  public boolean clear(String key) {
    return active.remove(key);
  }

  /** The problem {@code key} is over: when it was active, says so at INFO with {@code message}. */
  public void resolved(String key, String message) {
    if (active.remove(key)) {
      log(Level.INFO, message, null);
    }
  }

  /**
   * Logs as the logger's owner: the record's source is the logger's name (its class), not this
   * helper, which JUL would infer.
   */
  private void log(Level level, String message, @Nullable Throwable thrown) {
    delegate.logp(level, delegate.getName(), null, message, thrown);
  }

  /** Every problem whose key {@code keys} accepts is over. */
  public void clearIf(Predicate<String> keys) {
    active.removeIf(keys);
  }
}
