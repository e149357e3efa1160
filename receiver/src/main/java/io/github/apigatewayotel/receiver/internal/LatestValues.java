package io.github.apigatewayotel.receiver.internal;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a pull reader (Prometheus) shows of each query: its current state, not a queue of periods. A
 * pull reader has one value per series per scrape, and takes it at scrape time: several periods of
 * one series in one collection are duplicate label sets (the Prometheus exporter drops the whole
 * metric), and a point shown once and then never again is a series that goes stale after one
 * scrape. So every collection shows every query that reported recently, once: a monotonic sum as
 * its running total since its first period (a cumulative counter), a gauge as its latest period's
 * value.
 *
 * <p>A query is kept while it reports, and until {@code retentionMillis} after the poll that last
 * brought it a period; then it is dropped (memory stays bounded by the queries that reported within
 * that time). A counter that reports again later starts over from 0 with a new start time, which
 * Prometheus' {@code rate()} and {@code increase()} read as a counter reset, as they do after a
 * restart. A counter is shown at 0 in the first collection of each reader that sees it, and with
 * its total from the next: a series Prometheus has not seen before would otherwise start at its
 * first value, which {@code increase()} never counts. Not thread-safe: {@link PendingPoints} guards
 * it.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class LatestValues {

  /** One query's state. */
  static final class Entry {
    final String key;
    PlannedQuery query;

    /** Epoch second of the first period in the running total (counters). */
    final long firstPeriod;

    long latestPeriod;

    /** The running total (counter) or the latest period's value (gauge). */
    double value;

    long updatedMillis;

    /** Bit {@code lane} set once that lane collected this entry (lanes 64 and up: always set). */
    private long seenByLanes;

    Entry(String key, PlannedQuery query, long firstPeriod) {
      this.key = key;
      this.query = query;
      this.firstPeriod = firstPeriod;
      this.latestPeriod = firstPeriod;
    }

    boolean counter() {
      return query.descriptor.monotonicSum();
    }

    /** Marks it seen by {@code lane}; returns whether that lane had seen it before. */
    boolean seenBy(int lane) {
      if (lane >= Long.SIZE) {
        return true;
      }
      long bit = 1L << lane;
      boolean seen = (seenByLanes & bit) != 0;
      seenByLanes |= bit;
      return seen;
    }
  }

  private final Map<String, Entry> byKey = new HashMap<>();
  private final long retentionMillis;

  LatestValues(long retentionMillis) {
    this.retentionMillis = retentionMillis;
  }

  int size() {
    return byKey.size();
  }

  /**
   * Takes in {@code query}'s period starting at {@code periodStart} (epoch seconds), its own value.
   */
  void update(PlannedQuery query, long periodStart, double value, long nowMillis) {
    Entry entry = query.latestValue;
    if (entry == null || byKey.get(entry.key) != entry) { // new, or dropped meanwhile
      String key = query.key();
      entry = byKey.get(key);
      if (entry == null) {
        entry = new Entry(key, query, periodStart);
        byKey.put(key, entry);
      }
      query.latestValue = entry;
    }
    entry.query = query; // the newest plan's, with the newest attributes
    if (entry.counter()) {
      entry.value += value;
      entry.latestPeriod = Math.max(entry.latestPeriod, periodStart);
    } else if (periodStart >= entry.latestPeriod) {
      entry.value = value;
      entry.latestPeriod = periodStart;
    }
    entry.updatedMillis = nowMillis;
  }

  /** Drops the entries no poll updated within the retention. */
  void expire(long nowMillis) {
    byKey.values().removeIf(entry -> nowMillis - entry.updatedMillis > retentionMillis);
  }

  /** Every entry, after dropping the expired ones. */
  void forEach(long nowMillis, Consumer<Entry> action) {
    for (Iterator<Entry> it = byKey.values().iterator(); it.hasNext(); ) {
      Entry entry = it.next();
      if (nowMillis - entry.updatedMillis > retentionMillis) {
        it.remove();
      } else {
        action.accept(entry);
      }
    }
  }
}
