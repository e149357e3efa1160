package io.github.apigatewayotel.logs;

import static io.github.apigatewayotel.logs.CloudWatchLogsTestFixture.T0;
import static io.github.apigatewayotel.logs.CloudWatchLogsTestFixture.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.apigatewayotel.logs.internal.cloudwatch.RetryBackoff;
import io.github.apigatewayotel.testing.aws.AwsResponse;
import io.github.apigatewayotel.testing.aws.CloudWatchLogsSimulator.FilterRequest;
import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloudWatchLogsSourceTest {

  private static final String GROUP = "api-gateway-prod";
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private CloudWatchLogsTestFixture fixture;

  @BeforeEach
  void setUp() throws Exception {
    fixture = new CloudWatchLogsTestFixture();
  }

  @AfterEach
  void tearDown() {
    fixture.close();
  }

  @Test
  void discoversGroupsByTheDefaultPrefixAcrossDescribePages() {
    fixture.logs.setDescribePageSize(1);
    List<String> expected = new ArrayList<>();
    for (String group : List.of("api-gateway-a", "api-gateway-b", "api-gateway-c")) {
      expected.add(fixture.put(group, "s1", T0, group));
    }
    fixture.put("lambda-other", "s1", T0, "not-an-access-log");

    try (CloudWatchLogsSource source = fixture.source().build()) {
      source.pollOnce();
      assertThat(source.logGroups())
          .containsExactlyInAnyOrder("api-gateway-a", "api-gateway-b", "api-gateway-c");
    }

    assertThat(fixture.bodies()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(fixture.server.requestCount("DescribeLogGroups")).isEqualTo(3);
  }

  @Test
  void explicitNamesAndPrefixesAreBothRead() {
    String named = fixture.put("my-access-logs", "s", T0, "named");
    String prefixed = fixture.put("apigw-prod", "s", T0, "prefixed");
    fixture.put("api-gateway-default", "s", T0, "default-prefix-not-asked-for");

    try (CloudWatchLogsSource source =
        fixture.source().addLogGroupName("my-access-logs").addLogGroupNamePrefix("apigw").build()) {
      source.pollOnce();
    }

    assertThat(fixture.bodies()).containsExactlyInAnyOrder(named, prefixed);
  }

  @Test
  void readsEveryPageIncludingEmptyOnesAndManyEventsInOneMillisecond() {
    fixture.logs.setFilterPageSize(4).setEmptyFirstPage(true);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      expected.add(fixture.put(GROUP, "stream-" + (i % 3), T0, "same-ms-" + i));
    }
    for (int i = 0; i < 5; i++) {
      expected.add(fixture.put(GROUP, "stream-0", T0 + 1 + i, "later-" + i));
    }

    try (CloudWatchLogsSource source = fixture.source().addLogGroupName(GROUP).build()) {
      source.pollOnce();
    }

    assertThat(fixture.bodies()).containsExactlyInAnyOrderElementsOf(expected);
    // 30 events / 4 per page = 8 pages, plus the empty first page the service may send.
    assertThat(fixture.server.requestCount("FilterLogEvents")).isEqualTo(9);
    assertThat(fixture.counter("apigateway_otel.logs.cloudwatch.events")).isEqualTo(30);
  }

  @Test
  void recordsCarryTheGroupStreamRegionAndAccount() {
    fixture.put(GROUP, "stream-a", T0, "r1");

    try (CloudWatchLogsSource source = fixture.source().addLogGroupName(GROUP).build()) {
      source.pollOnce();
    }

    assertThat(fixture.records()).hasSize(1);
    Attributes attributes = fixture.records().get(0).getAttributes();
    assertThat(attributes.get(AttributeKey.stringArrayKey("aws.log.group.names")))
        .containsExactly(GROUP);
    assertThat(attributes.get(AttributeKey.stringArrayKey("aws.log.stream.names")))
        .containsExactly("stream-a");
    assertThat(attributes.get(AttributeKey.stringKey("cloud.region")))
        .isEqualTo(CloudWatchLogsTestFixture.REGION);
    assertThat(attributes.get(AttributeKey.stringKey("cloud.account.id")))
        .isEqualTo(CloudWatchLogsTestFixture.ACCOUNT);
    assertThat(attributes.get(AttributeKey.stringKey("aws.request_id"))).isEqualTo("r1");
    assertThat(attributes.get(AttributeKey.stringKey("error.type"))).isNull();
  }

  @Test
  void aGroupWithoutCheckpointStartsAtTheLookback() {
    long now = fixture.clock.millis();
    fixture.put(GROUP, "s", now - Duration.ofMinutes(20).toMillis(), "too-old");
    String recent = fixture.put(GROUP, "s", now - Duration.ofMinutes(10).toMillis(), "recent");

    try (CloudWatchLogsSource source =
        fixture.source().addLogGroupName(GROUP).setLookback(Duration.ofMinutes(15)).build()) {
      source.pollOnce();
    }

    assertThat(fixture.bodies()).containsExactly(recent);
    assertThat(fixture.logs.filterRequests().get(0).startTime())
        .isEqualTo(now - Duration.ofMinutes(15).toMillis());
    assertThat(fixture.logs.filterRequests().get(0).endTime()).isEqualTo(now);
  }

  @Test
  void laterPollsEmitOnlyNewEventsIncludingLateArrivalsAndSameMillisecondNeighbours() {
    long now = fixture.clock.millis();
    List<String> expected = new ArrayList<>();
    expected.add(fixture.put(GROUP, "s1", now - 1000, "first-a"));
    expected.add(fixture.put(GROUP, "s1", now - 1000, "first-b"));
    expected.add(fixture.put(GROUP, "s1", now, "last-ms-a"));

    try (CloudWatchLogsSource source = fixture.source().addLogGroupName(GROUP).build()) {
      source.pollOnce();
      assertThat(fixture.bodies()).containsExactlyInAnyOrderElementsOf(expected);

      fixture.clock.advanceMillis(30_000);
      // Ingested after the first poll: one in the millisecond the poll ended at, one that
      // CloudWatch ingested late with a timestamp two minutes back, and one new.
      expected.add(fixture.put(GROUP, "s2", now, "last-ms-b"));
      expected.add(fixture.put(GROUP, "s3", now - 120_000, "late-arrival"));
      expected.add(fixture.put(GROUP, "s1", now + 10_000, "new"));
      source.pollOnce();
      source.pollOnce();
    }

    Map<String, Long> counts = fixture.bodyCounts();
    assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(counts.values()).allMatch(count -> count == 1);
    assertThat(fixture.counter("apigateway_otel.logs.cloudwatch.duplicates")).isPositive();
  }

  @Test
  void anEventIngestedLaterThanTheOverlapWindowIsNotLookedFor() {
    long now = fixture.clock.millis();
    fixture.put(GROUP, "s", now, "first");

    try (CloudWatchLogsSource source =
        fixture
            .source()
            .addLogGroupName(GROUP)
            .setIngestionOverlap(Duration.ofMinutes(1))
            .build()) {
      source.pollOnce();
      fixture.clock.advanceMillis(Duration.ofMinutes(3).toMillis());
      source.pollOnce();
      List<FilterRequest> requests = fixture.logs.filterRequests();
      assertThat(requests.get(requests.size() - 1).startTime())
          .isEqualTo(now - Duration.ofMinutes(1).toMillis());
    }
    assertThat(fixture.bodies()).hasSize(1);
  }

  @Test
  void aRestartMidStreamNeitherLosesNorRepeatsALine(@TempDir Path stateDir) {
    fixture.logs.setFilterPageSize(4);
    long now = fixture.clock.millis();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      // Three events per millisecond, so page boundaries fall inside a millisecond.
      expected.add(fixture.put(GROUP, "s" + (i % 2), now - 60_000 + i / 3, "event-" + i));
    }

    CloudWatchLogsSource first =
        fixture.source().addLogGroupName(GROUP).setStateDirectory(stateDir).build();
    AtomicInteger filterCalls = new AtomicInteger();
    fixture.server.intercept(
        request -> {
          if ("FilterLogEvents".equals(FakeAwsServer.operationOf(request))
              && filterCalls.incrementAndGet() == 4) {
            first.close(); // killed while the fourth page is on its way
          }
          return Optional.empty();
        });
    first.pollOnce();
    int emittedBeforeKill = fixture.bodies().size();
    assertThat(emittedBeforeKill).isEqualTo(12); // three pages of four
    fixture.server.clearInterceptors();

    try (CloudWatchLogsSource second =
        fixture.source().addLogGroupName(GROUP).setStateDirectory(stateDir).build()) {
      second.pollOnce();
    }
    assertThat(fixture.bodyCounts().keySet()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(fixture.bodyCounts().values()).allMatch(count -> count == 1);

    // And again between polls, with new events in the last millisecond already read.
    fixture.clock.advanceMillis(10_000);
    expected.add(fixture.put(GROUP, "s0", now - 60_000 + 9, "same-ms-after-restart"));
    expected.add(fixture.put(GROUP, "s0", now + 5_000, "after-restart"));
    try (CloudWatchLogsSource third =
        fixture.source().addLogGroupName(GROUP).setStateDirectory(stateDir).build()) {
      third.pollOnce();
    }
    assertThat(fixture.bodyCounts().keySet()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(fixture.bodyCounts().values()).allMatch(count -> count == 1);
    assertThat(stateDir.toFile().list()).hasSize(1).allMatch(name -> name.endsWith(".checkpoint"));
  }

  @Test
  void withoutAStateDirectoryARestartStartsOverFromTheLookback() {
    fixture.put(GROUP, "s", fixture.clock.millis() - 1000, "once");
    try (CloudWatchLogsSource source = fixture.source().addLogGroupName(GROUP).build()) {
      source.pollOnce();
    }
    try (CloudWatchLogsSource source = fixture.source().addLogGroupName(GROUP).build()) {
      source.pollOnce();
    }
    assertThat(fixture.bodies()).hasSize(2);
  }

  @Test
  void throttlingBeyondTheSdkRetriesBacksOffThenCarriesOn() {
    fixture.put(GROUP, "s", fixture.clock.millis() - 1000, "after-throttling");
    AtomicInteger throttled = new AtomicInteger();
    int throttledAnswers = CloudWatchLogsTestFixture.SDK_MAX_ATTEMPTS + 2;
    fixture.server.intercept(
        request ->
            "FilterLogEvents".equals(FakeAwsServer.operationOf(request))
                    && throttled.incrementAndGet() <= throttledAnswers
                ? Optional.of(AwsResponse.jsonError(400, "ThrottlingException", "Rate exceeded"))
                : Optional.empty());

    try (CloudWatchLogsSource source = fixture.source().addLogGroupName(GROUP).build()) {
      source.pollOnce();
      assertThat(fixture.server.requestCount("FilterLogEvents"))
          .isEqualTo(CloudWatchLogsTestFixture.SDK_MAX_ATTEMPTS);
      assertThat(fixture.bodies()).isEmpty();
      assertThat(
              fixture.counter(
                  "apigateway_otel.logs.cloudwatch.errors", Attributes.of(ERROR_TYPE, "throttled")))
          .isEqualTo(1);

      source.pollOnce(); // within the backoff: AWS is not asked
      assertThat(fixture.server.requestCount("FilterLogEvents"))
          .isEqualTo(CloudWatchLogsTestFixture.SDK_MAX_ATTEMPTS);

      fixture.clock.advanceMillis(RetryBackoff.BASE_DELAY.toMillis());
      source.pollOnce(); // two more throttled answers, retried by the SDK, then success
    }
    assertThat(fixture.bodies())
        .containsExactly(line("after-throttling", fixture.logs.events(GROUP).get(0).timestamp()));
    assertThat(fixture.server.requestCount("FilterLogEvents")).isEqualTo(throttledAnswers + 1L);
  }

  @Test
  void serverErrorsBackOffLongerEachTimeButBounded() {
    fixture.put(GROUP, "s", fixture.clock.millis() - 1000, "after-outage");
    fixture.server.intercept(
        request ->
            "FilterLogEvents".equals(FakeAwsServer.operationOf(request))
                ? Optional.of(AwsResponse.jsonError(503, "ServiceUnavailableException", "down"))
                : Optional.empty());

    try (CloudWatchLogsSource source = fixture.source().addLogGroupName(GROUP).build()) {
      List<Long> requestsAfterEachPoll = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        source.pollOnce();
        requestsAfterEachPoll.add(fixture.server.requestCount("FilterLogEvents"));
        fixture.clock.advanceMillis(RetryBackoff.BASE_DELAY.toMillis() * 4);
      }
      // Backoff 2, 4, 8, 16 s...: with the clock moving 8 s per poll, later polls are skipped.
      assertThat(requestsAfterEachPoll.get(11))
          .isLessThan(12L * CloudWatchLogsTestFixture.SDK_MAX_ATTEMPTS);
      assertThat(
              fixture.counter(
                  "apigateway_otel.logs.cloudwatch.errors",
                  Attributes.of(ERROR_TYPE, "server_error")))
          .isBetween(3L, 11L);

      fixture.server.clearInterceptors();
      fixture.clock.advanceMillis(RetryBackoff.MAX_DELAY.toMillis());
      source.pollOnce();
    }
    assertThat(fixture.bodies()).hasSize(1);
  }

  @Test
  void aDeletedGroupIsDroppedAndTheOthersAreStillRead() {
    fixture.put("api-gateway-a", "s", T0, "a-1");
    fixture.put("api-gateway-b", "s", T0, "b-1");

    try (CloudWatchLogsSource source = fixture.source().build()) {
      source.pollOnce();
      assertThat(source.logGroups()).containsExactlyInAnyOrder("api-gateway-a", "api-gateway-b");

      fixture.logs.deleteLogGroup("api-gateway-a");
      fixture.put("api-gateway-b", "s", T0 + 1, "b-2");
      fixture.clock.advanceMillis(1000);
      source.pollOnce();
      assertThat(source.logGroups()).containsExactly("api-gateway-b");
      assertThat(
              fixture.counter(
                  "apigateway_otel.logs.cloudwatch.errors", Attributes.of(ERROR_TYPE, "not_found")))
          .isEqualTo(1);
    }
    assertThat(fixture.bodies()).hasSize(3);
  }

  @Test
  void aMissingNamedGroupDoesNotStopThePoll() {
    String present = fixture.put("api-gateway-present", "s", T0, "present");
    try (CloudWatchLogsSource source =
        fixture
            .source()
            .addLogGroupName("api-gateway-missing")
            .addLogGroupName("api-gateway-present")
            .build()) {
      source.pollOnce();
      assertThat(source.logGroups()).containsExactly("api-gateway-present");
    }
    assertThat(fixture.bodies()).containsExactly(present);
  }

  @Test
  void discoveryFailureBacksOffWithoutThrowing() {
    fixture.put("api-gateway-x", "s", T0, "x");
    fixture.server.intercept(
        request ->
            "DescribeLogGroups".equals(FakeAwsServer.operationOf(request))
                ? Optional.of(AwsResponse.jsonError(400, "AccessDeniedException", "no"))
                : Optional.empty());
    try (CloudWatchLogsSource source = fixture.source().build()) {
      source.pollOnce();
      assertThat(source.logGroups()).isEmpty();
      fixture.server.clearInterceptors();
      fixture.clock.advanceMillis(RetryBackoff.BASE_DELAY.toMillis());
      source.pollOnce();
    }
    assertThat(fixture.bodies()).hasSize(1);
  }

  @Test
  void aPerGroupFormatParsesEachGroupWithItsOwn() {
    String clfLine =
        "203.0.113.9 - - [14/Nov/2023:22:13:20 +0000]\"GET /pets HTTP/1.1\" 404 12 req-clf -";
    fixture.logs.putLogEvent("api-gateway-clf", "s", T0, clfLine);
    AccessLogFormat clf = AccessLogFormat.of("clf");

    try (CloudWatchLogsSource source =
        fixture.source().setFormatForGroup(group -> group.endsWith("-clf") ? clf : null).build()) {
      source.pollOnce();
    }

    assertThat(fixture.records()).hasSize(1);
    Attributes attributes = fixture.records().get(0).getAttributes();
    assertThat(attributes.get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(404L);
    assertThat(attributes.get(AttributeKey.stringKey("error.type"))).isNull();
  }

  @Test
  void aFailingFormatLookupFallsBackToTheBridgesFormatAndLosesNoLine() {
    String message = fixture.put(GROUP, "s", T0, "lookup-fails");
    try (CloudWatchLogsSource source =
        fixture
            .source()
            .addLogGroupName(GROUP)
            .setFormatForGroup(
                group -> {
                  throw new IllegalStateException("stage settings unavailable");
                })
            .build()) {
      source.pollOnce();
    }
    assertThat(fixture.bodies()).containsExactly(message);
    assertThat(
            fixture.counter(
                "apigateway_otel.logs.cloudwatch.errors",
                Attributes.of(ERROR_TYPE, "format_lookup")))
        .isEqualTo(1);
  }

  @Test
  void theCheckpointFileIsReplacedAtomicallyAndLeavesNoTemporaryFiles(@TempDir Path stateDir)
      throws Exception {
    fixture.logs.setFilterPageSize(2);
    for (int i = 0; i < 7; i++) {
      fixture.put(GROUP, "s", fixture.clock.millis() - 10_000 + i, "e" + i);
    }
    try (CloudWatchLogsSource source =
        fixture
            .source()
            .addLogGroupName(GROUP)
            .setStateDirectory(stateDir.resolve("nested"))
            .build()) {
      source.pollOnce();
    }
    try (var files = Files.list(stateDir.resolve("nested"))) {
      List<Path> all = files.toList();
      assertThat(all).hasSize(1);
      assertThat(Files.readString(all.get(0))).contains("group " + GROUP);
    }
  }

  @Test
  void builderRejectsBadConfigurationNamingIt() {
    assertThatThrownBy(() -> CloudWatchLogsSource.builder(fixture.bridge).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("region");
    assertThatThrownBy(() -> fixture.source().setLookback(Duration.ofMinutes(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lookback");
    assertThatThrownBy(() -> fixture.source().setPollInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pollInterval");
    assertThatThrownBy(() -> fixture.source().addLogGroupNamePrefix(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prefix");
    assertThatThrownBy(() -> fixture.source().setPageSize(10_001))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pageSize");
    assertThatThrownBy(() -> CloudWatchLogsSource.builder(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("bridge");
  }

  @Test
  void aSourceBuiltFromRegionEndpointAndCredentialsReadsThroughItsOwnClient() {
    String message = fixture.put(GROUP, "s", System.currentTimeMillis() - 1000, "own-client");
    try (CloudWatchLogsSource source =
        CloudWatchLogsSource.builder(fixture.bridge)
            .setRegion(CloudWatchLogsTestFixture.REGION)
            .setEndpointOverride(fixture.server.endpoint())
            .setCredentialsProvider(
                software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                    software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                        "AKIDTEST", "secret")))
            .addLogGroupName(GROUP)
            .build()) {
      source.pollOnce();
    }
    assertThat(fixture.bodies()).containsExactly(message);
    assertThat(fixture.logs.filterRequests()).hasSize(1);
  }
}
