package io.github.apigatewayotel.receiver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each reader lane holds every point within its own bound, and is settled on its own. */
class PendingPointsLanesTest {

  private static final long PERIOD = 60;

  private final InMemoryMetricReader own = InMemoryMetricReader.create();
  private final SdkMeterProvider ownProvider =
      SdkMeterProvider.builder().registerMetricReader(own).build();
  private final ReaderLanes lanes = new ReaderLanes();
  private final PendingPoints pending =
      new PendingPoints(
          InstrumentationScopeInfo.create("test"),
          AggregationTemporality.DELTA,
          PERIOD,
          500,
          new ReceiverTelemetry(ownProvider));
  private final PlannedQuery query =
      QueryPlan.of(
              List.of(
                  new MonitoredSeries(
                      "eu-west-1",
                      "Count",
                      List.of(),
                      "api",
                      Attributes.empty(),
                      List.of(
                          new MetricDescriptor(
                              "Count",
                              "Sum",
                              "aws.apigateway.count",
                              true,
                              "{request}",
                              "requests")))),
              QueryPlan.empty(),
              Map.of())
          .queries()
          .get(0);

  @AfterEach
  void close() {
    ownProvider.close();
  }

  private Collection<MetricData> collect(int lane) {
    return lanes.collectAs(lane, () -> pending.produce(Resource.empty()));
  }

  private static int points(Collection<MetricData> metrics) {
    return metrics.stream().mapToInt(m -> m.getDoubleSumData().getPoints().size()).sum();
  }

  private void addPeriods(int from, int to) {
    for (int i = from; i < to; i++) {
      pending.add(query, i * PERIOD, i);
    }
  }

  @Test
  void everyLaneGetsEveryPointUpToItsOwnBoundAndDropsAreCountedPerLane() {
    lanes.newLane();
    lanes.newLane();
    pending.collectFor(lanes);
    addPeriods(0, 600);

    assertThat(pending.size()).isEqualTo(1_000);
    assertThat(points(collect(1))).isEqualTo(500);
    assertThat(points(collect(0))).isEqualTo(500);
    assertThat(points(pending.produce(Resource.empty()))).as("lane 0's, already drained").isZero();
    assertThat(
            own.collectAllMetrics().stream()
                .filter(m -> m.getName().equals("apigateway_otel.receiver.datapoints.dropped"))
                .mapToLong(m -> m.getLongSumData().getPoints().iterator().next().getValue())
                .sum())
        .isEqualTo(200);
  }

  @Test
  void aFailedExportComesBackInItsLaneOnlyAndTheMarkWaitsForEveryLane() {
    lanes.newLane();
    lanes.newLane();
    pending.requireConfirmation();
    pending.collectFor(lanes);
    addPeriods(0, 3);

    pending.exported(collect(0), true);
    assertThat(query.exportedMark).as("lane 1 exported nothing yet").isEqualTo(PlannedQuery.NONE);
    pending.exported(collect(1), false);
    assertThat(points(collect(0))).as("nothing of lane 1's failure comes to lane 0").isZero();
    assertThat(query.exportedMark).isEqualTo(PlannedQuery.NONE);

    Collection<MetricData> again = collect(1);
    assertThat(points(again)).isEqualTo(3);
    pending.exported(again, true);
    assertThat(query.exportedMark).isEqualTo(2 * PERIOD);

    addPeriods(3, 5);
    pending.exported(collect(1), true);
    assertThat(query.exportedMark).as("lane 0 is behind now").isEqualTo(2 * PERIOD);
    pending.exported(collect(0), true);
    assertThat(query.exportedMark).isEqualTo(4 * PERIOD);
    assertThat(pending.inFlightMetrics()).isZero();
  }

  @Test
  void aPullLanesCollectionCountsAsItsExportWhileAPushLaneWaitsForItsExporter() {
    int push = lanes.newLane();
    int pull = lanes.newLane(true); // Prometheus: no exporter will confirm its collections
    pending.requireConfirmation();
    pending.collectFor(lanes);
    addPeriods(0, 3);

    collect(pull);
    assertThat(points(collect(pull))).as("one point: the query's current state").isEqualTo(1);
    assertThat(pending.inFlightMetrics())
        .as("nothing held for a confirmation that never comes")
        .isZero();
    assertThat(query.exportedMark)
        .as("the push lane has exported nothing yet")
        .isEqualTo(PlannedQuery.NONE);
    pending.exported(collect(push), true);
    assertThat(query.exportedMark).isEqualTo(2 * PERIOD);
  }

  @Test
  void aPullLaneThatNeverCollectsDoesNotHoldTheMarksBack() {
    int push = lanes.newLane();
    lanes.newLane(true); // a Prometheus endpoint nobody scrapes
    pending.requireConfirmation();
    pending.collectFor(lanes);
    addPeriods(0, 3);

    pending.exported(collect(push), true);
    assertThat(query.exportedMark).isEqualTo(2 * PERIOD);
  }

  @Test
  void withOnlyPullLanesEveryLaneHoldsTheMarks() {
    int first = lanes.newLane(true);
    int second = lanes.newLane(true);
    pending.collectFor(lanes);
    addPeriods(0, 3);

    collect(first);
    collect(first); // a counter is shown at 0 first, with its total from the next collection
    assertThat(query.exportedMark)
        .as("the second has not collected yet")
        .isEqualTo(PlannedQuery.NONE);
    collect(second);
    assertThat(query.exportedMark)
        .as("the second has shown it at 0 only")
        .isEqualTo(PlannedQuery.NONE);
    collect(second);
    assertThat(query.exportedMark).isEqualTo(2 * PERIOD);
  }

  @Test
  void aPullLaneShowsOneLabelSetOnceAndCountersAsRunningTotalsAtZeroFirst() {
    int pull = lanes.newLane(true);
    pending.collectFor(lanes);
    // another series (other dimensions) whose points carry the same attributes as query's
    PlannedQuery twin =
        QueryPlan.of(
                List.of(
                    new MonitoredSeries(
                        "eu-west-1",
                        "Count",
                        List.of(),
                        "other",
                        Attributes.empty(),
                        List.of(query.descriptor))),
                QueryPlan.empty(),
                Map.of())
            .queries()
            .get(0);
    addPeriods(0, 3);
    pending.add(twin, 0, 100);

    Collection<MetricData> first = collect(pull);
    assertThat(points(first)).as("one label set, one point").isEqualTo(1);
    assertThat(first.iterator().next().getDoubleSumData().getPoints().iterator().next().getValue())
        .as("a counter is shown at 0 first")
        .isZero();
    MetricData second = collect(pull).iterator().next();
    assertThat(second.getDoubleSumData().getAggregationTemporality())
        .as("cumulative whatever the push readers get")
        .isEqualTo(AggregationTemporality.CUMULATIVE);
    var point = second.getDoubleSumData().getPoints().iterator().next();
    assertThat(point.getValue()).as("either series' total, not both").isIn(0.0 + 1 + 2, 100.0);
    assertThat(point.getStartEpochNanos()).isZero();
    assertThat(point.getEpochNanos())
        .isIn(
            java.util.concurrent.TimeUnit.SECONDS.toNanos(3 * PERIOD),
            java.util.concurrent.TimeUnit.SECONDS.toNanos(PERIOD));
  }

  @Test
  void aPieceCutByTheBoundAsksForTheNextOnceConfirmedAndOnlyThen() {
    PendingPoints small =
        new PendingPoints(
            InstrumentationScopeInfo.create("test"),
            AggregationTemporality.DELTA,
            PERIOD,
            new PendingPoints.Limits(500, 2, Long.MAX_VALUE, java.time.Duration.ofMinutes(10)),
            new ReceiverTelemetry(ownProvider),
            java.time.Clock.systemUTC());
    List<Integer> asked = new java.util.ArrayList<>();
    small.onBacklog(asked::add);
    small.requireConfirmation();
    for (int i = 0; i < 5; i++) {
      small.add(query, i * PERIOD, i);
    }
    List<Integer> pieces = new java.util.ArrayList<>();
    while (small.size() > 0) {
      Collection<MetricData> piece = small.produce(Resource.empty());
      pieces.add(points(piece));
      small.exported(piece, true);
    }
    assertThat(pieces).containsExactly(2, 2, 1);
    assertThat(asked).as("after each cut piece, not after the last").containsExactly(0, 0);
    assertThat(query.exportedMark).isEqualTo(4 * PERIOD);

    small.add(query, 5 * PERIOD, 5);
    Collection<MetricData> all = small.produce(Resource.empty());
    small.add(query, 6 * PERIOD, 6); // a poll while the export is in flight: no backlog
    small.exported(all, true);
    assertThat(asked).containsExactly(0, 0);
  }
}
