package io.github.apigatewayotel.receiver.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The queries one poll of a region makes: one per series and statistic of the contract, nothing
 * more, cut into GetMetricData calls of at most {@link #MAX_QUERIES_PER_CALL}.
 */
public final class QueryPlan {

  /** GetMetricData accepts at most 500 queries per call. */
  public static final int MAX_QUERIES_PER_CALL = 500;

  private final List<PlannedQuery> queries;
  /**
   * For the series first listed by a rediscovery, until a poll has read them: the epoch second from
   * which each may hold data, which can be older than the lookback because ListMetrics shows a new
   * series only some time after its first datapoint. Kept here, not on every query: it concerns a
   * few queries, and a plan holds millions.
   */
  private final Map<PlannedQuery, Long> readFrom;
  /**
   * Queries of earlier plans that this one no longer has (their API missing from one inventory
   * listing, say), kept while their marks are recent enough to matter: a series that comes back
   * continues from its own mark instead of exporting again what it already exported.
   */
  private final List<PlannedQuery> retired;

  private QueryPlan(List<PlannedQuery> queries, Map<PlannedQuery, Long> readFrom, List<PlannedQuery> retired) {
    this.queries = queries;
    this.readFrom = readFrom;
    this.retired = retired;
  }

  public static QueryPlan empty() {
    return new QueryPlan(List.of(), new IdentityHashMap<>(), List.of());
  }

  /**
   * Plans {@code series}, carrying over export state from {@code previous} (same key) or, for a
   * query new to this process, the persisted high-water mark.
   */
  public static QueryPlan of(List<MonitoredSeries> series, QueryPlan previous, Map<String, Long> persistedMarks) {
    return of(series, previous, persistedMarks, PlannedQuery.NONE, PlannedQuery.NONE);
  }

  /**
   * As {@link #of(List, QueryPlan, Map)}; a query new to this plan (a series first listed now) is
   * read back from {@code newSeriesReadFrom} (epoch second; {@link PlannedQuery#NONE}: over the
   * lookback only), and a query listed again after it was missing goes on after its own mark, both
   * until a poll has read them. Queries dropped now are kept while their mark is at or after
   * {@code retainMarksFrom} (NONE: not kept), the earliest any later poll could read a series
   * again as new: an older mark cannot make a returning series repeat a period.
   */
  public static QueryPlan of(List<MonitoredSeries> series, QueryPlan previous, Map<String, Long> persistedMarks,
      long newSeriesReadFrom, long retainMarksFrom) {
    Map<String, PlannedQuery> planned = new HashMap<>();
    for (PlannedQuery query : previous.queries) {
      planned.put(query.key(), query);
    }
    Map<String, PlannedQuery> retired = new HashMap<>();
    for (PlannedQuery query : previous.retired) {
      retired.put(query.key(), query);
    }
    List<PlannedQuery> queries = new ArrayList<>();
    Map<PlannedQuery, Long> readFrom = new IdentityHashMap<>();
    for (MonitoredSeries s : series) {
      for (MetricDescriptor descriptor : s.descriptors()) {
        PlannedQuery query = new PlannedQuery(s, descriptor);
        String key = query.key();
        PlannedQuery before = planned.isEmpty() ? null : planned.remove(key);
        PlannedQuery returning = before != null || retired.isEmpty() ? null : retired.remove(key);
        if (before != null || returning != null) {
          query.carryStateFrom(before != null ? before : returning);
        } else if (!persistedMarks.isEmpty()) {
          Long mark = persistedMarks.get(key);
          if (mark != null) {
            query.highWaterMark = mark;
            query.exportedMark = mark;
          }
        }
        long from = before != null ? previous.readFrom(before)
            : returning != null ? returning.highWaterMark // all it missed, up to the catch-up reach
            : newSeriesReadFrom;
        if (from != PlannedQuery.NONE) {
          readFrom.put(query, from);
        }
        queries.add(query);
      }
    }
    return new QueryPlan(List.copyOf(queries), readFrom, stillRecent(planned, retired, retainMarksFrom));
  }

  /** The dropped queries whose marks a returning series could still need: at or after {@code horizon}. */
  private static List<PlannedQuery> stillRecent(Map<String, PlannedQuery> dropped, Map<String, PlannedQuery> retired,
      long horizon) {
    if (horizon == PlannedQuery.NONE) {
      return List.of();
    }
    List<PlannedQuery> kept = new ArrayList<>();
    for (Map<String, PlannedQuery> queries : List.of(dropped, retired)) {
      for (PlannedQuery query : queries.values()) {
        if (query.highWaterMark != PlannedQuery.NONE && query.highWaterMark >= horizon) {
          kept.add(query);
        }
      }
    }
    return kept;
  }

  /** Whether some query is still to be read back from before the window ({@link #readFrom}). */
  boolean readingBack() {
    return !readFrom.isEmpty();
  }

  /** Where {@code query} may hold data from, when it is new and not read yet; else NONE. */
  long readFrom(PlannedQuery query) {
    Long from = readFrom.get(query);
    return from == null ? PlannedQuery.NONE : from;
  }

  /** Makes {@code query} read back from {@code epochSecond}: as a rediscovery does, for tests. */
  void readFrom(PlannedQuery query, long epochSecond) {
    readFrom.put(query, epochSecond);
  }

  /**
   * After a poll read every query of this plan without a failure: the series new at the last
   * discovery have been read back and from now on ask, like the others, within the lookback.
   */
  public void readBack() {
    readFrom.clear();
  }

  public List<PlannedQuery> queries() {
    return queries;
  }

  public int size() {
    return queries.size();
  }

  /** GetMetricData calls one poll needs: ceil(queries / 500), the minimum possible. */
  public int calls() {
    return (queries.size() + MAX_QUERIES_PER_CALL - 1) / MAX_QUERIES_PER_CALL;
  }

  public List<PlannedQuery> batch(int index) {
    int from = index * MAX_QUERIES_PER_CALL;
    return queries.subList(from, Math.min(queries.size(), from + MAX_QUERIES_PER_CALL));
  }
}
