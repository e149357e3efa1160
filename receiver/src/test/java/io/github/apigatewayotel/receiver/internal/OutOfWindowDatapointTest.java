package io.github.apigatewayotel.receiver.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A datapoint CloudWatch returns outside the window asked for is ignored: taken, it would move its
 * query's high-water mark ahead and silence every real period until then.
 */
class OutOfWindowDatapointTest {

  private static final long END = 1_764_000_000L; // a multiple of 60
  private static final CollectionWindow WINDOW =
      new CollectionWindow(Instant.ofEpochSecond(END - 120), Instant.ofEpochSecond(END), 60);

  @Test
  void aPointPastTheWindowNeitherLeavesNorSilencesTheQuery() {
    ReceiverTelemetry telemetry = new ReceiverTelemetry(MeterProvider.noop());
    PendingPoints pending =
        new PendingPoints(
            InstrumentationScopeInfo.create("test"),
            AggregationTemporality.DELTA,
            60,
            1_000,
            telemetry);
    MetricDataCollector collector =
        new MetricDataCollector(
            new AwsCallRetrier(1, Duration.ZERO, Duration.ZERO, d -> {}, telemetry),
            new DatapointEmitter(pending),
            telemetry,
            new ProblemLog());
    MetricDescriptor count =
        new MetricDescriptor("Count", "Sum", "aws.apigateway.count", true, "{request}", "requests");
    QueryPlan plan =
        QueryPlan.of(
            List.of(
                new MonitoredSeries(
                    "eu-west-1", "Count", List.of(), "api", Attributes.empty(), List.of(count))),
            QueryPlan.empty(),
            Map.of());
    long future = END + 1_800; // 30 minutes ahead, as a misbehaving endpoint might answer
    MetricDataFetcher fetcher =
        (batch, window, token) ->
            new MetricDataPage(
                List.of(
                    new MetricDataPage.QueryResult(
                        0,
                        MetricDataPage.COMPLETE,
                        new long[] {END - 120, END - 60, future},
                        new double[] {1, 2, 99},
                        List.of())),
                List.of(),
                null);

    MetricDataCollector.Outcome outcome =
        collector.collect("eu-west-1", fetcher, plan, WINDOW, null);

    assertThat(outcome.emitted()).isEqualTo(2);
    assertThat(plan.queries().get(0).highWaterMark()).isEqualTo(END - 60);
    assertThat(pending.size()).isEqualTo(2);
  }
}
