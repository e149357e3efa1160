package io.github.apigatewayotel.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code Metric:stat|stat,...} picks statistics of the metric table per CloudWatch metric (others
 * keep all of theirs); anything the table does not have is refused with the offending token named;
 * over the wire, only the chosen statistics are queried, billed and exported.
 */
class MetricStatisticsTest {

  @RegisterExtension final ReceiverHarness harness = ReceiverHarness.demo();

  @Test
  void theTableIsDesignsAndTheDefaultTakesAllOfIt() {
    Map<String, List<String>> table = MetricStatistics.table();
    assertThat(table.get("Latency"))
        .containsExactly("Average", "Maximum", "Minimum", "p50", "p75", "p90", "p95", "p99");
    assertThat(table.get("IntegrationLatency"))
        .containsExactly("Average", "Maximum", "Minimum", "p90", "p95", "p99");
    assertThat(table.get("Count")).containsExactly("Sum");
    assertThat(table.get("MessageCount")).containsExactly("Average", "Sum");
    assertThat(table).hasSize(15);
    assertThat(MetricStatistics.all().statistics("Latency")).isEqualTo(table.get("Latency"));
    assertThat(MetricStatistics.parse(" ")).isEqualTo(MetricStatistics.all());
  }

  @Test
  void aChoiceKeepsTheTablesSpellingAndOrder() {
    MetricStatistics chosen =
        MetricStatistics.parse("Latency:P99|average, IntegrationLatency : p99");
    assertThat(chosen.statistics("Latency")).containsExactly("Average", "p99");
    assertThat(chosen.statistics("IntegrationLatency")).containsExactly("p99");
    assertThat(chosen.statistics("Count"))
        .containsExactly("Sum"); // not named: all of its statistics
    assertThat(chosen).hasToString("Latency:Average|p99,IntegrationLatency:p99");
    assertThat(MetricStatistics.parse(chosen.toString())).isEqualTo(chosen);
  }

  @Test
  void whatTheTableDoesNotHaveIsRefusedByName() {
    assertThatThrownBy(() -> MetricStatistics.parse("Latency:p99,Latncy:p99"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown CloudWatch metric 'Latncy'");
    assertThatThrownBy(() -> MetricStatistics.parse("latency:p99"))
        .hasMessageContaining("'latency'")
        .hasMessageContaining("did you mean 'Latency'");
    assertThatThrownBy(() -> MetricStatistics.parse("IntegrationLatency:p50"))
        .hasMessageContaining("unknown statistic 'p50' of CloudWatch metric 'IntegrationLatency'")
        .hasMessageContaining("[Average, Maximum, Minimum, p90, p95, p99]");
    assertThatThrownBy(() -> MetricStatistics.parse("Count:Average"))
        .hasMessageContaining("unknown statistic 'Average'");
    assertThatThrownBy(() -> MetricStatistics.parse("Latency"))
        .hasMessageContaining("'Latency' is not Metric:stat|stat");
    assertThatThrownBy(() -> MetricStatistics.parse("Latency:"))
        .hasMessageContaining("'Latency' names no statistic");
    assertThatThrownBy(() -> MetricStatistics.parse("Latency:p99,Latency:p50"))
        .hasMessageContaining("named twice");
    assertThatThrownBy(() -> MetricStatistics.parse("Latency:p99,"))
        .hasMessageContaining("is not Metric:stat|stat");
  }

  @Test
  void onlyTheChosenStatisticsAreQueriedBilledAndExported() throws Exception {
    PollSummary all;
    Set<String> allNames;
    try (ReceiverHarness reference = ReceiverHarness.demo()) {
      all =
          reference
              .export(reference.receiverBuilder().detailedMetrics(false).build())
              .pollAndExport();
      allNames = names(reference);
    }

    long billedBefore = harness.cloudWatch.metricsRequested();
    var chosen =
        harness.export(
            harness
                .receiverBuilder()
                .detailedMetrics(false)
                .statistics(MetricStatistics.parse("Latency:p99|Average,IntegrationLatency:p99"))
                .build());
    PollSummary some = chosen.pollAndExport();
    assertThat(harness.cloudWatch.metricsRequested() - billedBefore).isEqualTo(some.queries());

    Set<String> expected = new TreeSet<>(allNames);
    expected.removeAll(
        Set.of(
            "aws.apigateway.latency.maximum",
            "aws.apigateway.latency.minimum",
            "aws.apigateway.latency.p50",
            "aws.apigateway.latency.p75",
            "aws.apigateway.latency.p90",
            "aws.apigateway.latency.p95",
            "aws.apigateway.integration_latency",
            "aws.apigateway.integration_latency.maximum",
            "aws.apigateway.integration_latency.minimum",
            "aws.apigateway.integration_latency.p90",
            "aws.apigateway.integration_latency.p95"));
    assertThat(names(harness))
        .isEqualTo(expected)
        .contains(
            "aws.apigateway.latency",
            "aws.apigateway.latency.p99",
            "aws.apigateway.integration_latency.p99",
            "aws.apigateway.count");
    // REST and HTTP series have both latencies: 6 + 5 fewer queries each; WebSocket 5 fewer
    assertThat(some.queries()).isLessThan(all.queries() / 2);
    assertThat(some.series()).isEqualTo(all.series());
  }

  private static Set<String> names(ReceiverHarness harness) {
    Set<String> names = new TreeSet<>();
    harness.points().forEach(p -> names.add(p.name()));
    return names;
  }
}
