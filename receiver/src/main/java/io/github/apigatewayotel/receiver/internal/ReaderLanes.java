package io.github.apigatewayotel.receiver.internal;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Which metric reader is collecting on the current thread: a reader's collection runs every
 * producer's {@code produce} on the thread that asked for it, so a thread-local set around the
 * collection tells {@link PendingPoints} whose lane to drain. Lanes are numbered 0, 1, 2 ... as
 * readers are wrapped; a collection outside any wrapped reader is lane 0's.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class ReaderLanes {

  private final AtomicInteger count = new AtomicInteger();
  private final ThreadLocal<Integer> collecting = new ThreadLocal<>();

  /** The lanes whose collection counts as their export: no exporter will confirm it. */
  private final Set<Integer> collectionIsExport = ConcurrentHashMap.newKeySet();

  /** The reader collecting as each lane, when known. */
  private final Map<Integer, MetricReader> readers = new ConcurrentHashMap<>();

  /** Numbers a new lane, whose exports are confirmed (when the receiver asks for confirmation). */
  public int newLane() {
    return count.getAndIncrement();
  }

  /**
   * Numbers a new lane; with {@code collectionIsExport} its points count as exported once
   * collected, as for a pull reader (Prometheus): no exporter of it will ever confirm them, and
   * holding them for confirmation would hold the persisted marks and the memory back.
   */
  public int newLane(boolean collectionIsExport) {
    int lane = newLane();
    if (collectionIsExport) {
      this.collectionIsExport.add(lane);
    }
    return lane;
  }

  /**
   * Numbers a new lane for {@code reader}: a reader that is not periodic pulls (Prometheus), its
   * collections count as its export; a periodic one exports through an exporter that the host may
   * have wrapped for confirmation.
   */
  public int newLane(MetricReader reader) {
    int lane = newLane(pulls(reader));
    readers.put(lane, reader);
    return lane;
  }

  /**
   * Whether {@code reader} pulls (Prometheus): it is not periodic, so no exporter confirms its
   * collections.
   */
  public static boolean pulls(MetricReader reader) {
    return !(reader instanceof PeriodicMetricReader);
  }

  /**
   * Asks the reader of {@code lane} to collect and export now ({@code forceFlush}), e.g. to drain a
   * backlog in pieces faster than its interval; nothing when the lane's reader is unknown.
   */
  public CompletableResultCode flush(int lane) {
    MetricReader reader = readers.get(lane);
    return reader == null ? CompletableResultCode.ofFailure() : reader.forceFlush();
  }

  /** Whether {@code lane}'s collections count as exported. */
  public boolean collectionIsExport(int lane) {
    return collectionIsExport.contains(lane);
  }

  /** Lanes numbered so far, 0 before the first. */
  public int numbered() {
    return count.get();
  }

  /** Lanes numbered so far (at least 1: lane 0 exists even when no reader was wrapped). */
  public int count() {
    return Math.max(1, count.get());
  }

  /** The lane collecting on this thread; 0 outside a wrapped reader's collection. */
  public int collecting() {
    Integer lane = collecting.get();
    return lane == null ? 0 : lane;
  }

  /** Runs {@code collection} as lane {@code lane}, restoring the thread's previous lane after. */
  public <T> T collectAs(int lane, Supplier<T> collection) {
    Integer previous = collecting.get();
    collecting.set(lane);
    try {
      return collection.get();
    } finally {
      if (previous == null) {
        collecting.remove();
      } else {
        collecting.set(previous);
      }
    }
  }
}
