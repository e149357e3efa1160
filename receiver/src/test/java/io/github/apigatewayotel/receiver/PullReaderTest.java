package io.github.apigatewayotel.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A pull reader (the OpenTelemetry Prometheus exporter's reader) beside a push reader (OTLP), both
 * wrapped by {@link MetricReaderLanes}: every collection of the pull reader shows each series'
 * current state, once (a counter its running total, a gauge its latest period), whatever the push
 * reader's temporality; the push reader keeps getting every period once with its CloudWatch time.
 */
class PullReaderTest {

  private static final String PETS_API = "a1b2c3d4e5";

  @RegisterExtension final ReceiverHarness harness = ReceiverHarness.demo();
  private SdkMeterProvider provider;
  private ApiGatewayMetricsReceiver receiver;
  private PrometheusMetricReader prometheus;

  /**
   * The receiver polling every {@code pollInterval}, a push reader (OTLP) and a pull reader beside
   * it.
   */
  private void start(Duration pollInterval) {
    MetricExportConfirmations confirmations = MetricExportConfirmations.create();
    MetricReaderLanes lanes = MetricReaderLanes.create();
    // delta for the push reader: the pull reader must show running totals all the same (the
    // Prometheus exporter drops delta sums whole)
    receiver =
        harness
            .receiverBuilder()
            .aggregationTemporality(AggregationTemporality.DELTA)
            .pollInterval(pollInterval)
            .discoveryInterval(Duration.ofMinutes(1))
            .exportConfirmations(confirmations)
            .metricReaderLanes(lanes)
            .build();
    prometheus = PrometheusMetricReader.create();
    provider =
        SdkMeterProvider.builder()
            .registerMetricReader(
                lanes.wrap(
                    PeriodicMetricReader.builder(
                            confirmations.wrap(
                                OtlpHttpMetricExporter.builder()
                                    .setEndpoint(harness.otlp.endpoint() + "/v1/metrics")
                                    .setAggregationTemporalitySelector(
                                        AggregationTemporalitySelector.deltaPreferred())
                                    .setRetryPolicy(null)
                                    .build()))
                        .setInterval(Duration.ofHours(1))
                        .build()))
            .registerMetricReader(lanes.wrap(prometheus))
            .registerMetricProducer(receiver.metricProducer())
            .build();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (receiver != null) {
      receiver.close();
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  private void pollAndPush() {
    receiver.pollOnce();
    provider.forceFlush().join(10, TimeUnit.SECONDS);
  }

  @Test
  void everyScrapeShowsEachSeriesOnceWithItsTotalOrLatestValue() {
    start(Duration.ofMinutes(1));
    pollAndPush(); // the first poll reads 10 periods of every series: 10 points each for OTLP
    Map<String, Double> pushedTotals = pushed();
    assertThat(pushedTotals).hasSizeGreaterThan(100);
    assertThat(harness.points())
        .as("OTLP got each period")
        .hasSizeGreaterThan(5 * pushedTotals.size());

    MetricSnapshots first = prometheus.collect(); // must not fail on duplicate label sets
    Map<String, Double> firstScrape = scraped(first);
    assertThat(firstScrape).hasSameSizeAs(pushedTotals);
    firstScrape.forEach(
        (series, value) ->
            assertThat(value)
                .as(series)
                .isEqualTo(series.startsWith("counter ") ? 0.0 : pushedTotals.get(series)));

    for (int scrape = 0; scrape < 3; scrape++) { // every scrape: not drained, never stale
      assertThat(scraped(prometheus.collect())).as("scrape %d", scrape).isEqualTo(pushedTotals);
    }

    harness.clock.advance(Duration.ofMinutes(1));
    pollAndPush(); // one more period
    Map<String, Double> later = pushed();
    assertThat(later).isNotEqualTo(pushedTotals);
    assertThat(scraped(prometheus.collect())).isEqualTo(later);
  }

  /**
   * Whole polls {@code intervalMinutes} apart: a series is kept 10 minutes after the poll that last
   * brought it a period, or 3 poll intervals when longer (15 minutes at the default 5-minute
   * interval, so that a series read once per interval is not dropped between its polls).
   */
  @ParameterizedTest(name = "poll interval {0} min: shown {1} min")
  @CsvSource({"1, 10", "5, 15"})
  void
      aSeriesThatStopsReportingIsShownForTenMinutesOrThreePollIntervalsThenDroppedAndACounterComingBackStartsOver(
          int intervalMinutes, int shownMinutes) {
    Duration interval = Duration.ofMinutes(intervalMinutes);
    start(interval);
    pollAndPush();
    prometheus.collect();
    Map<String, Double> before = scraped(prometheus.collect());
    long petsSeries = before.keySet().stream().filter(PullReaderTest::isPets).count();
    assertThat(petsSeries).isPositive();
    long createdBefore = createdMillis(prometheus.collect(), "aws_apigateway_count");

    SimulatedAccount.Api pets = harness.account.api(PETS_API);
    harness.account.deleteApi(PETS_API); // CloudWatch gets no more data for it
    for (int minute = intervalMinutes; minute <= shownMinutes; minute += intervalMinutes) {
      harness.clock.advance(interval);
      pollAndPush();
      assertThat(
              scraped(prometheus.collect()).keySet().stream()
                  .filter(PullReaderTest::isPets)
                  .count())
          .as("minute %d: still shown", minute)
          .isEqualTo(petsSeries);
    }
    harness.clock.advance(interval);
    pollAndPush();
    Map<String, Double> after = scraped(prometheus.collect());
    assertThat(after.keySet()).noneMatch(PullReaderTest::isPets);
    assertThat(after).as("the other APIs' series").hasSize(before.size() - (int) petsSeries);

    harness.account.addApi(pets); // it reports again: its counters start over
    int pushedBefore = harness.points().size();
    harness.clock.advance(interval);
    pollAndPush();
    prometheus.collect();
    MetricSnapshots back = prometheus.collect();
    assertThat(scraped(back).keySet().stream().filter(PullReaderTest::isPets).count()).isPositive();
    assertThat(createdMillis(back, "aws_apigateway_count"))
        .as("a new start time")
        .isGreaterThan(createdBefore);
    List<ReceiverHarness.Point> all = harness.points();
    Map<String, Double> pushedSinceBack = pushed(all.subList(pushedBefore, all.size()));
    scraped(back)
        .forEach(
            (series, value) -> {
              if (isPets(series) && series.startsWith("counter ")) {
                assertThat(value)
                    .as("%s counts only the periods since it came back", series)
                    .isEqualTo(pushedSinceBack.get(series));
              }
            });
  }

  private static boolean isPets(String series) {
    return series.contains("aws_apigateway_api_id=" + PETS_API);
  }

  /** The earliest start time of the pets-api series of counter {@code name}. */
  private static long createdMillis(MetricSnapshots snapshots, String name) {
    long created = Long.MAX_VALUE;
    for (MetricSnapshot snapshot : snapshots) {
      if (snapshot instanceof CounterSnapshot counter
          && counter.getMetadata().getName().equals(name)) {
        for (CounterSnapshot.CounterDataPointSnapshot point : counter.getDataPoints()) {
          if (isPets(labels(point.getLabels()))) {
            created = Math.min(created, point.getCreatedTimestampMillis());
          }
        }
      }
    }
    assertThat(created).isNotEqualTo(Long.MAX_VALUE);
    return created;
  }

  /**
   * Each aws.apigateway.* series the push reader got, by kind, Prometheus name and labels: a sum
   * with the total of its deltas, a gauge with its latest period's value.
   */
  private Map<String, Double> pushed() {
    return pushed(harness.points());
  }

  private static Map<String, Double> pushed(List<ReceiverHarness.Point> points) {
    Map<String, Double> values = new HashMap<>();
    Map<String, Long> latestTime = new HashMap<>();
    for (ReceiverHarness.Point p : points) {
      NumberDataPoint point = p.point();
      Map<String, String> labels = new TreeMap<>();
      p.attributes()
          .forEach((key, value) -> labels.put(key.replaceAll("[^a-zA-Z0-9_]", "_"), value));
      String name =
          p.name().replaceAll("[^a-zA-Z0-9_]", "_")
              + switch (p.metric().getUnit()) {
                case "ms" -> "_milliseconds";
                case "By" -> "_bytes";
                default -> "";
              };
      if (p.metric().hasSum()) {
        values.merge("counter " + name + labels, point.getAsDouble(), Double::sum);
      } else {
        String key = "gauge " + name + labels;
        if (point.getTimeUnixNano() >= latestTime.getOrDefault(key, Long.MIN_VALUE)) {
          latestTime.put(key, point.getTimeUnixNano());
          values.put(key, point.getAsDouble());
        }
      }
    }
    return values;
  }

  /**
   * Each aws_apigateway_* series of one scrape, keyed as {@link #pushed}; fails on a repeated one.
   */
  private static Map<String, Double> scraped(MetricSnapshots snapshots) {
    Map<String, Double> values = new HashMap<>();
    for (MetricSnapshot snapshot : snapshots) {
      String name = snapshot.getMetadata().getName();
      if (!name.startsWith("aws_apigateway_")) {
        continue;
      }
      for (DataPointSnapshot point : snapshot.getDataPoints()) {
        String key;
        double value;
        if (snapshot instanceof CounterSnapshot) {
          key = "counter " + name + labels(point.getLabels());
          value = ((CounterSnapshot.CounterDataPointSnapshot) point).getValue();
        } else {
          assertThat(snapshot).isInstanceOf(GaugeSnapshot.class);
          key = "gauge " + name + labels(point.getLabels());
          value = ((GaugeSnapshot.GaugeDataPointSnapshot) point).getValue();
        }
        assertThat(values.put(key, value)).as("shown twice: %s", key).isNull();
      }
    }
    return values;
  }

  /** The point's labels without the exporter's own (otel_scope_*), sorted. */
  private static String labels(Labels labels) {
    Map<String, String> map = new TreeMap<>();
    for (int i = 0; i < labels.size(); i++) {
      if (!labels.getName(i).startsWith("otel_scope_")) {
        map.put(labels.getName(i), labels.getValue(i));
      }
    }
    return map.toString();
  }
}
