package io.github.apigatewayotel.receiver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A push reader's pending points leave in bounded pieces, oldest first, and a failed piece comes
 * back in front.
 */
class PushLaneTest {

  private static final long PERIOD = 60;

  private final PushLane lane = new PushLane();
  private final PlannedQuery count = query("Count", "aws.apigateway.count", "prod");
  private final PlannedQuery latency = query("Latency", "aws.apigateway.latency", "prod");

  private static PlannedQuery query(String metric, String otelName, String stage) {
    MetricDescriptor descriptor =
        new MetricDescriptor(metric, "Sum", otelName, true, "{request}", metric);
    return QueryPlan.of(
            List.of(
                new MonitoredSeries(
                    "eu-west-1",
                    metric,
                    List.of(),
                    "api|" + stage,
                    Attributes.of(AttributeKey.stringKey("aws.apigateway.stage"), stage),
                    List.of(descriptor))),
            QueryPlan.empty(),
            Map.of())
        .queries()
        .get(0);
  }

  /** (metric, period) of every point of a piece, in order. */
  private static List<String> points(List<PendingBatch> piece) {
    List<String> points = new ArrayList<>();
    for (PendingBatch batch : piece) {
      for (int i = 0; i < batch.size(); i++) {
        points.add(batch.descriptor.otelName() + "@" + batch.periodStart(i) / PERIOD);
      }
    }
    return points;
  }

  private void add(PlannedQuery query, int fromPeriod, int toPeriod) {
    for (int p = fromPeriod; p < toPeriod; p++) {
      assertThat(lane.add(query, p * PERIOD, p, Integer.MAX_VALUE)).isTrue();
    }
  }

  @Test
  void piecesHoldAtMostTheMaximumOfPointsOldestFirstAndTogetherEveryPointOnce() {
    add(count, 0, 250);
    add(latency, 0, 250);
    List<String> all = new ArrayList<>();
    int pieces = 0;
    while (lane.size() > 0) {
      List<String> piece = points(lane.take(100, Long.MAX_VALUE));
      assertThat(piece).hasSizeLessThanOrEqualTo(100).isNotEmpty();
      all.addAll(piece);
      pieces++;
    }
    assertThat(pieces).isEqualTo(5);
    assertThat(all).hasSize(500).doesNotHaveDuplicates();
    assertThat(all.subList(0, 250)).allMatch(p -> p.startsWith("aws.apigateway.count@"));
    assertThat(all.get(0)).isEqualTo("aws.apigateway.count@0");
    assertThat(all.get(249)).isEqualTo("aws.apigateway.count@249");
  }

  @Test
  void piecesStayUnderTheByteBoundEstimatedFromTheAttributes() {
    add(count, 0, 1000);
    int perPoint = PushLane.estimatedBytes(count.series.attributes());
    // key 20 + value 4 + 6 per attribute, 32 per point
    assertThat(perPoint)
        .isEqualTo(
            PushLane.POINT_OVERHEAD_BYTES
                + "aws.apigateway.stage".length()
                + 4
                + PushLane.ATTRIBUTE_OVERHEAD_BYTES);
    List<String> piece = points(lane.take(Integer.MAX_VALUE, 100L * perPoint + perPoint / 2));
    assertThat(piece).hasSize(100);
    assertThat(points(lane.take(Integer.MAX_VALUE, 1)))
        .as("one point at least, however large")
        .hasSize(1);
    assertThat(lane.size()).isEqualTo(899);
  }

  @Test
  void aFailedPieceComesBackInFrontInItsOrderAndLeavesFirst() {
    add(count, 0, 10);
    List<PendingBatch> failed = lane.take(4, Long.MAX_VALUE);
    add(latency, 0, 3); // a poll meanwhile
    assertThat(lane.requeue(failed, Integer.MAX_VALUE)).isEqualTo(4);
    assertThat(lane.size()).isEqualTo(13);
    assertThat(points(lane.take(7, Long.MAX_VALUE)))
        .containsExactly(
            "aws.apigateway.count@0",
            "aws.apigateway.count@1",
            "aws.apigateway.count@2",
            "aws.apigateway.count@3",
            "aws.apigateway.count@4",
            "aws.apigateway.count@5",
            "aws.apigateway.count@6");
    assertThat(points(lane.take(100, Long.MAX_VALUE)))
        .containsExactly(
            "aws.apigateway.count@7",
            "aws.apigateway.count@8",
            "aws.apigateway.count@9",
            "aws.apigateway.latency@0",
            "aws.apigateway.latency@1",
            "aws.apigateway.latency@2");
  }

  @Test
  void aFailedPieceOfAMetricNoLongerWaitingComesBackBeforeTheOthers() {
    add(count, 0, 3);
    List<PendingBatch> failed = lane.take(3, Long.MAX_VALUE);
    add(latency, 0, 2);
    lane.requeue(failed, Integer.MAX_VALUE);
    assertThat(points(lane.take(100, Long.MAX_VALUE)))
        .containsExactly(
            "aws.apigateway.count@0",
            "aws.apigateway.count@1",
            "aws.apigateway.count@2",
            "aws.apigateway.latency@0",
            "aws.apigateway.latency@1");
  }

  @Test
  void aRequeueTakesOnlyWhatFitsUnderTheBoundOldestFirst() {
    add(count, 0, 6);
    List<PendingBatch> failed = lane.take(6, Long.MAX_VALUE);
    add(latency, 0, 5);
    assertThat(lane.requeue(failed, 8)).isEqualTo(3);
    assertThat(points(lane.take(3, Long.MAX_VALUE)))
        .containsExactly(
            "aws.apigateway.count@0", "aws.apigateway.count@1", "aws.apigateway.count@2");
    assertThat(lane.add(count, 100 * PERIOD, 1, 6)).as("bounded").isTrue();
    assertThat(lane.add(count, 101 * PERIOD, 1, 6)).isFalse();
  }

  @Test
  void aBatchGrowsShrinksAndTakesPointsBackInFrontOverManyRounds() {
    PendingBatch batch = new PendingBatch(count.descriptor);
    long next = 0;
    long expectedFirst = 0;
    for (int round = 0; round < 50; round++) {
      for (int i = 0; i < 37; i++) {
        batch.add(count, next++, 1);
      }
      PendingBatch taken = batch.takeFirst(29);
      assertThat(taken.periodStart(0)).isEqualTo(expectedFirst);
      if (round % 3 == 0) {
        batch.prepend(taken, taken.size()); // failed: back in front
      } else {
        expectedFirst += 29;
      }
      assertThat(batch.periodStart(0)).isEqualTo(expectedFirst);
      for (int i = 1; i < batch.size(); i++) {
        assertThat(batch.periodStart(i)).isEqualTo(batch.periodStart(i - 1) + 1);
      }
    }
    assertThat(batch.size()).isEqualTo((int) (next - expectedFirst));
  }
}
