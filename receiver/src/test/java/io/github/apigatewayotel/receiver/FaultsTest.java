package io.github.apigatewayotel.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.apigatewayotel.testing.aws.AwsFaultResponses;
import io.github.apigatewayotel.testing.aws.AwsResponse;
import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.github.apigatewayotel.testing.otlp.ReceivedMetric;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Throttling, PartialData, deleted APIs, expired and missing credentials, cross-account roles. */
class FaultsTest {

  ReceiverHarness harness;

  @BeforeEach
  void setUp() throws Exception {
    harness = ReceiverHarness.demo();
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  private static boolean isGetMetricData(io.github.apigatewayotel.testing.aws.AwsRequest r) {
    return "GetMetricData".equals(FakeAwsServer.operationOf(r));
  }

  @Test
  void throttledCallsAreRetriedWithBackoffAndNothingIsLost() {
    long expected;
    try (var reference = ReceiverHarness.demo()) {
      expected =
          reference.export(reference.receiverBuilder().build()).pollAndExport().pointsExported();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    AtomicInteger throttled = new AtomicInteger();
    harness.aws.intercept(
        r ->
            isGetMetricData(r) && throttled.getAndIncrement() < 2
                ? Optional.of(
                    AwsFaultResponses.queryError(r, 400, "Sender", "Throttling", "Rate exceeded"))
                : Optional.empty());
    var exported = harness.export(harness.receiverBuilder().build());
    PollSummary summary = exported.pollAndExport();
    assertThat(summary.failedCalls()).isZero();
    assertThat(summary.pointsExported()).isEqualTo(expected);
    assertThat(harness.aws.requestCount("GetMetricData"))
        .isEqualTo(summary.getMetricDataCalls() + 2L);
  }

  @Test
  void persistentThrottlingGivesUpBoundedlyAndTheNextPollCatchesUp() {
    harness.aws.intercept(
        r ->
            isGetMetricData(r)
                ? Optional.of(
                    AwsFaultResponses.queryError(r, 400, "Sender", "Throttling", "Rate exceeded"))
                : Optional.empty());
    var exported = harness.export(harness.receiverBuilder().build());
    PollSummary throttled = exported.pollAndExport();
    assertThat(throttled.failedCalls()).isEqualTo(2); // both batches, after 4 attempts each
    assertThat(harness.aws.requestCount("GetMetricData")).isEqualTo(8);
    assertThat(throttled.pointsExported()).isZero();

    harness.aws.clearInterceptors();
    PollSummary recovered = exported.pollAndExport();
    assertThat(recovered.failedCalls()).isZero();
    assertThat(recovered.pointsExported()).isPositive();
  }

  @Test
  void partialDataIsFollowedThroughNextTokenUntilComplete() throws Exception {
    var exported = harness.export(harness.receiverBuilder().build());
    long complete = exported.pollAndExport().pointsExported();
    harness.close();
    harness = ReceiverHarness.demo();
    harness.cloudWatch.setDatapointsPerCall(700);
    var paged = harness.export(harness.receiverBuilder().build());
    PollSummary summary = paged.pollAndExport();
    assertThat(summary.getMetricDataCalls()).isGreaterThan(2);
    assertThat(summary.pointsExported()).isEqualTo(complete);
    Set<String> keys = new HashSet<>();
    harness.points().forEach(p -> assertThat(keys.add(ExactlyOnceTest.key(p))).isTrue());
  }

  @Test
  void anApiDeletedMidRunStopsBeingQueriedAfterTheNextDiscovery() {
    var exported =
        harness.export(harness.receiverBuilder().discoveryInterval(Duration.ofMinutes(5)).build());
    PollSummary before = exported.pollAndExport();
    harness.account.deleteApi("a1b2c3d4e5");

    // until rediscovery its queries return nothing, and nothing breaks
    harness.clock.advance(Duration.ofMinutes(1));
    PollSummary during = exported.pollAndExport();
    assertThat(during.failedCalls()).isZero();
    assertThat(during.queries()).isEqualTo(before.queries());

    harness.clock.advance(Duration.ofMinutes(5));
    int seen = harness.points().size();
    PollSummary after = exported.pollAndExport();
    assertThat(after.queries()).isLessThan(before.queries());
    assertThat(after.apis()).isEqualTo(before.apis() - 1);
    assertThat(after.pointsExported()).isPositive();
    assertThat(harness.points().subList(seen, harness.points().size()))
        .noneMatch(p -> "a1b2c3d4e5".equals(p.attributes().get("aws.apigateway.api.id")));
  }

  @Test
  void expiredCredentialsAreReportedAndTheNextPollResumesWithoutGaps() {
    var exported = harness.export(harness.receiverBuilder().build());
    exported.pollAndExport();
    harness.aws.intercept(
        r ->
            isGetMetricData(r)
                ? Optional.of(
                    AwsFaultResponses.queryError(
                        r,
                        403,
                        "Sender",
                        "ExpiredToken",
                        "The security token included in the request is expired"))
                : Optional.empty());
    harness.clock.advance(Duration.ofMinutes(2));
    PollSummary expired = exported.pollAndExport();
    assertThat(expired.failedCalls()).isPositive();
    assertThat(expired.pointsExported()).isZero();
    assertThat(harness.aws.requestCount("GetMetricData")).isEqualTo(2 + 2); // not retried

    harness.aws.clearInterceptors();
    PollSummary resumed = exported.pollAndExport();
    // the two minutes missed while credentials were expired are exported now
    assertThat(resumed.pointsExported() * 5).isEqualTo(exported.receiver.queriesPerPoll() * 10L);
  }

  @Test
  void aHostWithoutAwsAccessStartsAtOnceAndKeepsGoing() throws Exception {
    harness.aws.intercept(
        r ->
            Optional.of(
                AwsFaultResponses.queryError(
                    r,
                    403,
                    "Sender",
                    "InvalidClientTokenId",
                    "The security token included in the request is invalid.")));
    try (var receiver = harness.receiverBuilder().pollInterval(Duration.ofMillis(50)).build()) {
      receiver.start(); // returns at once; polls run on a daemon thread
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> harness.aws.requestCount("GetCallerIdentity") >= 2);
      PollSummary summary = receiver.pollOnce();
      assertThat(summary.problems())
          .anySatisfy(
              p ->
                  assertThat(p)
                      .contains(
                          "AWS does not accept the credentials (InvalidClientTokenId)",
                          "retrying every poll"));
      assertThat(receiver.queriesPerPoll()).isZero();
      assertThat(receiver.metricProducer().produce(io.opentelemetry.sdk.resources.Resource.empty()))
          .isEmpty();
    }
  }

  @Test
  void backgroundPollingExportsThroughTheHostSdk() throws Exception {
    try (var receiver = harness.receiverBuilder().build()) {
      var exported = harness.export(receiver);
      receiver.start();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                exported.flush();
                return !harness.points().isEmpty();
              });
      assertThat(Thread.getAllStackTraces().keySet())
          .anySatisfy(
              t -> {
                assertThat(t.getName()).startsWith("apigateway-otel-receiver-");
                assertThat(t.isDaemon()).isTrue();
              });
    }
  }

  @Test
  void assumesARoleWithExternalIdAndReportsThatAccount() {
    String role = "arn:aws:iam::210987654321:role/ApiGatewayMetricsReader";
    harness.sts.requireExternalId(role, "ext-123");
    var exported =
        harness.export(harness.receiverBuilder().roleArn(role).externalId("ext-123").build());
    PollSummary summary = exported.pollAndExport();
    assertThat(summary.failedCalls()).isZero();
    assertThat(harness.sts.assumeRoleCalls()).isEqualTo(1);
    assertThat(harness.points())
        .isNotEmpty()
        .allSatisfy(
            p -> assertThat(p.attributes()).containsEntry("cloud.account.id", "210987654321"));
  }

  @Test
  void aWrongExternalIdIsReportedNotThrown() {
    String role = "arn:aws:iam::210987654321:role/ApiGatewayMetricsReader";
    harness.sts.requireExternalId(role, "ext-123");
    var exported =
        harness.export(harness.receiverBuilder().roleArn(role).externalId("wrong").build());
    PollSummary summary = exported.pollAndExport();
    assertThat(summary.pointsExported()).isZero();
    assertThat(summary.problems()).isNotEmpty();
  }

  @Test
  void batchesAreFullUpTo500QueriesSoCallsAreTheMinimum() {
    harness.account.addGeneratedApis(ReceiverHarness.REGION, 40, 2, 2);
    var exported = harness.export(harness.receiverBuilder().build());
    PollSummary summary = exported.pollAndExport();
    assertThat(summary.queries()).isGreaterThan(2000);
    assertThat(summary.getMetricDataCalls()).isEqualTo((summary.queries() + 499) / 500);
    assertThat(exported.receiver.getMetricDataCallsPerPoll())
        .isEqualTo(summary.getMetricDataCalls());
    assertThat(harness.aws.requestCount("GetMetricData")).isEqualTo(summary.getMetricDataCalls());
    assertThat(harness.cloudWatch.queriesReceived()).isEqualTo(summary.queries());
  }

  @Test
  void ownCountersReportCallsQueriesDatapointsAndThrottles() {
    AtomicInteger throttled = new AtomicInteger();
    harness.aws.intercept(
        r ->
            isGetMetricData(r) && throttled.getAndIncrement() < 1
                ? Optional.of(
                    AwsFaultResponses.queryError(r, 400, "Sender", "Throttling", "Rate exceeded"))
                : Optional.empty());
    SdkMeterProvider self =
        SdkMeterProvider.builder()
            .registerMetricReader(
                PeriodicMetricReader.builder(
                        OtlpHttpMetricExporter.builder()
                            .setEndpoint(harness.otlp.endpoint() + "/v1/metrics")
                            .build())
                    .setInterval(Duration.ofHours(1))
                    .build())
            .build();
    try (var receiver = harness.receiverBuilder().meterProvider(self).build()) {
      PollSummary summary = receiver.pollOnce();
      self.forceFlush().join(10, TimeUnit.SECONDS);
      List<String> names = harness.otlp.metrics().stream().map(ReceivedMetric::name).toList();
      assertThat(names)
          .contains(
              "apigateway_otel.receiver.get_metric_data.calls",
              "apigateway_otel.receiver.get_metric_data.queries",
              "apigateway_otel.receiver.datapoints.exported",
              "apigateway_otel.receiver.aws.throttles");
      long queries =
          harness.otlp.metrics().stream()
              .filter(m -> m.name().equals("apigateway_otel.receiver.get_metric_data.queries"))
              .mapToLong(m -> m.metric().getSum().getDataPoints(0).getAsInt())
              .sum();
      assertThat(queries).isEqualTo(summary.queries());
    } finally {
      self.shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void queriesAnsweredInternalErrorAreFetchedAgainWithoutRepeatingTheOthers() {
    var exported =
        harness.export(harness.receiverBuilder().lookback(Duration.ofMinutes(2)).build());
    harness.cloudWatch.failQueriesOf("Latency");
    PollSummary first = exported.pollAndExport();
    assertThat(first.problems()).anySatisfy(p -> assertThat(p).contains("incomplete"));
    assertThat(harness.points())
        .isNotEmpty()
        .noneMatch(p -> p.name().startsWith("aws.apigateway.latency"));

    harness.cloudWatch.clearFailures();
    PollSummary second = exported.pollAndExport(); // same minute: only the Latency periods are new
    assertThat(second.problems()).isEmpty();
    assertThat(harness.points()).anyMatch(p -> p.name().startsWith("aws.apigateway.latency"));
    Set<String> keys = new HashSet<>();
    harness
        .points()
        .forEach(
            p ->
                assertThat(keys.add(ExactlyOnceTest.key(p)))
                    .as("twice: %s", ExactlyOnceTest.key(p))
                    .isTrue());
    assertThat(first.pointsExported() + second.pointsExported())
        .isEqualTo(2L * exported.receiver.queriesPerPoll());
  }

  @Test
  void serverErrorsAreRetriedAndDiscoveryErrorsReported() {
    harness.aws.intercept(
        r ->
            r.path().startsWith("/v2/apis")
                ? Optional.of(AwsResponse.restError(503, "ServiceUnavailableException", "down"))
                : Optional.empty());
    var exported = harness.export(harness.receiverBuilder().build());
    PollSummary summary = exported.pollAndExport();
    // v2 discovery failed after its retries: reported, nothing polled yet, nothing thrown
    assertThat(summary.failedCalls()).isEqualTo(1);
    assertThat(summary.problems()).anySatisfy(p -> assertThat(p).contains("cannot discover"));
    assertThat(harness.aws.requestCount("GET /v2/apis")).isEqualTo(4);

    // v2 recovers; the first GetMetricData call gets a 500 and is retried
    harness.aws.clearInterceptors();
    AtomicInteger gmdFailures = new AtomicInteger();
    harness.aws.intercept(
        r ->
            isGetMetricData(r) && gmdFailures.getAndIncrement() < 1
                ? Optional.of(
                    AwsFaultResponses.queryError(
                        r, 500, "Receiver", "InternalFailure", "try again"))
                : Optional.empty());
    PollSummary recovered = exported.pollAndExport();
    assertThat(recovered.failedCalls()).isZero();
    assertThat(recovered.pointsExported()).isPositive();
    assertThat(gmdFailures.get()).isGreaterThan(1);
  }
}
