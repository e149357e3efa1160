package io.github.apigatewayotel.receiver.internal;

import io.opentelemetry.sdk.common.CompletableResultCode;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Drains a push reader's backlog (a catch-up after an outage, the first poll of a long lookback)
 * piece after piece instead of one piece per export interval: once a piece was exported and its
 * lane still holds points, the lane's reader is asked to collect and export again ({@code
 * forceFlush}), shortly after, on this flusher's own thread. One piece in flight per lane, paced by
 * the backend's answers; a failed export stops the chain (the reader's interval retries).
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class BacklogFlusher implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(BacklogFlusher.class.getName());

  /**
   * Wait before the next collection: the periodic reader marks its export done only after the
   * exporter's callbacks (ours among them) ran, and refuses a collection until then.
   */
  static final Duration PAUSE = Duration.ofMillis(50);

  private final ReaderLanes lanes;
  private final ScheduledExecutorService executor;
  private final Set<Integer> scheduled = ConcurrentHashMap.newKeySet();

  public BacklogFlusher(ReaderLanes lanes, ThreadFactory threadFactory) {
    this.lanes = lanes;
    this.executor = Executors.newSingleThreadScheduledExecutor(threadFactory);
  }

  /** Has {@code lane}'s reader collect and export again soon, unless that is already planned. */
  public void backlogged(int lane) {
    if (!scheduled.add(lane)) {
      return;
    }
    try {
      executor.schedule(
          () -> {
            scheduled.remove(lane);
            try {
              lanes.flush(lane);
            } catch (RuntimeException e) { // the host's reader must not end this thread
              logger.log(
                  Level.FINE, "apigateway-otel receiver: flushing a metric reader failed", e);
            }
          },
          PAUSE.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      scheduled.remove(lane); // closed: the reader's own interval drains the rest
    }
  }

  /**
   * Stops flushing in the background, then has every push lane's reader export its pending points,
   * piece after piece, until none is left, an export fails (a backend down: the points stay pending
   * for the host's final flush, or for a restart with the state directory), or {@code timeout}
   * passes. For a host that stops ({@code --once}, shutdown): its SDK's final flush exports one
   * piece only.
   */
  public void drain(PendingPoints pending, Duration timeout) {
    close();
    try {
      executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int lane = 0; lane < pending.laneCount(); lane++) {
      int busyRetries = 0;
      while (pending.waiting(lane) > 0 && System.nanoTime() < deadline) {
        int before = pending.waiting(lane);
        CompletableResultCode result = lanes.flush(lane);
        result.join(
            Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())),
            TimeUnit.MILLISECONDS);
        if (pending.waiting(lane) < before) {
          busyRetries = 0;
          continue;
        }
        // nothing left the lane: the reader was busy exporting (retry shortly) or the export failed
        if (result.isSuccess() || ++busyRetries > 3) {
          break;
        }
        try {
          Thread.sleep(PAUSE.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
