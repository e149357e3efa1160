package io.github.apigatewayotel.spi.internal;

import io.github.apigatewayotel.logs.StageAccessLogFormats;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code otel.apigateway.logs.format=auto} for one region: reads the stages' access-log formats at
 * once, then again every discovery interval on the plugin's executor, so stages created or
 * reconfigured later are followed. {@link StageAccessLogFormats#refresh()} never throws; the guard
 * here only keeps the schedule alive against the unexpected.
 */
final class StageFormatRefresher implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(StageFormatRefresher.class.getName());

  private final StageAccessLogFormats formats;
  private final Duration interval;
  private volatile ScheduledFuture<?> schedule;

  /** Reads the formats once, on the calling (plugin) thread. */
  StageFormatRefresher(StageAccessLogFormats formats, Duration interval) {
    this.formats = formats;
    this.interval = interval;
    refreshSafely();
  }

  StageAccessLogFormats formats() {
    return formats;
  }

  /** What the last reading of the formats ran into, if it failed. */
  Optional<String> lastProblem() {
    return Optional.ofNullable(formats.lastProblem());
  }

  void start(ScheduledExecutorService executor) {
    schedule =
        executor.scheduleWithFixedDelay(
            this::refreshSafely, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void refreshSafely() {
    try {
      formats.refresh();
    } catch (RuntimeException | LinkageError e) {
      logger.log(Level.WARNING, "apigateway-otel: reading access-log formats failed", e);
    }
  }

  @Override
  public void close() {
    ScheduledFuture<?> scheduled = schedule;
    if (scheduled != null) {
      scheduled.cancel(false);
    }
    formats.close();
  }
}
