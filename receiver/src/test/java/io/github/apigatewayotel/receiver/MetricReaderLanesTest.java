package io.github.apigatewayotel.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.github.apigatewayotel.testing.otlp.ReceivedMetric;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two metric readers, each with its own OTLP exporter and backend, wrapped by {@link
 * MetricReaderLanes}: each backend gets every CloudWatch datapoint once, and one backend's outage
 * neither costs it points nor holds the other back, nor lets the state directory pass them.
 */
class MetricReaderLanesTest {

  @RegisterExtension final ReceiverHarness harness = ReceiverHarness.demo();

  /** Backend of reader A is the harness's OTLP receiver; this is reader B's. */
  OtlpTestReceiver backendB;

  private SdkMeterProvider provider;
  private ApiGatewayMetricsReceiver receiver;

  @BeforeEach
  void setUp() throws Exception {
    backendB = OtlpTestReceiver.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    stopHost();
    backendB.close();
  }

  /** As a host starts: readers A then B, both wrapped by {@code lanes}, and the receiver. */
  private void startHost(
      ApiGatewayMetricsReceiverBuilder builder,
      MetricReaderLanes lanes,
      UnaryOperator<MetricExporter> wrapExporter) {
    receiver = builder.metricReaderLanes(lanes).build();
    provider =
        SdkMeterProvider.builder()
            .registerMetricReader(lanes.wrap(reader(harness.otlp, wrapExporter)))
            .registerMetricReader(lanes.wrap(reader(backendB, wrapExporter)))
            .registerMetricProducer(receiver.metricProducer())
            .build();
  }

  private static PeriodicMetricReader reader(
      OtlpTestReceiver backend, UnaryOperator<MetricExporter> wrapExporter) {
    MetricExporter exporter =
        OtlpHttpMetricExporter.builder()
            .setEndpoint(backend.endpoint() + "/v1/metrics")
            .setRetryPolicy(null)
            .build(); // a failed export fails at once
    return PeriodicMetricReader.builder(wrapExporter.apply(exporter))
        .setInterval(Duration.ofHours(1))
        .build();
  }

  private PollSummary pollAndFlush() {
    PollSummary summary = receiver.pollOnce();
    flush();
    return summary;
  }

  private void flush() {
    provider.forceFlush().join(10, TimeUnit.SECONDS);
  }

  private void stopHost() {
    if (receiver != null) {
      receiver.close(); // as a host stops: the plugin first, then the SDK's final flush
      provider.shutdown().join(10, TimeUnit.SECONDS);
      receiver = null;
    }
  }

  /** Each aws.apigateway.* point a backend received (metric, attributes, time), with its count. */
  private static Map<String, Integer> received(OtlpTestReceiver backend) {
    Map<String, Integer> counts = new HashMap<>();
    for (ReceivedMetric received : backend.metrics()) {
      Metric metric = received.metric();
      if (!metric.getName().startsWith("aws.apigateway.")) {
        continue;
      }
      List<NumberDataPoint> points =
          metric.hasSum()
              ? metric.getSum().getDataPointsList()
              : metric.getGauge().getDataPointsList();
      for (NumberDataPoint point : points) {
        String key =
            metric.getName()
                + ReceiverHarness.attributes(point.getAttributesList())
                + "@"
                + point.getTimeUnixNano();
        counts.merge(key, 1, Integer::sum);
      }
    }
    return counts;
  }

  @Test
  void theFirstReaderIsLeftAsItIsAndTheOthersAreWrapped() {
    MetricReaderLanes lanes = MetricReaderLanes.create();
    MetricReader first = InMemoryMetricReader.create();
    MetricReader second = InMemoryMetricReader.create();
    assertThat(lanes.wrap(first)).as("a host with one reader keeps it untouched").isSameAs(first);
    assertThat(lanes.wrap(second)).isNotSameAs(second);
    assertThat(lanes.count()).isEqualTo(2);
  }

  @Test
  void aPullReaderGetsEachSeriesNewestPeriodWhileThePushReaderGetsEveryPeriod() {
    MetricReaderLanes lanes = MetricReaderLanes.create();
    InMemoryMetricReader pull = InMemoryMetricReader.create();
    receiver =
        harness.receiverBuilder().lookback(Duration.ofMinutes(5)).metricReaderLanes(lanes).build();
    provider =
        SdkMeterProvider.builder()
            .registerMetricReader(lanes.wrap(reader(harness.otlp, exporter -> exporter)))
            .registerMetricReader(lanes.wrap(pull))
            .registerMetricProducer(receiver.metricProducer())
            .build();
    long polled = receiver.pollOnce().pointsExported();
    List<MetricData> scraped =
        pull.collectAllMetrics().stream()
            .filter(metric -> metric.getName().startsWith("aws.apigateway."))
            .toList();
    flush();

    Map<String, Integer> pushed = received(harness.otlp);
    Map<String, Long> newestPushed = new HashMap<>();
    pushed
        .keySet()
        .forEach(
            key ->
                newestPushed.merge(
                    key.substring(0, key.lastIndexOf('@')),
                    Long.parseLong(key.substring(key.lastIndexOf('@') + 1)),
                    Math::max));
    assertThat(pushed).as("the push reader: every period").hasSize((int) polled);
    assertThat(newestPushed.size())
        .as("several periods per series were polled")
        .isLessThan((int) polled);
    // A Prometheus exporter refuses a metric holding two points of one series.
    List<String> scrapedSeries = new ArrayList<>();
    for (MetricData metric : scraped) {
      Set<Attributes> seen = new HashSet<>();
      for (PointData point : metric.getData().getPoints()) {
        assertThat(seen.add(point.getAttributes()))
            .as("%s once per series", metric.getName())
            .isTrue();
        Map<String, String> attributes = new TreeMap<>();
        point
            .getAttributes()
            .forEach((key, value) -> attributes.put(key.getKey(), String.valueOf(value)));
        scrapedSeries.add(metric.getName() + attributes + "@" + point.getEpochNanos());
      }
    }
    assertThat(scrapedSeries)
        .as("the pull reader: each series' newest period")
        .containsExactlyInAnyOrderElementsOf(
            newestPushed.entrySet().stream()
                .map(entry -> entry.getKey() + "@" + entry.getValue())
                .toList());
  }

  @Test
  void eachReaderGetsEveryDatapointExactlyOnce() {
    startHost(harness.receiverBuilder(), MetricReaderLanes.create(), exporter -> exporter);
    long polled = pollAndFlush().pointsExported();
    harness.clock.advance(Duration.ofMinutes(1));
    polled += pollAndFlush().pointsExported();
    flush(); // nothing left over for either

    Map<String, Integer> a = received(harness.otlp);
    Map<String, Integer> b = received(backendB);
    assertThat(polled).isPositive();
    assertThat(a).hasSize((int) polled);
    assertThat(a.values()).allMatch(n -> n == 1);
    assertThat(b).isEqualTo(a);
  }

  @Test
  void aReaderWhoseBackendWasDownGetsEveryPointAfterItRecoversAndTheOtherNoneTwice() {
    MetricExportConfirmations confirmations = MetricExportConfirmations.create();
    startHost(
        harness
            .receiverBuilder()
            .lookback(Duration.ofMinutes(5))
            .exportConfirmations(confirmations),
        MetricReaderLanes.create(),
        confirmations::wrap);
    backendB.answerWith(503);
    long polled = pollAndFlush().pointsExported();
    harness.clock.advance(Duration.ofMinutes(1));
    polled += pollAndFlush().pointsExported(); // B still down: both polls' points wait in its lane
    assertThat(received(backendB)).isEmpty();
    assertThat(backendB.rejectedRequests()).isGreaterThanOrEqualTo(2);
    Map<String, Integer> a = received(harness.otlp);
    assertThat(a).hasSize((int) polled);

    backendB.answerWith(0); // B accepts again
    flush();
    flush(); // nothing left over for either
    assertThat(received(harness.otlp))
        .as("A, nothing twice")
        .isEqualTo(a)
        .allSatisfy((key, n) -> assertThat(n).isEqualTo(1));
    assertThat(received(backendB)).as("B, everything once").isEqualTo(a);
  }

  @Test
  void theStateDirectoryDoesNotPassPeriodsOneReaderHasNotExported(@TempDir Path state) {
    MetricExportConfirmations confirmations = MetricExportConfirmations.create();
    startHost(
        harness.receiverBuilder().stateDirectory(state).exportConfirmations(confirmations),
        MetricReaderLanes.create(),
        confirmations::wrap);
    pollAndFlush(); // both export
    Map<String, Integer> both = received(harness.otlp);
    assertThat(both).isNotEmpty().isEqualTo(received(backendB));
    harness.clock.advance(Duration.ofMinutes(2));
    backendB.answerWith(503);
    PollSummary lost = pollAndFlush(); // A exports, B refuses, then the host dies
    assertThat(lost.pointsExported()).isPositive();
    stopHost();
    Set<String> missingForB = new HashSet<>(received(harness.otlp).keySet());
    missingForB.removeAll(both.keySet());
    assertThat(missingForB).hasSize((int) lost.pointsExported());
    assertThat(received(backendB)).isEqualTo(both);

    backendB.answerWith(0); // B accepts again; a new host on the same state directory
    MetricExportConfirmations again = MetricExportConfirmations.create();
    startHost(
        harness.receiverBuilder().stateDirectory(state).exportConfirmations(again),
        MetricReaderLanes.create(),
        again::wrap);
    PollSummary after = pollAndFlush();
    assertThat(after.pointsExported())
        .as("B's missing periods read again")
        .isEqualTo(lost.pointsExported());
    Map<String, Integer> b = received(backendB);
    assertThat(b.values()).allMatch(n -> n == 1);
    assertThat(b.keySet()).containsAll(missingForB).hasSize(both.size() + missingForB.size());
    // A was ahead: it gets exactly those periods a second time (the README says so), nothing else
    Map<String, Integer> a = received(harness.otlp);
    a.forEach((key, n) -> assertThat(n).as(key).isEqualTo(missingForB.contains(key) ? 2 : 1));
  }
}
