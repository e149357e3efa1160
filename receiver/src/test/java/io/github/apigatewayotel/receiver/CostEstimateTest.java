package io.github.apigatewayotel.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The cost the receiver announces (logged after each discovery, published as {@code
 * apigateway_otel.receiver.cost.*} gauges, returned by {@code costEstimates()}) is what the
 * simulated CloudWatch bills: a simulated day of polls at the defaults is billed the estimate's
 * metric requests per month / 30, within 5%.
 */
class CostEstimateTest {

  private final Logger logger = Logger.getLogger("io.github.apigatewayotel.receiver");
  private final List<String> infos = new ArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (record.getLevel().intValue() >= Level.INFO.intValue()) {
            synchronized (infos) {
              infos.add(record.getMessage());
            }
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @RegisterExtension final ReceiverHarness harness = ReceiverHarness.demo();

  @BeforeEach
  void setUp() throws Exception {
    logger.addHandler(capture);
  }

  @AfterEach
  void tearDown() throws Exception {
    logger.removeHandler(capture);
  }

  @Test
  void aSimulatedDayAtTheDefaultsIsBilledWhatTheEstimateSays() {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    try (SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(reader).build();
        ApiGatewayMetricsReceiver receiver =
            harness.receiverBuilder().detailedMetrics(false).meterProvider(meters).build()) {
      // Whole polls 5 minutes apart: each query is billed once per poll interval, as with the
      // scheduler's ticks that read a fifth of the queries each minute (PollSpreadTest).
      long billedBefore = harness.cloudWatch.metricsRequested();
      for (int poll = 0; poll < 24 * 12; poll++) {
        receiver.pollOnce();
        harness.clock.advance(Duration.ofMinutes(5));
      }
      long billedInADay = harness.cloudWatch.metricsRequested() - billedBefore;
      assertThat(billedInADay).isPositive();

      CloudWatchCost cost = receiver.costEstimates().get(0);
      assertThat(cost.region()).isEqualTo(ReceiverHarness.REGION);
      assertThat(cost.pollInterval()).isEqualTo(Duration.ofMinutes(5));
      assertThat(cost.pollsPerMonth()).isEqualTo(8640.0);
      assertThat(cost.metricRequestsPerMonth() / 30)
          .isCloseTo(billedInADay, within(billedInADay * 0.05));
      assertThat(cost.dollarsPerMonth())
          .isCloseTo(cost.metricRequestsPerMonth() / 1000 * 0.01, within(1e-9));

      Collection<MetricData> metrics = reader.collectAllMetrics();
      assertThat(gauge(metrics, "apigateway_otel.receiver.cost.metric_requests_per_month"))
          .isEqualTo(cost.metricRequestsPerMonth());
      assertThat(gauge(metrics, "apigateway_otel.receiver.cost.dollars_per_month"))
          .isEqualTo(cost.dollarsPerMonth());
      assertThat(gauge(metrics, "apigateway_otel.receiver.cost.queries_per_poll"))
          .isEqualTo(cost.queriesPerPoll());
      // the counter of queries sent is the billed count too
      assertThat(counter(metrics, "apigateway_otel.receiver.get_metric_data.queries"))
          .isEqualTo(billedInADay);
    }
    synchronized (infos) {
      List<String> costLines =
          infos.stream().filter(line -> line.contains("CloudWatch cost in eu-west-1")).toList();
      assertThat(costLines).as("one line per discovery, every 15 minutes").hasSize(24 * 4);
      assertThat(costLines.get(0))
          .contains("GetMetricData queries per poll")
          .contains("8,640 polls per month")
          .contains("metric requests per month")
          .contains("$0.01 per 1,000");
    }
  }

  @Test
  void thePriceIsTheOneConfigured() {
    try (ApiGatewayMetricsReceiver receiver =
        harness
            .receiverBuilder()
            .detailedMetrics(false)
            .pricePerThousandMetricRequests(0.0125)
            .build()) {
      receiver.pollOnce();
      CloudWatchCost cost = receiver.costEstimates().get(0);
      assertThat(cost.queriesPerPoll()).isEqualTo(receiver.queriesPerPoll()).isPositive();
      assertThat(cost.dollarsPerMonth())
          .isCloseTo(cost.queriesPerPoll() * 8640 * 0.0125 / 1000, within(1e-9));
      assertThat(cost.toString()).contains("$0.0125 per 1,000");
    }
  }

  private static double gauge(Collection<MetricData> metrics, String name) {
    MetricData metric =
        metrics.stream().filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
    var point = metric.getData().getPoints().iterator().next();
    assertThat(point.getAttributes().get(AttributeKey.stringKey("cloud.region")))
        .isEqualTo(ReceiverHarness.REGION);
    return point instanceof io.opentelemetry.sdk.metrics.data.LongPointData l
        ? l.getValue()
        : ((io.opentelemetry.sdk.metrics.data.DoublePointData) point).getValue();
  }

  private static long counter(Collection<MetricData> metrics, String name) {
    MetricData metric =
        metrics.stream().filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
    return metric.getLongSumData().getPoints().stream().mapToLong(p -> p.getValue()).sum();
  }
}
