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

  private QueryPlan(List<PlannedQuery> queries) {
    this.queries = queries;
  }

  public static QueryPlan empty() {
    return new QueryPlan(List.of());
  }

  /**
   * Plans {@code series}, carrying over export state from {@code previous} (same key) or, for a
   * query new to this process, the persisted high-water mark.
   */
  public static QueryPlan of(List<MonitoredSeries> series, QueryPlan previous, Map<String, Long> persistedMarks) {
    Map<String, PlannedQuery> old = new HashMap<>();
    for (PlannedQuery query : previous.queries) {
      old.put(query.key(), query);
    }
    List<PlannedQuery> queries = new ArrayList<>();
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
        queries.add(query);
      }
    }
    return new QueryPlan(List.copyOf(queries));
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
