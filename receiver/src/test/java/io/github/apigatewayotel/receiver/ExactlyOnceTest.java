package io.github.apigatewayotel.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each CloudWatch datapoint leaves exactly once: across polls, across restarts, in both
 * temporalities.
 */
class ExactlyOnceTest {

  @RegisterExtension final ReceiverHarness harness = ReceiverHarness.demo();

  static String key(ReceiverHarness.Point p) {
    return p.name() + p.attributes() + "@" + p.point().getTimeUnixNano();
  }

  /** Distinct period starts of one metric stream (gauges are stamped at the period start). */
  static Set<Long> periodsOf(List<ReceiverHarness.Point> points, String name, String resourceId) {
    return points.stream()
        .filter(
            p ->
                p.name().equals(name)
                    && resourceId.equals(p.attributes().get("cloud.resource_id"))
                    && !p.attributes().containsKey("http.route"))
        .map(p -> p.point().getTimeUnixNano() / 1_000_000_000L)
        .collect(Collectors.toSet());
  }

  @Test
  void severalPollsExportEachPeriodOnceAndOnlyPeriodsOlderThanTheDelay() {
    var exported =
        harness.export(harness.receiverBuilder().lookback(Duration.ofMinutes(5)).build());
    PollSummary first = exported.pollAndExport();
    int afterFirst = harness.points().size();
    assertThat(afterFirst).isPositive();

    // same minute: nothing new, and nothing asked of CloudWatch
    PollSummary again = exported.pollAndExport();
    assertThat(again.pointsExported()).isZero();
    assertThat(again.getMetricDataCalls()).isZero();

    for (int i = 0; i < 3; i++) {
      harness.clock.advance(Duration.ofMinutes(1));
      exported.pollAndExport();
    }
    List<ReceiverHarness.Point> points = harness.points();
    Set<String> keys = new HashSet<>();
    for (ReceiverHarness.Point p : points) {
      assertThat(keys.add(key(p))).as("exported twice: %s", key(p)).isTrue();
    }
    // five periods in the first window, then one new period per minute
    String stage = "arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/prod";
    Set<Long> periods = periodsOf(points, "aws.apigateway.latency.p99", stage);
    long firstStart = first.windowStart().getEpochSecond();
    assertThat(periods)
        .containsExactlyInAnyOrder(
            firstStart,
            firstStart + 60,
            firstStart + 120,
            firstStart + 180,
            firstStart + 240,
            firstStart + 300,
            firstStart + 360,
            firstStart + 420);
    // nothing younger than the delay
    long newestAllowed = harness.clock.instant().minus(Duration.ofMinutes(3)).getEpochSecond();
    assertThat(points)
        .allSatisfy(
            p ->
                assertThat(p.point().getStartTimeUnixNano() / 1_000_000_000L + 60)
                    .isLessThanOrEqualTo(newestAllowed));
  }

  @Test
  void cumulativeSumsAreRunningTotalsFromTheFirstExportedPeriod() {
    var exported =
        harness.export(
            harness
                .receiverBuilder()
                .lookback(Duration.ofMinutes(3))
                .getMetricDataConcurrency(1)
                .build());
    PollSummary first = exported.pollAndExport();
    harness.clock.advance(Duration.ofMinutes(2));
    exported.pollAndExport();

    String stage = "arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/prod";
    List<ReceiverHarness.Point> counts =
        harness.points().stream()
            .filter(
                p ->
                    p.name().equals("aws.apigateway.count")
                        && stage.equals(p.attributes().get("cloud.resource_id"))
                        && !p.attributes().containsKey("http.route"))
            .sorted(
                (a, b) -> Long.compare(a.point().getTimeUnixNano(), b.point().getTimeUnixNano()))
            .toList();
    assertThat(counts).hasSize(5);
    var series =
        harness.account.series(ReceiverHarness.REGION).stream()
            .filter(
                s ->
                    s.metricName().equals("Count")
                        && s.dimensions().size() == 2
                        && "prod".equals(s.dimensions().get("Stage"))
                        && "pets-api".equals(s.dimensions().get("ApiName")))
            .findFirst()
            .orElseThrow();
    long start = first.windowStart().getEpochSecond();
    double total = 0;
    for (int i = 0; i < 5; i++) {
      ReceiverHarness.Point p = counts.get(i);
      total += harness.account.value(series, "Sum", start + 60L * i, 60);
      assertThat(p.metric().getSum().getAggregationTemporality())
          .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
      assertThat(p.point().getStartTimeUnixNano()).isEqualTo(start * 1_000_000_000L);
      assertThat(p.point().getTimeUnixNano()).isEqualTo((start + 60L * (i + 1)) * 1_000_000_000L);
      assertThat(p.point().getAsDouble()).isEqualTo(total);
    }
  }

  @Test
  void aRestartWithAStateDirectoryNeverRepeatsAPeriod(@TempDir Path state) {
    var first = harness.export(harness.receiverBuilder().stateDirectory(state).build());
    PollSummary before = first.pollAndExport();
    assertThat(before.pointsExported()).isPositive();
    first.close();
    int exportedBefore = harness.points().size();

    // restarted one minute later: only the one new period
    harness.clock.advance(Duration.ofMinutes(1));
    var second = harness.export(harness.receiverBuilder().stateDirectory(state).build());
    PollSummary after = second.pollAndExport();
    // each query asks only for what follows its persisted mark, not the whole lookback
    assertThat(after.datapointsReceived()).isEqualTo(after.pointsExported());
    assertThat(after.pointsExported() * 10).isEqualTo(before.pointsExported());

    Set<String> keys = new HashSet<>();
    for (ReceiverHarness.Point p : harness.points()) {
      assertThat(keys.add(key(p))).as("exported twice across the restart: %s", key(p)).isTrue();
    }
    assertThat(harness.points()).hasSizeGreaterThan(exportedBefore);
  }

  @Test
  void withoutAStateDirectoryARestartStartsAfresh() {
    var first = harness.export(harness.receiverBuilder().build());
    long before = first.pollAndExport().pointsExported();
    first.close();
    var second = harness.export(harness.receiverBuilder().build());
    assertThat(second.pollAndExport().pointsExported()).isEqualTo(before);
  }
}
