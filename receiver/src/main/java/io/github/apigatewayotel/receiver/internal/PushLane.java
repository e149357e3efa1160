package io.github.apigatewayotel.receiver.internal;

import io.opentelemetry.api.common.Attributes;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The datapoints waiting for one push reader (an OTLP exporter), by metric, oldest first. Each
 * collection takes a bounded piece from the front ({@link #take}): at most a number of points and
 * about a number of bytes of OTLP, so that no export outgrows what a backend accepts (a catch-up
 * after an outage can hold hundreds of thousands of points); the rest leaves with the next
 * collections. The points of a failed export go back in front ({@link #requeue}), so every query's
 * points leave in time order. Not thread-safe: {@link PendingPoints} guards it.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class PushLane {

  /**
   * Bytes an OTLP protobuf number point takes besides its attributes: start and end time and value
   * (9 bytes each as fixed64 fields) and the field headers.
   */
  static final int POINT_OVERHEAD_BYTES = 32;

  /** Bytes an attribute's key-value message adds to its key and value (field tags and lengths). */
  static final int ATTRIBUTE_OVERHEAD_BYTES = 6;

  private final Map<String, PendingBatch> byName = new LinkedHashMap<>();
  private int size;

  int size() {
    return size;
  }

  /** Adds a point unless the lane holds {@code maxPending} already; returns whether it did. */
  boolean add(PlannedQuery query, long periodStart, double value, int maxPending) {
    if (size >= maxPending) {
      return false;
    }
    byName
        .computeIfAbsent(query.descriptor.otelName(), n -> new PendingBatch(query.descriptor))
        .add(query, periodStart, value);
    size++;
    return true;
  }

  /**
   * Removes and returns the oldest points: at most {@code maxPoints}, and no more than fit in about
   * {@code maxBytes} of OTLP protobuf as {@link #estimatedBytes} counts them (at least one point,
   * however large).
   */
  List<PendingBatch> take(int maxPoints, long maxBytes) {
    List<PendingBatch> piece = new ArrayList<>();
    Map<Attributes, Integer> sizes =
        new IdentityHashMap<>(); // attribute sets are shared per series
    int points = 0;
    long bytes = 0;
    for (Iterator<PendingBatch> it = byName.values().iterator();
        it.hasNext() && points < maxPoints; ) {
      PendingBatch batch = it.next();
      int n = 0;
      while (n < batch.size() && points < maxPoints) {
        long pointBytes =
            sizes.computeIfAbsent(batch.query(n).series.attributes(), PushLane::estimatedBytes);
        if (points > 0 && bytes + pointBytes > maxBytes) {
          maxPoints = points; // full: ends both loops
          break;
        }
        bytes += pointBytes;
        points++;
        n++;
      }
      if (n == 0) {
        break;
      }
      if (n == batch.size()) {
        it.remove();
        piece.add(batch);
      } else {
        piece.add(batch.takeFirst(n));
      }
      size -= n;
    }
    return piece;
  }

  /**
   * Puts the points of a failed export back in front of the lane, as many as fit under {@code
   * maxPending} (oldest first); returns how many.
   */
  int requeue(List<PendingBatch> failed, int maxPending) {
    int room = Math.max(0, maxPending - size);
    int requeued = 0;
    Map<String, PendingBatch> reordered = new LinkedHashMap<>();
    for (PendingBatch batch : failed) {
      int n = Math.min(room - requeued, batch.size());
      if (n <= 0) {
        break;
      }
      PendingBatch waiting = byName.remove(batch.descriptor.otelName());
      if (waiting == null) {
        waiting = reordered.get(batch.descriptor.otelName());
      }
      if (waiting == null) {
        waiting = new PendingBatch(batch.descriptor);
      }
      waiting.prepend(batch, n);
      reordered.put(batch.descriptor.otelName(), waiting);
      requeued += n;
    }
    reordered.putAll(byName);
    byName.clear();
    byName.putAll(reordered);
    size += requeued;
    return requeued;
  }

  /**
   * The size of one point with {@code attributes} in an OTLP protobuf export, estimated from its
   * attribute keys and values (UTF-8 lengths) and fixed overheads; within a few bytes of the
   * encoder's for string attributes.
   */
  static int estimatedBytes(Attributes attributes) {
    int[] bytes = {POINT_OVERHEAD_BYTES};
    attributes.forEach(
        (key, value) ->
            bytes[0] +=
                utf8Length(key.getKey())
                    + utf8Length(String.valueOf(value))
                    + ATTRIBUTE_OVERHEAD_BYTES);
    return bytes[0];
  }

  private static int utf8Length(String s) {
    int length = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      length += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
    }
    return length;
  }
}
