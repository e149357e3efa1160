package io.github.apigatewayotel.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * At the defaults (5-minute poll interval, 3-minute delay, 1-minute period), each query is read
 * once every 5 minutes and returns the 5 periods since, so CloudWatch bills 0.2 metric requests per
 * exported datapoint instead of 1.0 at 1-minute polling; the polls of an interval are spread over
 * its 5 ticks (a slice of the queries a minute), and no period leaves later than delay + interval
 * (8 minutes) after its end, before the metric reader's own export interval. Driven tick by tick,
 * as the scheduler drives it, on the simulated clock; the metric requests are the simulated
 * CloudWatch's count.
 */
class PollSpreadTest {

  @RegisterExtension final ReceiverHarness harness = ReceiverHarness.demo();

  @Test
  void atTheDefaultsEachQueryReturnsFivePeriodsPerMetricRequestWithinEightMinutesOfTheirEnd() {
    // a clock 59 s past the minute: the worst phase, the newest period ended 3 min 59 s ago
    harness.clock.advance(Duration.ofSeconds(29));
    try (ApiGatewayMetricsReceiver receiver = harness.receiverBuilder().build()) {
      Measured warmUp = ticks(receiver, 10); // every slice read its lookback, then once more
      assertThat(warmUp.points).isPositive();

      Measured steady = ticks(receiver, 30); // two rediscoveries in between
      int queries = receiver.queriesPerPoll();
      assertThat(steady.metricRequests)
          .as("each query once per 5-minute interval")
          .isEqualTo(6L * queries);
      assertThat(steady.points).isEqualTo(5 * steady.metricRequests);
      assertThat((double) steady.metricRequests / steady.points).isEqualTo(0.2);
      assertThat(steady.nextTokenCalls).isZero();
      assertThat(steady.maxFreshness)
          .isLessThan(Duration.ofMinutes(8))
          .isGreaterThan(Duration.ofMinutes(7));
      assertThat(steady.minFreshness).isGreaterThanOrEqualTo(Duration.ofMinutes(3));
      // spread: every tick reads a slice, none the whole plan
      assertThat(steady.minTickRequests).isPositive();
      assertThat(steady.maxTickRequests).isLessThan(queries / 2);
    }
  }

  @Test
  void oneMinutePollingBillsOneMetricRequestPerDatapoint() {
    try (ApiGatewayMetricsReceiver receiver =
        harness.receiverBuilder().pollInterval(Duration.ofMinutes(1)).build()) {
      ticks(receiver, 2);
      Measured steady = ticks(receiver, 10);
      assertThat(steady.metricRequests).isEqualTo(10L * receiver.queriesPerPoll());
      assertThat(steady.points).isEqualTo(steady.metricRequests);
      assertThat(steady.maxFreshness).isLessThan(Duration.ofMinutes(4));
    }
  }

  /**
   * What some ticks did: metric requests billed, points produced, and how old their periods were.
   */
  private static final class Measured {
    long metricRequests;
    long nextTokenCalls;
    long points;
    long minTickRequests = Long.MAX_VALUE;
    long maxTickRequests;
    Duration maxFreshness = Duration.ZERO;
    Duration minFreshness = Duration.ofDays(1);
  }

  /**
   * {@code count} ticks a minute apart, each followed by a collection, as the SDK's reader makes.
   */
  private Measured ticks(ApiGatewayMetricsReceiver receiver, int count) {
    Measured measured = new Measured();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < count; i++) {
      harness.clock.advance(Duration.ofMinutes(1));
      long requestsBefore = harness.cloudWatch.metricsRequested();
      long pagesBefore = harness.cloudWatch.nextTokenCalls();
      PollSummary summary = receiver.pollNextSlice();
      assertThat(summary.failedCalls()).isZero();
      Instant collected = harness.clock.instant();
      long requests = harness.cloudWatch.metricsRequested() - requestsBefore;
      measured.metricRequests += requests;
      measured.nextTokenCalls += harness.cloudWatch.nextTokenCalls() - pagesBefore;
      measured.minTickRequests = Math.min(measured.minTickRequests, requests);
      measured.maxTickRequests = Math.max(measured.maxTickRequests, requests);
      for (MetricData metric : receiver.metricProducer().produce(Resource.empty())) {
        for (PointData point : metric.getData().getPoints()) {
          measured.points++;
          assertThat(seen.add(metric.getName() + point.getAttributes() + point.getEpochNanos()))
              .as("a period exported twice")
              .isTrue();
          if (metric.getType() == MetricDataType.DOUBLE_GAUGE) { // stamped at the period start
            Instant end = Instant.ofEpochSecond(0, point.getEpochNanos()).plusSeconds(60);
            Duration freshness = Duration.between(end, collected);
            measured.maxFreshness = max(measured.maxFreshness, freshness);
            measured.minFreshness =
                freshness.compareTo(measured.minFreshness) < 0 ? freshness : measured.minFreshness;
          }
        }
      }
    }
    return measured;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
