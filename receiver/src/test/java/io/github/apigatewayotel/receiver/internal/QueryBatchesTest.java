package io.github.apigatewayotel.receiver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.Attributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryBatchesTest {

  private static final int PERIOD = 60;
  private static final long END = 1_764_000_000L; // a multiple of 60
  private static final CollectionWindow LOOKBACK_10 =
      new CollectionWindow(
          Instant.ofEpochSecond(END - 10 * PERIOD), Instant.ofEpochSecond(END), PERIOD);
  private static final MetricDescriptor COUNT =
      new MetricDescriptor("Count", "Sum", "aws.apigateway.count", true, "{request}", "requests");

  @Test
  void inTheSteadyStateTheCallsAreThePlansBatchesAskingForTheNewestPeriod() {
    QueryPlan plan = plan(1_200);
    plan.queries().forEach(q -> q.highWaterMark = END - 2 * PERIOD);

    List<QueryBatches.Batch> batches = QueryBatches.of(plan, LOOKBACK_10);

    assertThat(batches).hasSize(plan.calls());
    for (int b = 0; b < batches.size(); b++) {
      assertThat(batches.get(b).queries()).isEqualTo(plan.batch(b));
      assertThat(batches.get(b).window().start()).isEqualTo(Instant.ofEpochSecond(END - PERIOD));
    }
  }

  @Test
  void upToDateQueriesAskForNothing() {
    QueryPlan plan = plan(10);
    plan.queries().forEach(q -> q.highWaterMark = END - PERIOD);
    assertThat(QueryBatches.of(plan, LOOKBACK_10)).isEmpty();
  }

  @Test
  void eachQueryAsksFromItsOwnMarkInTheMinimumNumberOfCalls() {
    QueryPlan plan = plan(1_001);
    List<PlannedQuery> queries = plan.queries();
    for (int i = 0; i < queries.size(); i++) {
      // 700 caught up (1 period), 300 three periods behind, 1 never exported (whole lookback)
      queries.get(i).highWaterMark =
          i < 700 ? END - 2 * PERIOD : i < 1_000 ? END - 4 * PERIOD : PlannedQuery.NONE;
    }

    List<QueryBatches.Batch> batches = QueryBatches.of(plan, LOOKBACK_10);

    assertThat(batches).hasSize(plan.calls()); // ceil(1001 / 500) = 3
    assertThat(batches.get(0).queries()).isEqualTo(queries.subList(0, 500));
    assertThat(batches.get(0).window().start()).isEqualTo(Instant.ofEpochSecond(END - PERIOD));
    assertThat(batches.get(1).queries()).isEqualTo(queries.subList(500, 1_000));
    assertThat(batches.get(1).window().start()).isEqualTo(Instant.ofEpochSecond(END - 3 * PERIOD));
    assertThat(batches.get(2).queries()).containsExactly(queries.get(1_000));
    assertThat(batches.get(2).window()).isEqualTo(LOOKBACK_10);
    assertThat(batches).allSatisfy(b -> assertThat(b.window().end()).isEqualTo(LOOKBACK_10.end()));
  }

  @Test
  void aMarkOlderThanTheWindowAsksForTheWholeWindow() {
    assertThat(QueryBatches.periodsNeeded(END - 100 * PERIOD, END - 10 * PERIOD, END, PERIOD))
        .isEqualTo(10);
    assertThat(QueryBatches.periodsNeeded(PlannedQuery.NONE, END - 10 * PERIOD, END, PERIOD))
        .isEqualTo(10);
    assertThat(QueryBatches.periodsNeeded(END - PERIOD, END - 10 * PERIOD, END, PERIOD)).isZero();
    assertThat(QueryBatches.periodsNeeded(END - 30, END - 10 * PERIOD, END, PERIOD))
        .isZero(); // misaligned
  }

  @Test
  void aSeriesNewSinceThePreviousDiscoveryAsksFromThenWithinTheCatchUpReach() {
    QueryPlan plan = plan(3);
    List<PlannedQuery> queries = plan.queries();
    queries.get(0).highWaterMark = END - 2 * PERIOD; // caught up
    plan.readFrom(
        queries.get(1), END - 30 * PERIOD + 17); // new: back to the previous discovery (misaligned)
    plan.readFrom(
        queries.get(2), END - 1_000 * PERIOD); // new, but farther back than a poll can reach

    List<QueryBatches.Batch> batches = QueryBatches.of(plan, LOOKBACK_10);

    assertThat(batches).hasSize(1); // one call: it asks for what its neediest query needs
    assertThat(batches.get(0).window().start())
        .isEqualTo(
            Instant.ofEpochSecond(END - (long) CollectionWindow.MAX_CATCH_UP_PERIODS * PERIOD));
    assertThat(QueryBatches.of(plan(1), LOOKBACK_10).get(0).window()).isEqualTo(LOOKBACK_10);

    QueryPlan second = plan(1);
    second.readFrom(second.queries().get(0), END - 30 * PERIOD + 17);
    assertThat(QueryBatches.of(second, LOOKBACK_10).get(0).window().start())
        .isEqualTo(Instant.ofEpochSecond(END - 30 * PERIOD));
    second.readFrom(
        second.queries().get(0), END - 5 * PERIOD); // newer than the lookback: the lookback
    assertThat(QueryBatches.of(second, LOOKBACK_10).get(0).window()).isEqualTo(LOOKBACK_10);
  }

  @Test
  void readingBackEndsOnceAPollHasReadThePlan() {
    List<MonitoredSeries> series = new ArrayList<>();
    series.add(
        new MonitoredSeries(
            "eu-west-1", "Count", List.of(), "old", Attributes.empty(), List.of(COUNT)));
    QueryPlan first =
        QueryPlan.of(series, QueryPlan.empty(), Map.of(), END - 30 * PERIOD, END - 30 * PERIOD);
    series.add(
        new MonitoredSeries(
            "eu-west-1", "Count", List.of(), "new", Attributes.empty(), List.of(COUNT)));
    first.queries().get(0).highWaterMark = END - 2 * PERIOD;
    QueryPlan second = QueryPlan.of(series, first, Map.of(), END - 30 * PERIOD, END - 30 * PERIOD);

    assertThat(second.readFrom(second.queries().get(0)))
        .isEqualTo(first.readFrom(first.queries().get(0)));
    assertThat(second.readFrom(second.queries().get(1))).isEqualTo(END - 30 * PERIOD);
    second.readBack();
    assertThat(second.queries())
        .allSatisfy(q -> assertThat(second.readFrom(q)).isEqualTo(PlannedQuery.NONE));
    assertThat(second.readingBack()).isFalse();
  }

  @Test
  void aQueryMissingFromOnePlanComesBackWithItsMarkWhileItIsRecent() {
    MonitoredSeries recent =
        new MonitoredSeries(
            "eu-west-1", "Count", List.of(), "recent", Attributes.empty(), List.of(COUNT));
    MonitoredSeries stale =
        new MonitoredSeries(
            "eu-west-1", "Count", List.of(), "stale", Attributes.empty(), List.of(COUNT));
    QueryPlan first = QueryPlan.of(List.of(recent, stale), QueryPlan.empty(), Map.of());
    first.queries().get(0).highWaterMark = END - 2 * PERIOD;
    first.queries().get(1).highWaterMark = END - 100 * PERIOD;
    long horizon = END - 30 * PERIOD;
    QueryPlan without =
        QueryPlan.of(List.of(), first, Map.of(), horizon, horizon); // both missing from a listing
    QueryPlan back = QueryPlan.of(List.of(recent, stale), without, Map.of(), horizon, horizon);

    assertThat(back.queries().get(0).highWaterMark)
        .isEqualTo(END - 2 * PERIOD); // carried: no repeat
    assertThat(back.queries().get(1).highWaterMark)
        .isEqualTo(PlannedQuery.NONE); // older than any read-back
    assertThat(back.readFrom(back.queries().get(0)))
        .as("all it missed")
        .isEqualTo(END - 2 * PERIOD);
    assertThat(back.readFrom(back.queries().get(1))).as("as a new series").isEqualTo(horizon);
  }

  @Test
  void aCallOfTheLongestCatchUpFitsOneGetMetricDataAnswer() {
    // 500 queries x 200 periods = 100,000 datapoints <= 100,800: never a NextToken page, which
    // would bill every query of the call a second time
    assertThat((long) QueryPlan.MAX_QUERIES_PER_CALL * CollectionWindow.MAX_CATCH_UP_PERIODS)
        .isLessThanOrEqualTo(100_800);
    QueryPlan plan = plan(1_001);
    CollectionWindow catchUp =
        LOOKBACK_10.catchingUpFrom(Instant.ofEpochSecond(END - 1_000 * PERIOD));
    List<QueryBatches.Batch> batches = QueryBatches.of(plan, catchUp);
    assertThat(batches)
        .hasSize(3)
        .allSatisfy(
            batch ->
                assertThat(
                        (long) batch.queries().size()
                            * (batch.window().end().getEpochSecond()
                                - batch.window().start().getEpochSecond())
                            / PERIOD)
                    .isLessThanOrEqualTo(100_800));
  }

  @Test
  void slicesHoldWholeSeriesStayPutAcrossRediscoveriesAndAreCutIntoCallsOfTheirOwn() {
    MetricDescriptor p99 =
        new MetricDescriptor(
            "Latency", "p99", "aws.apigateway.latency.p99", false, "ms", "latency");
    List<MonitoredSeries> series = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      series.add(
          new MonitoredSeries(
              "eu-west-1",
              "Latency",
              List.of(),
              "api-" + i,
              Attributes.empty(),
              List.of(COUNT, p99)));
    }
    QueryPlan plan =
        QueryPlan.of(series, QueryPlan.empty(), Map.of(), PlannedQuery.NONE, PlannedQuery.NONE, 5);
    assertThat(plan.sliceCount()).isEqualTo(5);
    List<PlannedQuery> union = new ArrayList<>();
    Map<MonitoredSeries, Integer> sliceOf = new java.util.HashMap<>();
    for (int s = 0; s < 5; s++) {
      assertThat(plan.queries(s).size()).as("slice %d of 6,000 queries", s).isBetween(900, 1_500);
      for (PlannedQuery q : plan.queries(s)) {
        union.add(q);
        assertThat(sliceOf.merge(q.series, s, (a, b) -> a.equals(b) ? a : -1))
            .as("a series in two slices")
            .isEqualTo(s);
      }
      plan.queries(s).forEach(q -> q.highWaterMark = END - 2 * PERIOD);
      List<QueryBatches.Batch> batches = QueryBatches.of(plan, s, LOOKBACK_10);
      assertThat(batches).hasSize((plan.queries(s).size() + 499) / 500);
      assertThat(batches.stream().mapToInt(b -> b.queries().size()).sum())
          .isEqualTo(plan.queries(s).size());
    }
    assertThat(union).containsExactlyInAnyOrderElementsOf(plan.queries());
    assertThat(plan.callsPerInterval()).isBetween(plan.calls(), plan.calls() + 5);

    List<MonitoredSeries> fewer =
        new ArrayList<>(series.subList(1_000, 3_000)); // a rediscovery lists fewer
    QueryPlan next = QueryPlan.of(fewer, plan, Map.of(), PlannedQuery.NONE, PlannedQuery.NONE, 5);
    for (int s = 0; s < 5; s++) {
      for (PlannedQuery q : next.queries(s)) {
        assertThat(sliceOf.get(q.series)).as("the same slice after a rediscovery").isEqualTo(s);
      }
    }
  }

  private static QueryPlan plan(int queries) {
    List<MonitoredSeries> series = new ArrayList<>();
    for (int i = 0; i < queries; i++) {
      series.add(
          new MonitoredSeries(
              "eu-west-1", "Count", List.of(), "api-" + i, Attributes.empty(), List.of(COUNT)));
    }
    return QueryPlan.of(series, QueryPlan.empty(), Map.of());
  }
}
