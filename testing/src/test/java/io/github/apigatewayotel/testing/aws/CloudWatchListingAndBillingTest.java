package io.github.apigatewayotel.testing.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.apigatewayotel.testing.aws.SimulatedAccount.Series;
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
    List<Series> all = account.series(REGION);
    assertThat(recentlyActive()).isEqualTo(all); // every API served requests in the past 3 hours

    account.setRecentlyActiveLag(Duration.ofMinutes(15));
    account.setIdle(IDLE_API, T.minus(Duration.ofHours(4)), T.plus(Duration.ofHours(1)));
    List<Series> idleApi = all.stream().filter(s -> s.apiId().equals(IDLE_API)).toList();
    assertThat(idleApi).isNotEmpty();
    assertThat(recentlyActive()).doesNotContainAnyElementsOf(idleApi).hasSize(all.size() - idleApi.size());
    assertThat(cloudWatch.listMetrics(REGION, "AWS/ApiGateway", null, false)).isEqualTo(all); // two weeks without it
    Series stage = idleApi.get(1);
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
    assertThat(recentlyActive()).anyMatch(s -> s.apiId().equals(IDLE_API)); // its minute T-3h is in the window
    now.set(T.plusSeconds(60));
    assertThat(recentlyActive()).noneMatch(s -> s.apiId().equals(IDLE_API));
  }

  @Test
  void aDeletedApiDropsOutOfTheRecentlyActiveListingThreeHoursAfterItsDeletion() {
    account.deleteApi(IDLE_API);
    now.set(T.plus(Duration.ofMinutes(179)));
    assertThat(recentlyActive()).anyMatch(s -> s.apiId().equals(IDLE_API));
    now.set(T.plus(Duration.ofMinutes(181)));
    assertThat(recentlyActive()).noneMatch(s -> s.apiId().equals(IDLE_API));
    assertThat(account.series(REGION)).anyMatch(s -> s.apiId().equals(IDLE_API)); // listed without RecentlyActive
  }

  @Test
  void listMetricsOverTheWireHonoursRecentlyActiveAndRefusesOtherValues() {
    account.setIdle(IDLE_API, T.minus(Duration.ofHours(4)), T);
    String active = text(cloudWatch.handle(request(Map.of("Action", "ListMetrics", "Version", "2010-08-01",
        "Namespace", "AWS/ApiGateway", "RecentlyActive", "PT3H")))).trim();
    String every = text(cloudWatch.handle(request(Map.of("Action", "ListMetrics", "Version", "2010-08-01",
        "Namespace", "AWS/ApiGateway")))).trim();
    assertThat(every).contains(IDLE_API);
    assertThat(active).doesNotContain(IDLE_API).contains("<MetricName>");

    AwsResponse refused = cloudWatch.handle(request(Map.of("Action", "ListMetrics", "Version", "2010-08-01",
        "RecentlyActive", "PT1H")));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(text(refused)).contains("ValidationError").contains("PT1H");
  }

  @Test
  void everyAnsweredRequestBillsEachOfItsQueriesAndEveryNextTokenPageBillsThemAgain() {
    List<CloudWatchSimulator.MetricQuery> queries = new ArrayList<>();
    List<Series> series = account.series(REGION);
    for (int i = 0; i < 40; i++) {
      Series s = series.get(i);
      queries.add(new CloudWatchSimulator.MetricQuery("q" + i, "AWS/ApiGateway", s.metricName(), s.dimensions(),
          s.metricName().contains("Latency") ? "p99" : "Sum", 60));
    }
    cloudWatch.setDatapointsPerCall(150); // 40 queries x 10 periods = 400 datapoints: 3 pages
    Instant end = T.minusSeconds(180);
    Instant start = end.minusSeconds(600);
    int pages = 0;
    String token = null;
    do {
      token = cloudWatch.getMetricData(REGION, queries, start, end, token).nextToken();
      pages++;
    } while (token != null);
    assertThat(pages).isEqualTo(3);
    assertThat(cloudWatch.metricsRequested()).isEqualTo(3 * 40);
    assertThat(cloudWatch.getMetricDataCalls()).isEqualTo(3);
    assertThat(cloudWatch.nextTokenCalls()).isEqualTo(2);
    assertThat(cloudWatch.datapointsReturned()).isEqualTo(400);

    List<CloudWatchSimulator.MetricQuery> tooMany = new ArrayList<>();
    for (int i = 0; i <= CloudWatchSimulator.MAX_QUERIES_PER_CALL; i++) {
      tooMany.add(queries.get(i % queries.size()));
    }
    assertThatThrownBy(() -> cloudWatch.getMetricData(REGION, tooMany, start, end, null))
        .isInstanceOf(CloudWatchSimulator.ValidationError.class);
    AwsResponse expression = cloudWatch.handle(request(Map.of("Action", "GetMetricData", "Version", "2010-08-01",
        "MetricDataQueries.member.1.Id", "e1", "MetricDataQueries.member.1.Expression", "SUM(METRICS())",
        "StartTime", start.toString(), "EndTime", end.toString())));
    assertThat(expression.status()).isEqualTo(400);
    assertThat(cloudWatch.metricsRequested()).as("refused requests are not billed").isEqualTo(3 * 40);
  }

  private List<Series> recentlyActive() {
    return cloudWatch.listMetrics(REGION, "AWS/ApiGateway", null, true);
  }

  private static String text(AwsResponse response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  private static AwsRequest request(Map<String, String> form) {
    StringBuilder body = new StringBuilder();
    new LinkedHashMap<>(form).forEach((k, v) -> {
      if (body.length() > 0) {
        body.append('&');
      }
      body.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
    });
    return new AwsRequest("POST", "/", null, Map.of(), body.toString().getBytes(StandardCharsets.UTF_8), "monitoring",
        REGION, "AKIDTEST");
  }
}
