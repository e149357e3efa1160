package io.github.apigatewayotel.logs;

import static io.github.apigatewayotel.logs.RequestMetricsHarness.DURATION;
import static io.github.apigatewayotel.logs.RequestMetricsHarness.REQUESTS;
import static io.github.apigatewayotel.logs.RequestMetricsHarness.histogram;
import static io.github.apigatewayotel.logs.RequestMetricsHarness.line;
import static io.github.apigatewayotel.logs.RequestMetricsHarness.sum;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.equalTo;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Request metrics from access-log lines: counted in the minute the request was made, exactly once,
 * late lines counted apart, cardinality bounded, exemplars linking to traces, and each temporality
 * and kind of reader served as documented.
 */
class RequestMetricsTest {

  private static final long M = 1_764_000_000_000L; // a minute boundary (divisible by 60,000)
  private static final long MINUTE = 60_000;
  private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<Long> STATUS =
      AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  private static final AttributeKey<Boolean> OVERFLOW =
      AttributeKey.booleanKey("otel.metric.overflow");
  private static final String TRACE = "1-5759e988-bd862e3fe1be46a994272793";

  @Test
  void aRequestCountsInTheMinuteItWasMadeNotTheMinuteItWasRead() {
    try (RequestMetricsHarness h =
        new RequestMetricsHarness(M + 2 * MINUTE + 5_000, AggregationTemporality.DELTA)) {
      h.emit(line("r1", M + 10_000, "GET", "/pets", 200, 120, null)); // read two minutes late
      h.emit(line("r2", M + MINUTE + 1_000, "GET", "/pets", 200, 80, null));
      h.clock.setMillis(M + 6 * MINUTE);
      // Two points, one a minute: each its request's minute (not the minute it was read), once.
      assertThat(h.collect())
          .filteredOn(metric -> metric.getName().equals(DURATION))
          .singleElement()
          .satisfies(
              duration ->
                  assertThat(duration)
                      .hasHistogramSatisfying(
                          histogram ->
                              histogram.hasPointsSatisfying(
                                  point ->
                                      point
                                          .hasStartEpochNanos(TimeUnit.MILLISECONDS.toNanos(M))
                                          .hasEpochNanos(TimeUnit.MILLISECONDS.toNanos(M + MINUTE))
                                          .hasCount(1)
                                          .hasSum(0.12)
                                          .hasAttributesSatisfying(
                                              equalTo(ROUTE, "/pets"),
                                              equalTo(STATUS, 200L),
                                              equalTo(
                                                  AttributeKey.stringKey("http.request.method"),
                                                  "GET"),
                                              equalTo(
                                                  AttributeKey.stringKey("url.scheme"), "https"),
                                              equalTo(
                                                  AttributeKey.stringKey("aws.apigateway.api.id"),
                                                  "a1b2c3d4e5"),
                                              equalTo(
                                                  AttributeKey.stringKey("aws.apigateway.stage"),
                                                  "prod"),
                                              equalTo(
                                                  AttributeKey.stringKey("cloud.region"),
                                                  "eu-west-1"),
                                              equalTo(
                                                  AttributeKey.stringKey("cloud.account.id"),
                                                  "123456789012"),
                                              equalTo(
                                                  AttributeKey.stringKey("cloud.provider"), "aws"))
                                          .hasAttributesSatisfying(
                                              attributes ->
                                                  assertThat(attributes.get(ERROR_TYPE)).isNull()),
                                  point ->
                                      point
                                          .hasStartEpochNanos(
                                              TimeUnit.MILLISECONDS.toNanos(M + MINUTE))
                                          .hasEpochNanos(
                                              TimeUnit.MILLISECONDS.toNanos(M + 2 * MINUTE))
                                          .hasCount(1))));
    }
  }

  @Test
  void aMinuteStaysOpenForTheGracePeriodAndALaterLineIsCountedAsLateOnly() {
    try (RequestMetricsHarness h =
        new RequestMetricsHarness(M + MINUTE, AggregationTemporality.DELTA)) {
      h.emit(line("r1", M + 1_000, "GET", "/pets", 200, 10, null));
      h.clock.setMillis(M + 4 * MINUTE - 1); // grace of 3 minutes: the minute is still open
      h.emit(line("r2", M + 2_000, "GET", "/pets", 200, 10, null));
      assertThat(histogram(h.collect(), DURATION)).isEmpty();
      h.clock.setMillis(M + 4 * MINUTE); // now it closes
      List<MetricData> closed = h.collect();
      assertThat(histogram(closed, DURATION))
          .singleElement()
          .satisfies(p -> assertThat(p.getCount()).isEqualTo(2));
      h.emit(line("r3", M + 3_000, "GET", "/pets", 200, 10, null)); // too late
      h.emit(line("r4", M + 20 * MINUTE, "GET", "/pets", 200, 10, null)); // far ahead of the clock
      h.clock.setMillis(M + 30 * MINUTE);
      List<MetricData> after = h.collect();
      assertThat(sum(after, REQUESTS)).as("nothing counted after the minute closed").isEmpty();
      assertThat(
              RequestMetricsHarness.counter(
                  after,
                  "apigateway_otel.logs.metrics.late",
                  Attributes.of(AttributeKey.stringKey("reason"), "closed")))
          .isEqualTo(1);
      assertThat(
              RequestMetricsHarness.counter(
                  after,
                  "apigateway_otel.logs.metrics.late",
                  Attributes.of(AttributeKey.stringKey("reason"), "future")))
          .isEqualTo(1);
      assertThat(h.logs.getFinishedLogRecordItems())
          .as("late lines are still log records")
          .hasSize(4);
    }
  }

  @Test
  void aStageBeyondItsSeriesLimitCountsTheRestInItsOverflowSeries() {
    try (RequestMetricsHarness h =
        new RequestMetricsHarness(
            M + MINUTE, AggregationTemporality.DELTA, b -> b.setMaxSeriesPerStage(2))) {
      h.emit(line("r1", M + 1, "GET", "/a", 200, 10, null));
      h.emit(line("r2", M + 2, "GET", "/b", 200, 10, null));
      h.emit(line("r3", M + 3, "GET", "/c", 200, 10, null));
      h.emit(line("r4", M + 4, "GET", "/d", 500, 10, null));
      h.emit(line("r5", M + 5, "GET", "/a", 200, 10, null));
      h.clock.setMillis(M + 10 * MINUTE);
      List<MetricData> metrics = h.collect();
      List<LongPointData> requests = sum(metrics, REQUESTS);
      assertThat(requests).hasSize(3);
      LongPointData overflow =
          requests.stream()
              .filter(p -> Boolean.TRUE.equals(p.getAttributes().get(OVERFLOW)))
              .findFirst()
              .orElseThrow();
      assertThat(overflow.getValue()).isEqualTo(2);
      assertThat(overflow.getAttributes().asMap())
          .containsEntry(AttributeKey.stringKey("aws.apigateway.stage"), "prod")
          .doesNotContainKey(ROUTE)
          .doesNotContainKey(STATUS);
      assertThat(requests.stream().mapToLong(LongPointData::getValue).sum()).isEqualTo(5);
      assertThat(
              RequestMetricsHarness.counter(
                  metrics, "apigateway_otel.logs.metrics.overflow", Attributes.empty()))
          .isEqualTo(2);
    }
  }

  @Test
  void aValueTooLongToBeARouteTemplateCountsInTheOverflowSeriesNotAsAnAttribute() {
    try (RequestMetricsHarness h =
        new RequestMetricsHarness(M + MINUTE, AggregationTemporality.DELTA)) {
      h.emit(line("r1", M + 1, "GET", "/" + "x".repeat(300), 200, 10, null));
      h.emit(line("r2", M + 2, "GET", "/pets", 200, 10, null));
      h.clock.setMillis(M + 10 * MINUTE);
      List<LongPointData> requests = sum(h.collect(), REQUESTS);
      assertThat(requests).hasSize(2);
      assertThat(requests)
          .filteredOn(p -> Boolean.TRUE.equals(p.getAttributes().get(OVERFLOW)))
          .singleElement()
          .satisfies(p -> assertThat(p.getAttributes().get(ROUTE)).isNull());
    }
  }

  @Test
  void histogramBucketsCarryTheXrayTraceOfARequestAsAnExemplar() {
    try (RequestMetricsHarness h =
        new RequestMetricsHarness(M + MINUTE, AggregationTemporality.DELTA)) {
      h.emit(line("r1", M + 1_000, "GET", "/pets", 200, 120, null));
      h.emit(line("r2", M + 2_000, "GET", "/pets", 200, 130, TRACE));
      h.emit(
          line("r3", M + 3_000, "GET", "/pets", 200, 140, "1-5759e988-000000000000000000000001"));
      h.emit(line("r4", M + 4_000, "GET", "/pets", 200, 3, "1-5759e988-000000000000000000000002"));
      h.clock.setMillis(M + 10 * MINUTE);
      HistogramPointData point = histogram(h.collect(), DURATION).get(0);
      assertThat(point.getExemplars()).hasSize(2); // one per bucket: (0.1, 0.25] and (0, 0.005]
      DoubleExemplarData slow =
          point.getExemplars().stream().filter(e -> e.getValue() > 0.1).findFirst().orElseThrow();
      assertThat(slow.getSpanContext().getTraceId()).isEqualTo("5759e988bd862e3fe1be46a994272793");
      assertThat(slow.getValue()).isEqualTo(0.13);
      assertThat(slow.getEpochNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(M + 2_000));
      assertThat(slow.getFilteredAttributes().get(AttributeKey.stringKey("aws.request_id")))
          .isEqualTo("r2");
      assertThat(h.logs.getFinishedLogRecordItems().get(1).getSpanContext().getTraceId())
          .as("the same trace as the log record")
          .isEqualTo(slow.getSpanContext().getTraceId());
    }
  }

  @Test
  void serverErrorsCarryErrorTypeAndRoutesComeFromTemplatesNeverRawPaths() {
    AccessLogFormat http =
        AccessLogFormat.of(
            "$context.requestTimeEpoch $context.status $context.httpMethod $context.path \"$context.routeKey\"");
    try (RequestMetricsHarness h =
        new RequestMetricsHarness(M + MINUTE, AggregationTemporality.DELTA)) {
      h.bridge.emit(http, (M + 1) + " 503 GET /pets/17 \"GET /pets/{id}\"", LogOrigin.unknown(), M);
      h.bridge.emit(http, (M + 2) + " 404 GET /pets/18 \"GET /pets/{id}\"", LogOrigin.unknown(), M);
      h.bridge.emit(http, (M + 3) + " 418 BREW /coffee \"$default\"", LogOrigin.unknown(), M);
      h.clock.setMillis(M + 10 * MINUTE);
      List<MetricData> metrics = h.collect();
      assertThat(histogram(metrics, DURATION)).as("no latency in this format").isEmpty();
      List<LongPointData> requests = sum(metrics, REQUESTS);
      assertThat(requests).hasSize(3);
      assertThat(requests)
          .extracting(p -> p.getAttributes().get(ROUTE))
          .containsExactlyInAnyOrder("/pets/{id}", "/pets/{id}", null);
      LongPointData error =
          requests.stream()
              .filter(p -> p.getAttributes().get(STATUS) == 503)
              .findFirst()
              .orElseThrow();
      assertThat(error.getAttributes().get(ERROR_TYPE)).isEqualTo("503");
      LongPointData teapot =
          requests.stream()
              .filter(p -> p.getAttributes().get(STATUS) == 418)
              .findFirst()
              .orElseThrow();
      assertThat(teapot.getAttributes().get(AttributeKey.stringKey("http.request.method")))
          .isEqualTo("_OTHER");
      assertThat(teapot.getAttributes().get(AttributeKey.stringKey("aws.apigateway.route_key")))
          .isEqualTo("$default");
      assertThat(teapot.getAttributes().get(ERROR_TYPE)).isNull();
    }
  }

  @Test
  void deltaGivesEachClosedMinuteOnceAndAFailedExportOffersItAgain() {
    try (RequestMetricsHarness h =
        new RequestMetricsHarness(M + MINUTE, AggregationTemporality.DELTA)) {
      FlakyMetricExporter backend = new FlakyMetricExporter();
      MetricExporter exporter = h.requestMetrics.wrap(backend);
      h.emit(line("r1", M + 1_000, "GET", "/pets", 200, 10, null));
      h.clock.setMillis(M + 5 * MINUTE);
      backend.down.set(true);
      assertThat(exporter.export(produce(h)).isSuccess()).isFalse();
      assertThat(backend.exported).isEmpty();
      backend.down.set(false);
      assertThat(exporter.export(produce(h)).isSuccess()).isTrue();
      assertThat(exporter.export(produce(h)).isSuccess()).isTrue();
      assertThat(sum(backend.exported, REQUESTS))
          .as("offered again once, then never")
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.getValue()).isEqualTo(1);
                assertThat(p.getStartEpochNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(M));
              });
      assertThat(h.requestMetrics.producer().retainedPoints()).isZero();
    }
  }

  @Test
  void cumulativeGivesRunningTotalsFromTheFirstMinuteAtEveryCollection() {
    try (RequestMetricsHarness h =
        new RequestMetricsHarness(M + MINUTE, AggregationTemporality.CUMULATIVE)) {
      h.emit(line("r1", M + 1_000, "GET", "/pets", 200, 10, null));
      h.clock.setMillis(M + 4 * MINUTE);
      h.emit(line("r2", M + 3 * MINUTE + 1, "GET", "/pets", 200, 10, null));
      LongPointData first = sum(h.collect(), REQUESTS).get(0);
      assertThat(first.getValue()).isEqualTo(1);
      assertThat(sum(h.collect(), REQUESTS).get(0).getValue()).as("idempotent").isEqualTo(1);
      h.clock.setMillis(M + 7 * MINUTE);
      LongPointData second = sum(h.collect(), REQUESTS).get(0);
      assertThat(second.getValue()).isEqualTo(2);
      assertThat(second.getStartEpochNanos())
          .isEqualTo(first.getStartEpochNanos())
          .isEqualTo(TimeUnit.MILLISECONDS.toNanos(M));
      assertThat(second.getEpochNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(M + 4 * MINUTE));
      assertThat(
              RequestMetricsHarness.metric(h.collect(), REQUESTS)
                  .getLongSumData()
                  .getAggregationTemporality())
          .isEqualTo(AggregationTemporality.CUMULATIVE);
    }
  }

  @Test
  void withDeltaEveryPushReaderGetsEveryMinuteAndAPullReaderRunningTotals() {
    int[] collecting = {0};
    try (RequestMetricsHarness h =
        new RequestMetricsHarness(
            M + MINUTE,
            AggregationTemporality.DELTA,
            b -> b.setReaderLanes(() -> 3, () -> collecting[0], lane -> lane == 2))) {
      h.emit(line("r1", M + 1_000, "GET", "/pets", 200, 10, null));
      h.clock.setMillis(M + 5 * MINUTE);
      for (int lane : new int[] {0, 1}) {
        collecting[0] = lane;
        assertThat(sum(produce(h), REQUESTS))
            .as("push lane %d", lane)
            .singleElement()
            .satisfies(p -> assertThat(p.getValue()).isEqualTo(1));
        assertThat(sum(produce(h), REQUESTS)).as("lane %d, again", lane).isEmpty();
      }
      collecting[0] = 2;
      for (int scrape = 0; scrape < 2; scrape++) {
        MetricData pulled = RequestMetricsHarness.metric(produce(h), REQUESTS);
        assertThat(pulled.getLongSumData().getAggregationTemporality())
            .isEqualTo(AggregationTemporality.CUMULATIVE);
        assertThat(pulled.getLongSumData().getPoints())
            .singleElement()
            .satisfies(p -> assertThat(p.getValue()).isEqualTo(1));
      }
    }
  }

  private static List<MetricData> produce(RequestMetricsHarness h) {
    return new ArrayList<>(h.requestMetrics.metricProducer().produce(Resource.empty()));
  }

  /** A metric backend that fails while down and keeps what it got. */
  private static final class FlakyMetricExporter implements MetricExporter {
    final AtomicBoolean down = new AtomicBoolean();
    final List<MetricData> exported = new ArrayList<>();

    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
      if (down.get()) {
        return CompletableResultCode.ofFailure();
      }
      exported.addAll(metrics);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
      return AggregationTemporality.DELTA;
    }
  }
}
