package io.github.apigatewayotel.receiver.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The queries one poll of a region makes: one per series and chosen statistic of the contract,
 * nothing more, cut into GetMetricData calls of at most {@link #MAX_QUERIES_PER_CALL}. With polls
 * spread over the poll interval, the plan is also cut into slices, one polled per tick: a series
 * (all its statistics) always falls in the same slice, by a hash of its identity, so a rediscovery
 * moves no query to another slice and each is still read once per interval.
 *
 * <p>This class is internal and is hence not for public use. Its APIs are unstable and can change
 * at any time.
 */
public final class QueryPlan {

  /** GetMetricData accepts at most 500 queries per call. */
  public static final int MAX_QUERIES_PER_CALL = 500;

  /** The slice argument that means the whole plan. */
  public static final int ALL = -1;

  private final List<PlannedQuery> queries;

  /** The queries of each slice, in plan order; a single slice is the plan itself. */
  private final List<List<PlannedQuery>> slices;

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

  private QueryPlan(
      List<PlannedQuery> queries,
      int sliceCount,
      Map<PlannedQuery, Long> readFrom,
      List<PlannedQuery> retired) {
    this.queries = queries;
    this.slices = slice(queries, sliceCount);
    this.readFrom = readFrom;
    this.retired = retired;
  }

  public static QueryPlan empty() {
    return new QueryPlan(List.of(), 1, new IdentityHashMap<>(), List.of());
  }

  private static List<List<PlannedQuery>> slice(List<PlannedQuery> queries, int sliceCount) {
    if (sliceCount <= 1) {
      return List.of(queries);
    }
    List<List<PlannedQuery>> slices = new ArrayList<>(sliceCount);
    for (int i = 0; i < sliceCount; i++) {
      slices.add(new ArrayList<>(queries.size() / sliceCount + 16));
    }
    MonitoredSeries previous = null;
    List<PlannedQuery> target = null;
    for (PlannedQuery query : queries) {
      if (query.series != previous) { // a series' statistics are adjacent in the plan
        previous = query.series;
        target = slices.get(Math.floorMod(sliceHash(query.series), sliceCount));
      }
      target.add(query);
    }
    slices.replaceAll(List::copyOf);
    return List.copyOf(slices);
  }

  /** Stable across rediscoveries and restarts: String hashes of the series' identity. */
  private static int sliceHash(MonitoredSeries series) {
    int h =
        (31 * series.region().hashCode() + series.metricName().hashCode()) * 31
            + series.dimensionsKey().hashCode();
    return h ^ (h >>> 16);
  }

  /**
   * Plans {@code series}, carrying over export state from {@code previous} (same key) or, for a
   * query new to this process, the persisted high-water mark.
   */
  public static QueryPlan of(
      List<MonitoredSeries> series, QueryPlan previous, Map<String, Long> persistedMarks) {
    return of(series, previous, persistedMarks, PlannedQuery.NONE, PlannedQuery.NONE, 1);
  }

  /** As {@link #of(List, QueryPlan, Map, long, long, int)}, not cut into slices. */
  public static QueryPlan of(
      List<MonitoredSeries> series,
      QueryPlan previous,
      Map<String, Long> persistedMarks,
      long newSeriesReadFrom,
      long retainMarksFrom) {
    return of(series, previous, persistedMarks, newSeriesReadFrom, retainMarksFrom, 1);
  }

  /**
   * As {@link #of(List, QueryPlan, Map)}; a query new to this plan (a series first listed now) is
   * read back from {@code newSeriesReadFrom} (epoch second; {@link PlannedQuery#NONE}: over the
   * lookback only), and a query listed again after it was missing goes on after its own mark, both
   * until a poll has read them. Queries dropped now are kept while their mark is at or after {@code
   * retainMarksFrom} (NONE: not kept), the earliest any later poll could read a series again as
   * new: an older mark cannot make a returning series repeat a period. The plan is cut into {@code
   * sliceCount} slices (1: not cut).
   */
  public static QueryPlan of(
      List<MonitoredSeries> series,
      QueryPlan previous,
      Map<String, Long> persistedMarks,
      long newSeriesReadFrom,
      long retainMarksFrom,
      int sliceCount) {
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
        long from =
            before != null
                ? previous.readFrom(before)
                : returning != null
                    ? returning.highWaterMark // all it missed, up to the catch-up reach
                    : newSeriesReadFrom;
        if (from != PlannedQuery.NONE) {
          readFrom.put(query, from);
        }
        queries.add(query);
      }
    }
    return new QueryPlan(
        List.copyOf(queries), sliceCount, readFrom, stillRecent(planned, retired, retainMarksFrom));
  }

  /**
   * The dropped queries whose marks a returning series could still need: at or after {@code
   * horizon}.
   */
  private static List<PlannedQuery> stillRecent(
      Map<String, PlannedQuery> dropped, Map<String, PlannedQuery> retired, long horizon) {
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

  /** {@link #readBack(int)} of the whole plan. */
  public void readBack() {
    readBack(ALL);
  }

  /**
   * After a poll read every query of {@code slice} ({@link #ALL}: of this plan) without a failure:
   * its series new at the last discovery have been read back and from now on ask, like the others,
   * within the lookback.
   */
  public void readBack(int slice) {
    if (readFrom.isEmpty()) {
      return;
    }
    if (slice == ALL || slices.size() == 1) {
      readFrom.clear();
    } else {
      for (PlannedQuery query : slices.get(slice)) {
        readFrom.remove(query);
      }
    }
  }

  public List<PlannedQuery> queries() {
    return queries;
  }

  /** The queries of {@code slice}, or every query for {@link #ALL}. */
  public List<PlannedQuery> queries(int slice) {
    return slice == ALL ? queries : slice < slices.size() ? slices.get(slice) : List.of();
  }

  /** How many slices the plan is cut into (1: polled whole). */
  public int sliceCount() {
    return slices.size();
  }

  public int size() {
    return queries.size();
  }

  /** GetMetricData calls one poll needs: ceil(queries / 500), the minimum possible. */
  public int calls() {
    return calls(queries.size());
  }

  /**
   * GetMetricData calls one poll interval needs: ceil(queries / 500) per slice, at most one more
   * per slice than {@link #calls()}.
   */
  public int callsPerInterval() {
    int calls = 0;
    for (List<PlannedQuery> slice : slices) {
      calls += calls(slice.size());
    }
    return calls;
  }

  private static int calls(int queries) {
    return (queries + MAX_QUERIES_PER_CALL - 1) / MAX_QUERIES_PER_CALL;
  }

  /** Batch {@code index} of the plan's queries, 500 at most. */
  public List<PlannedQuery> batch(int index) {
    return batch(ALL, index);
  }

  /** Batch {@code index} of {@code slice}'s queries ({@link #ALL}: of the plan), 500 at most. */
  public List<PlannedQuery> batch(int slice, int index) {
    List<PlannedQuery> list = queries(slice);
    int from = index * MAX_QUERIES_PER_CALL;
    return list.subList(from, Math.min(list.size(), from + MAX_QUERIES_PER_CALL));
  }
}
