package io.github.apigatewayotel.receiver.internal;

import io.opentelemetry.sdk.metrics.data.MetricData;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.annotation.Nullable;

/**
 * Collected points awaiting their exporter's word, by the {@link MetricData} object they left in. A
 * piece no exporter reported on within {@link #UNCONFIRMED_AFTER_NANOS} (a reader whose exporter is
 * not wrapped) expires, to count as exported, so it cannot hold the marks back for ever. Not
 * thread-safe: {@link PendingPoints} guards it.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class InFlightPieces {

  /** How long a collection may wait for its exporter's word. */
  static final long UNCONFIRMED_AFTER_NANOS = TimeUnit.MINUTES.toNanos(10);

  /** {@code more}: the piece was cut by the bounds, points were left behind in its lane. */
  record Sent(int lane, PendingBatch batch, long collectedAtNanos, boolean more) {}

  private final Map<MetricData, Sent> sent = new IdentityHashMap<>();

  void add(MetricData metric, Sent piece) {
    sent.put(metric, piece);
  }

  /** The piece {@code metric} carried, now settled; null when not ours or settled already. */
  @Nullable
  Sent settle(MetricData metric) {
    return sent.remove(metric);
  }

  /**
   * The pieces collected more than {@link #UNCONFIRMED_AFTER_NANOS} before {@code nowNanos},
   * removed.
   */
  List<Sent> expire(long nowNanos) {
    if (sent.isEmpty()) {
      return List.of();
    }
    List<Sent> expired = new ArrayList<>();
    for (var it = sent.values().iterator(); it.hasNext(); ) {
      Sent piece = it.next();
      if (nowNanos - piece.collectedAtNanos() > UNCONFIRMED_AFTER_NANOS) {
        it.remove();
        expired.add(piece);
      }
    }
    return expired;
  }

  int size() {
    return sent.size();
  }
}
