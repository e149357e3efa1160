package io.github.apigatewayotel.testing.aws.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.apigatewayotel.testing.aws.AwsFaultResponses;
import io.github.apigatewayotel.testing.aws.AwsRequest;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClientBuilder;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.DimensionFilter;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.InvalidNextTokenException;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StatusCode;

/**
 * The AWS SDK's own CloudWatch client (the version the project uses, which speaks Smithy RPC v2
 * CBOR) against the simulated CloudWatch: it lists every series, reads every datapoint across
 * PartialData pages, and gets CloudWatch's errors as the SDK's exceptions, with the awsQuery code
 * of {@code x-amzn-query-error} (so {@code Throttling} is throttling, and retried as such).
 */
class SdkCborClientTest {

  SimulatedCloudWatch simulated;
  final List<AwsRequest> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    simulated = new SimulatedCloudWatch();
    simulated.aws.intercept(
        r -> {
          requests.add(r);
          return Optional.empty();
        });
  }

  @AfterEach
  void stop() {
    simulated.close();
  }

  CloudWatchClientBuilder builder() {
    return CloudWatchClient.builder()
        .region(Region.of(SimulatedCloudWatch.REGION))
        .endpointOverride(simulated.aws.endpoint())
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
        .httpClient(UrlConnectionHttpClient.create());
  }

  CloudWatchClient client() {
    return builder()
        .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  @Test
  void speaksCborAndListsEverySeriesPageByPage() {
    try (CloudWatchClient client = client()) {
      List<String> listed = new ArrayList<>();
      client
          .listMetricsPaginator(r -> r.namespace("AWS/ApiGateway"))
          .metrics()
          .forEach(m -> listed.add(m.metricName() + " " + dimensions(m.dimensions())));
      List<String> expected = new ArrayList<>();
      simulated
          .account
          .series(SimulatedCloudWatch.REGION)
          .forEach(s -> expected.add(s.metricName() + " " + new TreeMap<>(s.dimensions())));
      assertThat(listed)
          .hasSizeGreaterThan(500)
          .containsExactlyElementsOf(expected); // more than one page
    }
    assertThat(requests)
        .isNotEmpty()
        .allSatisfy(
            r -> {
              assertThat(r.path())
                  .isEqualTo("/service/GraniteServiceVersion20100801/operation/ListMetrics");
              assertThat(r.header("smithy-protocol")).isEqualTo("rpc-v2-cbor");
              assertThat(r.header("Content-Type")).isEqualTo("application/cbor");
            });
    assertThat(simulated.cloudWatch.requests(CloudWatchProtocol.RPC_V2_CBOR))
        .isEqualTo(requests.size());
  }

  @Test
  void filtersByMetricNameAndDimensions() {
    try (CloudWatchClient client = client()) {
      List<Metric> metrics =
          client
              .listMetrics(
                  r ->
                      r.namespace("AWS/ApiGateway")
                          .metricName("Latency")
                          .dimensions(
                              DimensionFilter.builder().name("ApiName").value("pets-api").build(),
                              DimensionFilter.builder().name("Stage").build()))
              .metrics();
      assertThat(metrics)
          .isNotEmpty()
          .allSatisfy(
              m -> {
                assertThat(m.metricName()).isEqualTo("Latency");
                assertThat(dimensions(m.dimensions()))
                    .containsEntry("ApiName", "pets-api")
                    .containsKey("Stage");
              });
    }
  }

  @Test
  void readsEveryDatapointThroughPartialDataPages() {
    simulated.cloudWatch.setDatapointsPerCall(7);
    List<SimulatedAccount.Series> series =
        simulated.account.series(SimulatedCloudWatch.REGION).subList(0, 30);
    List<MetricDataQuery> queries = new ArrayList<>();
    for (int i = 0; i < series.size(); i++) {
      SimulatedAccount.Series s = series.get(i);
      List<Dimension> dimensions = new ArrayList<>();
      s.dimensions()
          .forEach((k, v) -> dimensions.add(Dimension.builder().name(k).value(v).build()));
      queries.add(
          MetricDataQuery.builder()
              .id("q" + i)
              .metricStat(
                  m ->
                      m.period(60)
                          .stat("Sum")
                          .metric(
                              Metric.builder()
                                  .namespace("AWS/ApiGateway")
                                  .metricName(s.metricName())
                                  .dimensions(dimensions)
                                  .build()))
              .build());
    }
    Instant start = SimulatedCloudWatch.NOW.minusSeconds(10 * 60).minusSeconds(30);
    Instant end = SimulatedCloudWatch.NOW.minusSeconds(30);
    Map<String, Map<Instant, Double>> read = new TreeMap<>();
    int pages = 0;
    try (CloudWatchClient client = client()) {
      String token = null;
      do {
        String current = token;
        GetMetricDataResponse page =
            client.getMetricData(
                r ->
                    r.metricDataQueries(queries)
                        .startTime(start)
                        .endTime(end)
                        .scanBy(ScanBy.TIMESTAMP_ASCENDING)
                        .nextToken(current));
        for (MetricDataResult result : page.metricDataResults()) {
          assertThat(result.statusCode()).isIn(StatusCode.COMPLETE, StatusCode.PARTIAL_DATA);
          for (int i = 0; i < result.timestamps().size(); i++) {
            read.computeIfAbsent(result.id(), k -> new TreeMap<>())
                .put(result.timestamps().get(i), result.values().get(i));
          }
        }
        token = page.nextToken();
        pages++;
      } while (token != null);
    }
    int datapoints = 0;
    for (int i = 0; i < series.size(); i++) {
      for (Instant t = start; t.isBefore(end); t = t.plusSeconds(60)) {
        var value = simulated.account.datapoint(series.get(i), "Sum", t, 60);
        if (value.isPresent()) {
          datapoints++;
          assertThat(read.get("q" + i)).containsEntry(t, value.getAsDouble());
        }
      }
    }
    assertThat(datapoints).isGreaterThan(7 * 3);
    assertThat(pages).isGreaterThanOrEqualTo(datapoints / 7);
    assertThat(read.values().stream().mapToInt(Map::size).sum()).isEqualTo(datapoints);
  }

  @Test
  void errorsCarryTheAwsQueryCodeAndThrottlingIsThrottling() {
    try (CloudWatchClient client = client()) {
      CloudWatchException throttled =
          catchThrowableOfType(
              CloudWatchException.class,
              () -> client.listMetrics(r -> r.metricName(SimulatedCloudWatch.THROTTLED_METRIC)));
      assertThat(throttled.awsErrorDetails().errorCode()).isEqualTo("Throttling");
      assertThat(throttled.isThrottlingException()).isTrue();
      assertThat(throttled.statusCode()).isEqualTo(400);
      assertThat(throttled.requestId()).startsWith("fake-");

      InvalidNextTokenException badToken =
          catchThrowableOfType(
              InvalidNextTokenException.class,
              () -> client.listMetrics(r -> r.nextToken("not-a-token")));
      assertThat(badToken.awsErrorDetails().errorCode()).isEqualTo("InvalidNextToken");
      assertThat(badToken.isThrottlingException()).isFalse();

      CloudWatchException invalid =
          catchThrowableOfType(
              CloudWatchException.class,
              () ->
                  client.getMetricData(
                      r ->
                          r.startTime(SimulatedCloudWatch.NOW.minusSeconds(600))
                              .endTime(SimulatedCloudWatch.NOW)
                              .metricDataQueries(
                                  MetricDataQuery.builder()
                                      .id("Bad")
                                      .metricStat(
                                          m ->
                                              m.period(60)
                                                  .stat("Sum")
                                                  .metric(
                                                      Metric.builder()
                                                          .namespace("AWS/ApiGateway")
                                                          .metricName("Count")
                                                          .build()))
                                      .build())));
      assertThat(invalid.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
      assertThat(invalid.awsErrorDetails().errorMessage()).contains("Bad");
    }
    simulated.aws.clearInterceptors();
    simulated.aws.intercept(r -> Optional.of(AwsFaultResponses.serverError(r, 503)));
    try (CloudWatchClient client = client()) {
      CloudWatchException unavailable =
          catchThrowableOfType(
              CloudWatchException.class,
              () -> client.listMetrics(r -> r.namespace("AWS/ApiGateway")));
      assertThat(unavailable.statusCode()).isEqualTo(503);
      assertThat(unavailable.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
    }
  }

  @Test
  void theSdksStandardStrategyRetriesThrottlingFromTheQueryErrorHeader() {
    AtomicInteger throttles = new AtomicInteger();
    simulated.aws.clearInterceptors();
    simulated.aws.intercept(
        r -> {
          requests.add(r);
          return throttles.getAndIncrement() < 2
              ? Optional.of(AwsFaultResponses.throttling(r))
              : Optional.empty();
        });
    BackoffStrategy quick = BackoffStrategy.fixedDelay(Duration.ofMillis(1));
    try (CloudWatchClient client =
        builder()
            .overrideConfiguration(
                o ->
                    o.retryStrategy(
                        AwsRetryStrategy.standardRetryStrategy().toBuilder()
                            .backoffStrategy(quick)
                            .throttlingBackoffStrategy(quick)
                            .build()))
            .build()) {
      assertThat(client.listMetrics(r -> r.namespace("AWS/ApiGateway")).metrics()).isNotEmpty();
    }
    assertThat(requests).hasSize(3);
    assertThat(requests.get(2).header("amz-sdk-request")).startsWith("attempt=3");
  }

  @Test
  void linkedAccountFieldsTravelBothWays() {
    List<Object> decoded = new CopyOnWriteArrayList<>();
    simulated.aws.clearInterceptors();
    simulated.aws.intercept(
        r -> {
          CloudWatchCodec codec = CloudWatchProtocol.of(r).codec();
          if (!"ListMetrics".equals(codec.operation(r))) {
            decoded.add(codec.getMetricData(r).queries().get(0));
            return Optional.empty();
          }
          decoded.add(codec.listMetrics(r));
          return Optional.of(
              codec.encode(
                  new ListMetricsResult(
                      List.of(
                          new io.github.apigatewayotel.testing.aws.cloudwatch.Metric(
                              "AWS/ApiGateway",
                              "Count",
                              List.of(
                                  new io.github.apigatewayotel.testing.aws.cloudwatch.Dimension(
                                      "ApiId", "a1")))),
                      List.of("210987654321"),
                      null)));
        });
    try (CloudWatchClient client = client()) {
      var listed =
          client.listMetrics(
              r ->
                  r.namespace("AWS/ApiGateway")
                      .recentlyActive("PT3H")
                      .includeLinkedAccounts(true)
                      .owningAccount("210987654321"));
      assertThat(listed.owningAccounts()).containsExactly("210987654321");
      assertThat(listed.metrics())
          .singleElement()
          .satisfies(m -> assertThat(m.metricName()).isEqualTo("Count"));
      client.getMetricData(
          r ->
              r.startTime(SimulatedCloudWatch.NOW.minusSeconds(600))
                  .endTime(SimulatedCloudWatch.NOW)
                  .metricDataQueries(
                      MetricDataQuery.builder()
                          .id("q0")
                          .accountId("210987654321")
                          .metricStat(
                              m ->
                                  m.period(60)
                                      .stat("Sum")
                                      .metric(
                                          Metric.builder()
                                              .namespace("AWS/ApiGateway")
                                              .metricName("Count")
                                              .build()))
                          .build()));
    }
    assertThat(decoded).hasSize(2);
    assertThat(decoded.get(0))
        .isEqualTo(
            new ListMetricsRequest(
                "AWS/ApiGateway", null, List.of(), null, "PT3H", true, "210987654321"));
    assertThat(
            ((io.github.apigatewayotel.testing.aws.cloudwatch.MetricDataQuery) decoded.get(1))
                .accountId())
        .isEqualTo("210987654321");
  }

  private static Map<String, String> dimensions(List<Dimension> dimensions) {
    Map<String, String> map = new TreeMap<>();
    dimensions.forEach(d -> map.put(d.name(), d.value()));
    return map;
  }
}
