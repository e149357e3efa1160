package io.github.apigatewayotel.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.aws.SimulatedOrganization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.RestApi;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.ListMetricsResponse;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * The simulated organization answers the AWS SDK's own clients as AWS does: a monitoring account's
 * ListMetrics with {@code IncludeLinkedAccounts} lists its source accounts' series with {@code
 * OwningAccounts} (parallel, paginated across accounts, filtered by {@code OwningAccount}),
 * GetMetricData reads the account each query's {@code AccountId} names (none: the monitoring
 * account's own), and a role assumed in a member account reaches that account's APIs.
 */
class SimulatedOrganizationTest {

  static final String REGION = "eu-west-1";
  static final String MONITORING = "111111111111";
  static final String SOURCE = "222222222222";
  static final String NOT_LINKED = "333333333333";
  static final Instant NOW = Instant.parse("2026-11-24T10:00:30Z");

  SimulatedOrganization org;
  FakeAwsServer aws;
  SdkHttpClient http;
  CloudWatchClient cloudWatch;
  StsClient sts;
  final AwsCredentialsProvider own =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret"));

  @BeforeEach
  void setUp() throws Exception {
    SimulatedAccount monitoring = SimulatedAccount.demo(MONITORING, REGION, 1);
    SimulatedAccount source =
        SimulatedAccount.demo(SOURCE, REGION, 2).addGeneratedApis(REGION, 30, 2, 2);
    SimulatedAccount notLinked = SimulatedAccount.demo(NOT_LINKED, REGION, 3);
    for (SimulatedAccount account : List.of(monitoring, source, notLinked)) {
      account.setClock(() -> NOW);
    }
    org = new SimulatedOrganization(monitoring, source, notLinked).link(SOURCE);
    aws = org.serveOn(FakeAwsServer.start());
    http = UrlConnectionHttpClient.builder().build();
    cloudWatch =
        CloudWatchClient.builder()
            .region(Region.of(REGION))
            .endpointOverride(aws.endpoint())
            .credentialsProvider(own)
            .httpClient(http)
            .build();
    sts =
        StsClient.builder()
            .region(Region.of(REGION))
            .endpointOverride(aws.endpoint())
            .credentialsProvider(own)
            .httpClient(http)
            .build();
  }

  @AfterEach
  void tearDown() {
    cloudWatch.close();
    sts.close();
    http.close();
    aws.close();
  }

  record Listed(List<Metric> metrics, List<String> owners) {}

  Listed listAll(boolean includeLinkedAccounts, String owningAccount) {
    List<Metric> metrics = new ArrayList<>();
    List<String> owners = new ArrayList<>();
    String token = null;
    do {
      String current = token;
      ListMetricsResponse page =
          cloudWatch.listMetrics(
              r ->
                  r.namespace("AWS/ApiGateway")
                      .nextToken(current)
                      .includeLinkedAccounts(includeLinkedAccounts ? Boolean.TRUE : null)
                      .owningAccount(owningAccount));
      assertThat(page.metrics().size()).isLessThanOrEqualTo(500);
      if (includeLinkedAccounts) {
        assertThat(page.owningAccounts())
            .hasSameSizeAs(page.metrics()); // 1:1 with Metrics, as AWS documents
      } else {
        assertThat(page.hasOwningAccounts()).isFalse();
      }
      metrics.addAll(page.metrics());
      owners.addAll(page.owningAccounts());
      token = page.nextToken();
    } while (token != null);
    return new Listed(metrics, owners);
  }

  @Test
  void listMetricsIncludesLinkedAccountsOnlyWhenAskedWithTheirOwningAccounts() {
    int own = org.account(MONITORING).series(REGION).size();
    int linked = org.account(SOURCE).series(REGION).size();
    assertThat(own + linked).isGreaterThan(1000); // several pages, one of them across both accounts

    assertThat(listAll(false, null).metrics()).hasSize(own);

    Listed all = listAll(true, null);
    assertThat(all.metrics()).hasSize(own + linked);
    assertThat(all.owners().subList(0, own)).containsOnly(MONITORING);
    assertThat(all.owners().subList(own, own + linked)).containsOnly(SOURCE);
    assertThat(all.owners()).doesNotContain(NOT_LINKED);
    for (int i = 0; i < all.metrics().size(); i++) {
      String owner = all.owners().get(i);
      assertThat(
              org.account(owner)
                  .series(REGION)
                  .get(owner.equals(MONITORING) ? i : i - own)
                  .dimensions())
          .isEqualTo(dimensions(all.metrics().get(i)));
    }

    Listed onlySource = listAll(true, SOURCE);
    assertThat(onlySource.metrics()).hasSize(linked);
    assertThat(onlySource.owners()).containsOnly(SOURCE);
    assertThat(listAll(true, MONITORING).owners()).hasSize(own).containsOnly(MONITORING);
  }

  @Test
  void getMetricDataReadsTheAccountEachQueryNames() {
    SimulatedAccount.Series series =
        org.account(MONITORING).series(REGION).stream()
            .filter(
                s ->
                    s.metricName().equals("Count")
                        && s.dimensions().equals(Map.of("ApiName", "pets-api", "Stage", "prod")))
            .findFirst()
            .orElseThrow();
    Metric metric =
        Metric.builder()
            .namespace("AWS/ApiGateway")
            .metricName("Count")
            .dimensions(
                Dimension.builder().name("ApiName").value("pets-api").build(),
                Dimension.builder().name("Stage").value("prod").build())
            .build();
    Instant start = Instant.parse("2026-11-24T09:50:00Z");
    GetMetricDataResponse answer =
        cloudWatch.getMetricData(
            r ->
                r.startTime(start)
                    .endTime(start.plusSeconds(60))
                    .metricDataQueries(
                        query("own", metric, null),
                        query("ownbyid", metric, MONITORING),
                        query("linked", metric, SOURCE),
                        query("notlinked", metric, NOT_LINKED)));
    Map<String, List<Double>> values = new TreeMap<>();
    answer.metricDataResults().forEach(result -> values.put(result.id(), result.values()));
    double monitoringValue =
        org.account(MONITORING).value(series, "Sum", start.getEpochSecond(), 60);
    double sourceValue =
        org.account(SOURCE)
            .value(
                new SimulatedAccount.Series(REGION, series.apiId(), "Count", series.dimensions()),
                "Sum",
                start.getEpochSecond(),
                60);
    assertThat(monitoringValue).isNotEqualTo(sourceValue); // same API names, different traffic
    assertThat(values)
        .containsEntry("own", List.of(monitoringValue))
        .containsEntry("ownbyid", List.of(monitoringValue))
        .containsEntry("linked", List.of(sourceValue))
        .containsEntry("notlinked", List.of());
    // the monitoring account is billed for every query, whichever account it read
    assertThat(org.cloudWatch(MONITORING).queriesReceived()).isEqualTo(4);
    assertThat(org.cloudWatch(MONITORING).queriesReading(SOURCE)).isEqualTo(1);
    assertThat(org.cloudWatch(SOURCE).queriesReceived()).isZero();
  }

  @Test
  void aRoleInAMemberAccountReachesThatAccountOnlyAndOutsidersAreRefused() {
    String role = SimulatedOrganization.roleArn(SOURCE);
    try (StsAssumeRoleCredentialsProvider assumed =
            StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts)
                .refreshRequest(r -> r.roleArn(role).roleSessionName("test"))
                .build();
        ApiGatewayClient sourceApis =
            ApiGatewayClient.builder()
                .region(Region.of(REGION))
                .endpointOverride(aws.endpoint())
                .credentialsProvider(assumed)
                .httpClient(http)
                .build();
        ApiGatewayClient ownApis =
            ApiGatewayClient.builder()
                .region(Region.of(REGION))
                .endpointOverride(aws.endpoint())
                .credentialsProvider(own)
                .httpClient(http)
                .build()) {
      List<String> sourceIds =
          sourceApis.getRestApis(r -> r.limit(500)).items().stream().map(RestApi::id).toList();
      List<String> ownIds =
          ownApis.getRestApis(r -> r.limit(500)).items().stream().map(RestApi::id).toList();
      assertThat(sourceIds)
          .hasSizeGreaterThan(ownIds.size())
          .contains("g000000000")
          .containsAll(ownIds);
      assertThat(ownIds).doesNotContain("g000000000");
      assertThat(sts.getCallerIdentity().account()).isEqualTo(MONITORING);
    }
    StsException refused =
        catchThrowableOfType(
            StsException.class,
            () ->
                sts.assumeRole(
                    r -> r.roleArn("arn:aws:iam::444444444444:role/x").roleSessionName("test")));
    assertThat(refused.statusCode()).isEqualTo(403);
  }

  static MetricDataQuery query(String id, Metric metric, String accountId) {
    return MetricDataQuery.builder()
        .id(id)
        .accountId(accountId)
        .metricStat(s -> s.metric(metric).period(60).stat("Sum"))
        .build();
  }

  static Map<String, String> dimensions(Metric metric) {
    Map<String, String> dims = new TreeMap<>();
    metric.dimensions().forEach(d -> dims.put(d.name(), d.value()));
    return dims;
  }
}
