package io.github.apigatewayotel.receiver.internal;

import java.util.ArrayList;
import java.util.HashMap;
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
  /** The queries still to be read back from their {@link PlannedQuery#readFrom}. */
  private final List<PlannedQuery> readingBack;

  private QueryPlan(List<PlannedQuery> queries, List<PlannedQuery> readingBack) {
    this.queries = queries;
    this.readingBack = readingBack;
  }

  public static QueryPlan empty() {
    return new QueryPlan(List.of(), List.of());
  }

  /**
   * Plans {@code series}, carrying over export state from {@code previous} (same key) or, for a
   * query new to this process, the persisted high-water mark.
   */
  public static QueryPlan of(List<MonitoredSeries> series, QueryPlan previous, Map<String, Long> persistedMarks) {
    return of(series, previous, persistedMarks, PlannedQuery.NONE);
  }

  /**
   * As {@link #of(List, QueryPlan, Map)}; a query that is in neither {@code previous} nor the
   * persisted marks is read back from {@code newSeriesReadFrom} (epoch second; {@link
   * PlannedQuery#NONE}: over the lookback only) until a poll has read it.
   */
  public static QueryPlan of(List<MonitoredSeries> series, QueryPlan previous, Map<String, Long> persistedMarks,
      long newSeriesReadFrom) {
    Map<String, PlannedQuery> old = new HashMap<>();
    for (PlannedQuery query : previous.queries) {
      old.put(query.key(), query);
    }
    List<PlannedQuery> queries = new ArrayList<>();
    List<PlannedQuery> readingBack = new ArrayList<>();
    for (MonitoredSeries s : series) {
      for (MetricDescriptor descriptor : s.descriptors()) {
        PlannedQuery query = new PlannedQuery(s, descriptor);
        PlannedQuery before = old.isEmpty() ? null : old.get(query.key());
        if (before != null) {
          query.carryStateFrom(before);
        } else if (!persistedMarks.isEmpty()) {
          Long mark = persistedMarks.get(query.key());
          if (mark != null) {
            query.highWaterMark = mark;
            query.exportedMark = mark;
          }
        }
        if (before == null && query.highWaterMark == PlannedQuery.NONE) {
          query.readFrom = newSeriesReadFrom;
        }
        if (query.readFrom != PlannedQuery.NONE) {
          readingBack.add(query);
        }
        queries.add(query);
      }
    }
    return new QueryPlan(List.copyOf(queries), readingBack);
  }

  /**
   * After a poll read every query of this plan without a failure: the series new at the last
   * discovery have been read back and from now on ask, like the others, within the lookback.
   */
  public void readBack() {
    for (PlannedQuery query : readingBack) {
      query.readFrom = PlannedQuery.NONE;
    }
    readingBack.clear();
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
