package io.github.apigatewayotel.receiver;

import io.github.apigatewayotel.testing.aws.ApiGatewaySimulator;
import io.github.apigatewayotel.testing.aws.CloudWatchSimulator;
import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.aws.StsSimulator;
import io.github.apigatewayotel.testing.aws.TaggingSimulator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The "What it costs" table of docs/cost.md, measured: for accounts of 10, 100 and 1,000 APIs (the
 * scale benchmark's shape: REST, HTTP and WebSocket in turn, 3 stages, 2 routes with detailed
 * metrics), the receiver polls the simulated account as its scheduler does (a tick a minute,
 * simulated clock) and the simulated CloudWatch counts the metric requests it bills over {@code
 * minutes} steady minutes, scaled to a 30-day month; next to it, what CloudWatch Metric Streams
 * would bill for the same series: one metric update per series per minute, plus one per set of up
 * to five percentile statistics (Latency's five, IntegrationLatency's three), at $0.003 per 1,000
 * (Firehose extra). Arguments: [minutes (15)] [API counts (10,100,1000)].
 *
 * <pre>./mvnw -B -q -pl receiver test-compile exec:exec@cost-table</pre>
 */
public final class CostTable {

  private static final String REGION = "us-east-1";
  private static final double GET_METRIC_DATA_PER_THOUSAND =
      CloudWatchCost.DEFAULT_PRICE_PER_THOUSAND_METRIC_REQUESTS;
  private static final double METRIC_STREAMS_PER_THOUSAND = 0.003;
  private static final double MINUTES_PER_MONTH = 30 * 24 * 60;

  /** A choice of statistics that keeps the latency's average and p99 and every count. */
  private static final String FEW_STATISTICS = "Latency:p99|Average,IntegrationLatency:p99";

  private record Setting(String name, UnaryOperator<ApiGatewayMetricsReceiverBuilder> configure) {}

  private static final List<Setting> SETTINGS =
      List.of(
          new Setting("defaults (every 5 min)", b -> b),
          new Setting("1-minute polling", b -> b.pollInterval(Duration.ofMinutes(1))),
          new Setting("detailed=false", b -> b.detailedMetrics(false)),
          new Setting(
              "statistics=" + FEW_STATISTICS,
              b -> b.statistics(MetricStatistics.parse(FEW_STATISTICS))));

  public static void main(String[] args) throws Exception {
    int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    String[] counts = (args.length > 1 ? args[1] : "10,100,1000").split(",");
    StringBuilder table = new StringBuilder();
    table.append(
        "| APIs | series | GetMetricData: defaults (every 5 min) | 1-minute polling | `detailed=false` |"
            + " `statistics="
            + FEW_STATISTICS.replace("|", "\\|")
            + "` | Metric Streams, same series and statistics |\n"
            + "| --- | --- | --- | --- | --- | --- | --- |\n");
    for (String count : counts) {
      int apis = Integer.parseInt(count.trim());
      StringBuilder row = new StringBuilder("| " + String.format(Locale.ROOT, "%,d", apis));
      long series = 0;
      long updatesPerMinute = 0;
      for (Setting setting : SETTINGS) {
        Measured measured = measure(apis, setting, minutes);
        if (series == 0) {
          series = measured.series;
          updatesPerMinute = measured.metricStreamUpdatesPerMinute;
          row.append(" | ").append(String.format(Locale.ROOT, "%,d", series));
        }
        double perMonth = measured.metricRequests * MINUTES_PER_MONTH / minutes;
        row.append(
            String.format(
                Locale.ROOT,
                " | %,.0f requests, **$%,.2f**",
                perMonth,
                perMonth / 1000 * GET_METRIC_DATA_PER_THOUSAND));
        System.err.printf(
            Locale.ROOT,
            "%d APIs, %s: %d metric requests in %d minutes (%d queries per interval,"
                + " estimate %,.0f per month)%n",
            apis,
            setting.name,
            measured.metricRequests,
            minutes,
            measured.queriesPerInterval,
            measured.estimatePerMonth);
      }
      double updates = updatesPerMinute * MINUTES_PER_MONTH;
      row.append(
          String.format(
              Locale.ROOT,
              " | %,.0f updates, **$%,.2f** + Firehose |",
              updates,
              updates / 1000 * METRIC_STREAMS_PER_THOUSAND));
      table.append(row).append('\n');
    }
    System.out.print(table);
  }

  private record Measured(
      long series,
      long metricRequests,
      int queriesPerInterval,
      double estimatePerMonth,
      long metricStreamUpdatesPerMinute) {}

  private static Measured measure(int apis, Setting setting, int minutes) throws Exception {
    SimulatedAccount account =
        new SimulatedAccount("123456789012", 7).addGeneratedApis(REGION, apis, 3, 2);
    MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:30Z"));
    account.setClock(clock::instant);
    CloudWatchSimulator cloudWatch = new CloudWatchSimulator(account);
    try (FakeAwsServer aws =
            FakeAwsServer.start()
                .register(cloudWatch)
                .register(new ApiGatewaySimulator(account))
                .register(new TaggingSimulator(account))
                .register(new StsSimulator(account));
        ApiGatewayMetricsReceiver receiver =
            setting
                .configure
                .apply(
                    ApiGatewayMetricsReceiver.builder()
                        .addRegion(REGION)
                        .endpointOverride(aws.endpoint())
                        .credentialsProvider(
                            StaticCredentialsProvider.create(
                                AwsBasicCredentials.create("AKIDTEST", "secret")))
                        .clock(clock))
                .build()) {
      for (int tick = 0;
          tick < 5;
          tick++) { // the discovery, and each slice's first read of the lookback
        receiver.pollNextSlice();
        receiver.metricProducer().produce(io.opentelemetry.sdk.resources.Resource.empty());
        clock.advance(Duration.ofMinutes(1));
      }
      long before = cloudWatch.metricsRequested();
      for (int tick = 0; tick < minutes; tick++) {
        receiver.pollNextSlice();
        receiver.metricProducer().produce(io.opentelemetry.sdk.resources.Resource.empty());
        clock.advance(Duration.ofMinutes(1));
      }
      // what ListMetrics with RecentlyActive=PT3H lists
      List<SimulatedAccount.Series> listed = cloudWatch.account().recentlyActiveSeries(REGION);
      long updates = 0;
      for (SimulatedAccount.Series s : listed) {
        // Metric Streams sends Min, Max, Sum and SampleCount in one update, each set of up to 5
        // additional statistics (percentiles) as one more
        updates +=
            s.metricName().equals("Latency") || s.metricName().equals("IntegrationLatency") ? 2 : 1;
      }
      CloudWatchCost cost = receiver.costEstimates().get(0);
      return new Measured(
          listed.size(),
          cloudWatch.metricsRequested() - before,
          receiver.queriesPerPoll(),
          cost.metricRequestsPerMonth(),
          updates);
    }
  }
}
