package io.github.apigatewayotel.receiver.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a poll's queries into GetMetricData calls, each with the time range its queries still need.
 *
 * <p>A query needs the periods after its high-water mark, within the window: the newest period for
 * a series that had data last poll, the whole lookback for one that had none yet. Asking each query
 * only from its own mark is what lets data that reached CloudWatch late (after the delay, or for a
 * series that was empty when last read) still be read while it is inside the lookback; asking every
 * query for the whole lookback would return up to lookback/period times the datapoints. The marks
 * drop anything already emitted, so a batch asking for more than one of its queries needs is
 * harmless. A series new since the previous discovery asks from further back ({@link
 * QueryPlan#readFrom}).
 *
 * <p>Queries are ordered by how many periods they need, fewest first, then cut into calls of {@link
 * QueryPlan#MAX_QUERIES_PER_CALL}: the call count stays the minimum, ceil(queries / 500), and in
 * the steady state (every query as many periods behind) the calls are exactly the plan's batches.
 *
 * <p>No call needs a second page: a query asks for at most {@link
 * CollectionWindow#MAX_CATCH_UP_PERIODS} periods, and 500 queries of 200 periods are 100,000
 * datapoints, within the 100,800 one GetMetricData answer holds. A NextToken page would bill every
 * query of the call again.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
final class QueryBatches {

  /** One call: its queries (query {@code i} is sent as {@code q<i>}) and the range they need. */
  record Batch(List<PlannedQuery> queries, CollectionWindow window) {}

  private QueryBatches() {}

  static List<Batch> of(QueryPlan plan, CollectionWindow window) {
    return of(plan, QueryPlan.ALL, window);
  }

  /**
   * The calls for the queries of {@code slice} of {@code plan} ({@link QueryPlan#ALL}: all of
   * them).
   */
  static List<Batch> of(QueryPlan plan, int slice, CollectionWindow window) {
    long start = window.start().getEpochSecond();
    long end = window.end().getEpochSecond();
    int period = window.periodSeconds();
    List<PlannedQuery> queries = plan.queries(slice);
    if (start >= end || queries.isEmpty()) {
      return List.of();
    }
    long earliest = end - (long) CollectionWindow.MAX_CATCH_UP_PERIODS * period;
    int[] needed = new int[queries.size()];
    int periods = 0;
    boolean readingBack = plan.readingBack();
    for (int i = 0; i < needed.length; i++) {
      PlannedQuery query = queries.get(i);
      long from = readingBack ? firstPeriod(plan.readFrom(query), start, earliest, period) : start;
      needed[i] = periodsNeeded(query.highWaterMark, from, end, period);
      periods = Math.max(periods, needed[i]);
    }
    int[] queriesNeeding = new int[periods + 1];
    for (int n : needed) {
      queriesNeeding[n]++;
    }
    for (int n = 0; n <= periods; n++) {
      if (queriesNeeding[n] == needed.length) {
        return n == 0
            ? List.of()
            : planBatches(plan, slice, window(end, n, period)); // the steady state
      }
    }
    List<List<PlannedQuery>> byNeeded = new ArrayList<>(periods + 1);
    for (int n = 0; n <= periods; n++) {
      byNeeded.add(new ArrayList<>(queriesNeeding[n]));
    }
    for (int i = 0; i < needed.length; i++) {
      byNeeded.get(needed[i]).add(queries.get(i));
    }
    List<Batch> batches = new ArrayList<>();
    List<PlannedQuery> current = new ArrayList<>(QueryPlan.MAX_QUERIES_PER_CALL);
    int currentNeed = 0;
    for (int n = 1; n <= periods; n++) {
      for (PlannedQuery query : byNeeded.get(n)) {
        current.add(query);
        currentNeed = n; // ascending: the last query added needs the most
        if (current.size() == QueryPlan.MAX_QUERIES_PER_CALL) {
          batches.add(new Batch(List.copyOf(current), window(end, currentNeed, period)));
          current.clear();
        }
      }
    }
    if (!current.isEmpty()) {
      batches.add(new Batch(List.copyOf(current), window(end, currentNeed, period)));
    }
    return batches;
  }

  /**
   * Where a query starts asking: the window's start, or earlier for a series new since the previous
   * discovery ({@code readFrom}, else NONE), within the catch-up reach (so a call of 500 such
   * queries still fits GetMetricData's datapoint limit).
   */
  private static long firstPeriod(long readFrom, long start, long earliest, int period) {
    if (readFrom == PlannedQuery.NONE) {
      return start;
    }
    long aligned = Math.floorDiv(readFrom, period) * (long) period;
    return Math.min(start, Math.max(earliest, aligned));
  }

  /** Periods of [start, end) after {@code highWaterMark}: 0 when it is up to date. */
  static int periodsNeeded(long highWaterMark, long start, long end, int period) {
    long from =
        highWaterMark == PlannedQuery.NONE ? start : Math.max(start, highWaterMark + period);
    if (from >= end) {
      return 0;
    }
    return (int) ((end - from + period - 1) / period);
  }

  private static List<Batch> planBatches(QueryPlan plan, int slice, CollectionWindow window) {
    int calls =
        (plan.queries(slice).size() + QueryPlan.MAX_QUERIES_PER_CALL - 1)
            / QueryPlan.MAX_QUERIES_PER_CALL;
    List<Batch> batches = new ArrayList<>(calls);
    for (int b = 0; b < calls; b++) {
      batches.add(new Batch(plan.batch(slice, b), window));
    }
    return batches;
  }

  private static CollectionWindow window(long end, int periods, int period) {
    return new CollectionWindow(
        Instant.ofEpochSecond(end - (long) periods * period), Instant.ofEpochSecond(end), period);
  }
}
