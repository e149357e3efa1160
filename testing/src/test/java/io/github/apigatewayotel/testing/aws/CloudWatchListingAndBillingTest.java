package io.github.apigatewayotel.testing.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.apigatewayotel.testing.aws.SimulatedAccount.Series;
import io.github.apigatewayotel.testing.aws.cloudwatch.CloudWatchError;
import io.github.apigatewayotel.testing.aws.cloudwatch.Dimension;
import io.github.apigatewayotel.testing.aws.cloudwatch.GetMetricDataRequest;
import io.github.apigatewayotel.testing.aws.cloudwatch.ListMetricsRequest;
import io.github.apigatewayotel.testing.aws.cloudwatch.ListMetricsResult;
import io.github.apigatewayotel.testing.aws.cloudwatch.Metric;
import io.github.apigatewayotel.testing.aws.cloudwatch.MetricDataQuery;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * ListMetrics' {@code RecentlyActive=PT3H} lists only series with datapoints in the past three
 * hours (a series coming back is listed again only after the listing lag), and the simulator bills
 * GetMetricData as CloudWatch does: every query of every answered request, NextToken pages
 * included, refused requests not at all.
 */
class CloudWatchListingAndBillingTest {

  private static final String REGION = "eu-west-1";
  private static final String IDLE_API = "q1w2e3r4t5"; // inventory-http in the demo account
  private static final Instant T = Instant.parse("2026-11-24T12:00:00Z");

  private final AtomicReference<Instant> now = new AtomicReference<>(T);
  private final SimulatedAccount account = SimulatedAccount.demo("123456789012", REGION, 42);
  private final CloudWatchSimulator cloudWatch = new CloudWatchSimulator(account);

  CloudWatchListingAndBillingTest() {
    account.setClock(now::get);
  }

  @Test
  void recentlyActiveListsOnlySeriesWithDataInThePastThreeHoursAndTheReturningOnesLate() {
    List<Metric> all = metrics(account.series(REGION));
    assertThat(recentlyActive()).isEqualTo(all); // every API served requests in the past 3 hours

    account.setRecentlyActiveLag(Duration.ofMinutes(15));
    account.setIdle(IDLE_API, T.minus(Duration.ofHours(4)), T.plus(Duration.ofHours(1)));
    List<Series> idleSeries =
        account.series(REGION).stream().filter(s -> s.apiId().equals(IDLE_API)).toList();
    List<Metric> idleApi = metrics(idleSeries);
    assertThat(idleApi).isNotEmpty();
    assertThat(recentlyActive())
        .doesNotContainAnyElementsOf(idleApi)
        .hasSize(all.size() - idleApi.size());
    assertThat(listed(false)).isEqualTo(all); // two weeks without it
    Series stage = idleSeries.get(1);
    assertThat(account.datapoint(stage, "Sum", T.minusSeconds(120), 60)).isEmpty();

    now.set(T.plus(Duration.ofMinutes(75))); // data again for 15 minutes: not listed yet
    assertThat(account.datapoint(stage, "Sum", T.plus(Duration.ofMinutes(70)), 60)).isPresent();
    assertThat(recentlyActive()).doesNotContainAnyElementsOf(idleApi);
    now.set(T.plus(Duration.ofMinutes(76))); // its first minute is 15 minutes old: listed again
    assertThat(recentlyActive()).containsAll(idleApi).hasSize(all.size());
  }

  @Test
  void aSeriesLastActiveJustUnderThreeHoursAgoIsStillListedAndJustOverNot() {
    account.setIdle(IDLE_API, T.minus(Duration.ofMinutes(179)), T.plus(Duration.ofHours(5)));
    assertThat(recentlyActive()).containsAll(idleMetrics()); // its minute T-3h is in the window
    now.set(T.plusSeconds(60));
    assertThat(recentlyActive()).doesNotContainAnyElementsOf(idleMetrics());
  }

  @Test
  void aDeletedApiDropsOutOfTheRecentlyActiveListingThreeHoursAfterItsDeletion() {
    account.deleteApi(IDLE_API);
    now.set(T.plus(Duration.ofMinutes(179)));
    assertThat(recentlyActive()).containsAll(idleMetrics());
    now.set(T.plus(Duration.ofMinutes(181)));
    assertThat(recentlyActive()).doesNotContainAnyElementsOf(idleMetrics());
    assertThat(account.series(REGION))
        .anyMatch(s -> s.apiId().equals(IDLE_API)); // listed without RecentlyActive
  }

  @Test
  void listMetricsOverTheWireHonoursRecentlyActiveAndRefusesOtherValues() {
    account.setIdle(IDLE_API, T.minus(Duration.ofHours(4)), T);
    String active =
        text(cloudWatch.handle(
                request(
                    Map.of(
                        "Action",
                        "ListMetrics",
                        "Version",
                        "2010-08-01",
                        "Namespace",
                        "AWS/ApiGateway",
                        "RecentlyActive",
                        "PT3H"))))
            .trim();
    String every =
        text(cloudWatch.handle(
                request(
                    Map.of(
                        "Action",
                        "ListMetrics",
                        "Version",
                        "2010-08-01",
                        "Namespace",
                        "AWS/ApiGateway"))))
            .trim();
    assertThat(every).contains(IDLE_API);
    assertThat(active).doesNotContain(IDLE_API).contains("<MetricName>");

    AwsResponse refused =
        cloudWatch.handle(
            request(
                Map.of(
                    "Action", "ListMetrics", "Version", "2010-08-01", "RecentlyActive", "PT1H")));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(text(refused)).contains("ValidationError").contains("PT1H");
  }

  @Test
  void everyAnsweredRequestBillsEachOfItsQueriesAndEveryNextTokenPageBillsThemAgain() {
    List<MetricDataQuery> queries = new ArrayList<>();
    List<Series> series = account.series(REGION);
    for (int i = 0; i < 40; i++) {
      Series s = series.get(i);
      queries.add(
          new MetricDataQuery(
              "q" + i,
              metric(s),
              60,
              s.metricName().contains("Latency") ? "p99" : "Sum",
              null,
              null,
              null,
              null,
              null));
    }
    cloudWatch.setDatapointsPerCall(150); // 40 queries x 10 periods = 400 datapoints: 3 pages
    Instant end = T.minusSeconds(180);
    Instant start = end.minusSeconds(600);
    int pages = 0;
    String token = null;
    do {
      token =
          cloudWatch
              .getMetricData(
                  REGION, new GetMetricDataRequest(queries, start, end, token, null, null))
              .nextToken();
      pages++;
    } while (token != null);
    assertThat(pages).isEqualTo(3);
    assertThat(cloudWatch.metricsRequested()).isEqualTo(3 * 40);
    assertThat(cloudWatch.getMetricDataCalls()).isEqualTo(3);
    assertThat(cloudWatch.nextTokenCalls()).isEqualTo(2);
    assertThat(cloudWatch.datapointsReturned()).isEqualTo(400);

    List<MetricDataQuery> tooMany = new ArrayList<>();
    for (int i = 0; i <= CloudWatchSimulator.MAX_QUERIES_PER_CALL; i++) {
      tooMany.add(queries.get(i % queries.size()));
    }
    assertThatThrownBy(
            () ->
                cloudWatch.getMetricData(
                    REGION, new GetMetricDataRequest(tooMany, start, end, null, null, null)))
        .isInstanceOf(CloudWatchError.class)
        .extracting(e -> ((CloudWatchError) e).code())
        .isEqualTo("ValidationError");
    AwsResponse expression =
        cloudWatch.handle(
            request(
                Map.of(
                    "Action",
                    "GetMetricData",
                    "Version",
                    "2010-08-01",
                    "MetricDataQueries.member.1.Id",
                    "e1",
                    "MetricDataQueries.member.1.Expression",
                    "SUM(METRICS())",
                    "StartTime",
                    start.toString(),
                    "EndTime",
                    end.toString())));
    assertThat(expression.status()).isEqualTo(400);
    assertThat(cloudWatch.metricsRequested())
        .as("refused requests are not billed")
        .isEqualTo(3 * 40);
  }

  private List<Metric> recentlyActive() {
    return listed(true);
  }

  /** Every page of a ListMetrics of the namespace, as the neutral model answers it. */
  private List<Metric> listed(boolean recentlyActive) {
    List<Metric> metrics = new ArrayList<>();
    String token = null;
    do {
      ListMetricsResult page =
          cloudWatch.listMetrics(
              REGION,
              new ListMetricsRequest(
                  "AWS/ApiGateway",
                  null,
                  List.of(),
                  token,
                  recentlyActive ? CloudWatchSimulator.RECENTLY_ACTIVE_PT3H : null,
                  false,
                  null));
      metrics.addAll(page.metrics());
      token = page.nextToken();
    } while (token != null);
    return metrics;
  }

  private List<Metric> idleMetrics() {
    return metrics(
        account.series(REGION).stream().filter(s -> s.apiId().equals(IDLE_API)).toList());
  }

  private static List<Metric> metrics(List<Series> series) {
    return series.stream().map(CloudWatchListingAndBillingTest::metric).toList();
  }

  private static Metric metric(Series series) {
    List<Dimension> dimensions = new ArrayList<>();
    series.dimensions().forEach((name, value) -> dimensions.add(new Dimension(name, value)));
    return new Metric("AWS/ApiGateway", series.metricName(), dimensions);
  }

  private static String text(AwsResponse response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  private static AwsRequest request(Map<String, String> form) {
    StringBuilder body = new StringBuilder();
    new LinkedHashMap<>(form)
        .forEach(
            (k, v) -> {
              if (body.length() > 0) {
                body.append('&');
              }
              body.append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                  .append('=')
                  .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
            });
    return new AwsRequest(
        "POST",
        "/",
        null,
        Map.of(),
        body.toString().getBytes(StandardCharsets.UTF_8),
        "monitoring",
        REGION,
        "AKIDTEST");
  }
}
