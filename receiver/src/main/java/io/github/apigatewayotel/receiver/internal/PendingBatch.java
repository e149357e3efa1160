package io.github.apigatewayotel.receiver.internal;

import java.util.Arrays;

/**
 * One metric's datapoints waiting for a push reader, oldest first, stored compactly (query, period
 * start, value: 20 bytes a point) as parallel arrays: a large account produces millions per poll,
 * and they become point objects only when collected. Points leave from the front ({@link
 * #takeFirst}) and a failed export comes back in front ({@link #prepend}), so a query's points
 * always leave in time order. Not thread-safe: {@link PendingPoints} guards it.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class PendingBatch {

  private static final int INITIAL_CAPACITY = 64;

  final MetricDescriptor descriptor;
  private PlannedQuery[] queries;
  private long[] periodStarts;
  private double[] values;

  /**
   * Exports in a row that rejected each point for good, parallel to the others; null while no point
   * of this batch was (the usual case: no memory for it).
   */
  private byte[] rejections;

  /** Index of the first point; points before it have left. */
  private int head;

  private int end;

  PendingBatch(MetricDescriptor descriptor) {
    this(descriptor, INITIAL_CAPACITY);
  }

  private PendingBatch(MetricDescriptor descriptor, int capacity) {
    this.descriptor = descriptor;
    this.queries = new PlannedQuery[capacity];
    this.periodStarts = new long[capacity];
    this.values = new double[capacity];
  }

  int size() {
    return end - head;
  }

  PlannedQuery query(int i) {
    return queries[head + i];
  }

  long periodStart(int i) {
    return periodStarts[head + i];
  }

  double value(int i) {
    return values[head + i];
  }

  /** Exports in a row that rejected point {@code i} for good. */
  int rejections(int i) {
    return rejections == null ? 0 : rejections[head + i];
  }

  void add(PlannedQuery query, long periodStart, double value) {
    add(query, periodStart, value, 0);
  }

  private void add(PlannedQuery query, long periodStart, double value, int rejected) {
    if (end == queries.length) {
      makeRoom(1);
    }
    if (rejected > 0 && rejections == null) {
      rejections = new byte[queries.length];
    }
    queries[end] = query;
    periodStarts[end] = periodStart;
    values[end] = value;
    if (rejections != null) {
      rejections[end] = (byte) rejected;
    }
    end++;
  }

  /**
   * The points of a failed export as they go back: each with one more rejection in a row when
   * {@code rejected} (the backend refused them for good), else none (only rejections in a row
   * count); those that reach {@code maxRejections} go to {@code givenUp} instead.
   */
  PendingBatch retried(boolean rejected, int maxRejections, PendingBatch givenUp) {
    PendingBatch kept = new PendingBatch(descriptor, Math.max(size(), 1));
    for (int i = 0; i < size(); i++) {
      int count = rejected ? rejections(i) + 1 : 0;
      if (count >= maxRejections) {
        givenUp.add(query(i), periodStart(i), value(i));
      } else {
        kept.add(query(i), periodStart(i), value(i), count);
      }
    }
    return kept;
  }

  /**
   * The points whose query is not {@link PlannedQuery#fenced} (fleet mode), this batch itself when
   * all are.
   */
  PendingBatch unfenced() {
    int kept = 0;
    for (int i = 0; i < size(); i++) {
      kept += query(i).fenced ? 0 : 1;
    }
    if (kept == size()) {
      return this;
    }
    PendingBatch unfenced = new PendingBatch(descriptor, Math.max(kept, 1));
    for (int i = 0; i < size(); i++) {
      if (!query(i).fenced) {
        unfenced.add(query(i), periodStart(i), value(i), rejections(i));
      }
    }
    return unfenced;
  }

  /**
   * Removes the first {@code count} points (at most all) and returns them as a batch of their own.
   */
  PendingBatch takeFirst(int count) {
    int n = Math.min(count, size());
    PendingBatch taken = new PendingBatch(descriptor, Math.max(n, 1));
    System.arraycopy(queries, head, taken.queries, 0, n);
    System.arraycopy(periodStarts, head, taken.periodStarts, 0, n);
    System.arraycopy(values, head, taken.values, 0, n);
    if (rejections != null) {
      taken.rejections = new byte[taken.queries.length];
      System.arraycopy(rejections, head, taken.rejections, 0, n);
    }
    taken.end = n;
    Arrays.fill(queries, head, head + n, null); // no reference kept to what left
    head += n;
    if (head == end) {
      head = 0;
      end = 0;
    }
    return taken;
  }

  /** Puts the first {@code count} points of {@code earlier} (at most all) before this batch's. */
  void prepend(PendingBatch earlier, int count) {
    int n = Math.min(count, earlier.size());
    if (n == 0) {
      return;
    }
    if (earlier.rejections != null && rejections == null) {
      rejections = new byte[queries.length];
    }
    if (head < n) {
      makeRoom(n);
      // move everything right by n - head so that n free slots open in front
      int shift = n - head;
      System.arraycopy(queries, head, queries, head + shift, size());
      System.arraycopy(periodStarts, head, periodStarts, head + shift, size());
      System.arraycopy(values, head, values, head + shift, size());
      if (rejections != null) {
        System.arraycopy(rejections, head, rejections, head + shift, size());
      }
      Arrays.fill(queries, head, head + shift, null);
      head += shift;
      end += shift;
    }
    head -= n;
    System.arraycopy(earlier.queries, earlier.head, queries, head, n);
    System.arraycopy(earlier.periodStarts, earlier.head, periodStarts, head, n);
    System.arraycopy(earlier.values, earlier.head, values, head, n);
    if (rejections != null) {
      if (earlier.rejections != null) {
        System.arraycopy(earlier.rejections, earlier.head, rejections, head, n);
      } else {
        Arrays.fill(rejections, head, head + n, (byte) 0);
      }
    }
  }

  /**
   * Ensures {@code extra} more slots fit after the current points, first by compacting to the
   * front.
   */
  private void makeRoom(int extra) {
    int size = size();
    if (head > 0 && head >= extra && head >= size) {
      compact();
      return;
    }
    int needed = size + extra + head;
    if (needed > queries.length) {
      int capacity = Math.max(needed, queries.length + (queries.length >> 1));
      queries = Arrays.copyOf(queries, capacity);
      periodStarts = Arrays.copyOf(periodStarts, capacity);
      values = Arrays.copyOf(values, capacity);
      if (rejections != null) {
        rejections = Arrays.copyOf(rejections, capacity);
      }
    }
  }

  private void compact() {
    int size = size();
    System.arraycopy(queries, head, queries, 0, size);
    System.arraycopy(periodStarts, head, periodStarts, 0, size);
    System.arraycopy(values, head, values, 0, size);
    if (rejections != null) {
      System.arraycopy(rejections, head, rejections, 0, size);
    }
    Arrays.fill(queries, size, end, null);
    head = 0;
    end = size;
  }
}
