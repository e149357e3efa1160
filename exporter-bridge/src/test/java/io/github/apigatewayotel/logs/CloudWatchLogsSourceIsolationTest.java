package io.github.apigatewayotel.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.logs.internal.cloudwatch.LogGroupReader;
import io.github.apigatewayotel.logs.internal.cloudwatch.RetryBackoff;
import io.github.apigatewayotel.testing.aws.AwsFaultResponses;
import io.github.apigatewayotel.testing.aws.AwsRequest;
import io.github.apigatewayotel.testing.aws.AwsResponse;
import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One log group's failure, a discovery failure or throttling must not starve the other groups. */
class CloudWatchLogsSourceIsolationTest {

  private static final String ERRORS = "apigateway_otel.logs.cloudwatch.errors";
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("rpc.method");
  private static final Pattern LOG_GROUP_NAME = Pattern.compile("\"logGroupName\":\"([^\"]+)\"");
  private static final AttributeKey<List<String>> LOG_GROUP =
      AttributeKey.stringArrayKey("aws.log.group.names");

  private final Logger sourceLogger = Logger.getLogger(CloudWatchLogsSource.class.getName());
  private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
  private final Handler warningCollector =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            warnings.add(record);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  /** The group of every FilterLogEvents call that reached the server, answered or refused. */
  private final List<String> asked = new CopyOnWriteArrayList<>();

  private CloudWatchLogsTestFixture fixture;

  @BeforeEach
  void setUp() throws Exception {
    fixture = new CloudWatchLogsTestFixture();
    fixture.server.intercept(
        request -> {
          if ("FilterLogEvents".equals(FakeAwsServer.operationOf(request))) {
            Matcher group = LOG_GROUP_NAME.matcher(request.bodyText());
            asked.add(group.find() ? group.group(1) : "?");
          }
          return Optional.empty();
        });
    sourceLogger.addHandler(warningCollector);
  }

  @AfterEach
  void tearDown() {
    sourceLogger.removeHandler(warningCollector);
    fixture.close();
  }

  @Test
  void aGroupDeniedBetweenTwoGoodOnesDoesNotStopThemAndIsReadOnceAccessReturns() {
    long now = fixture.clock.millis();
    String a1 = fixture.put("api-gateway-a", "s", now - 1000, "a-1");
    String b1 = fixture.put("api-gateway-b", "s", now - 1000, "b-1");
    String c1 = fixture.put("api-gateway-c", "s", now - 1000, "c-1");
    AtomicBoolean denied = new AtomicBoolean(true);
    fixture.server.intercept(
        request ->
            denied.get() && isFilterOf(request, "api-gateway-b")
                ? Optional.of(AwsResponse.jsonError(400, "AccessDeniedException", "not authorized"))
                : Optional.empty());

    try (CloudWatchLogsSource source = fixture.source().build()) {
      source.pollOnce();
      assertThat(fixture.bodies()).containsExactlyInAnyOrder(a1, c1);
      assertThat(groupErrors("api-gateway-b", "client_error")).isEqualTo(1);
      assertThat(filterCallsOf("api-gateway-b")).isEqualTo(1); // the SDK does not retry a denial

      // Within b's backoff: a and c are read again, b is not asked.
      fixture.clock.advanceMillis(RetryBackoff.BASE_DELAY.toMillis() / 2);
      String a2 = fixture.put("api-gateway-a", "s", fixture.clock.millis() - 10, "a-2");
      source.pollOnce();
      assertThat(fixture.bodies()).contains(a2).doesNotContain(b1);
      assertThat(filterCallsOf("api-gateway-b")).isEqualTo(1);

      // Past the backoff, still denied: asked again, counted again, but logged only once.
      fixture.clock.advanceMillis(RetryBackoff.BASE_DELAY.toMillis());
      source.pollOnce();
      assertThat(filterCallsOf("api-gateway-b")).isEqualTo(2);
      assertThat(groupErrors("api-gateway-b", "client_error")).isEqualTo(2);
      assertThat(warningsAbout("api-gateway-b")).isEqualTo(1);

      denied.set(false);
      fixture.clock.advanceMillis(RetryBackoff.MAX_DELAY.toMillis());
      source.pollOnce();
    }
    assertThat(fixture.bodyCounts()).containsKeys(a1, b1, c1);
    assertThat(fixture.bodyCounts().values()).allMatch(count -> count == 1);
    assertThat(groupErrors("api-gateway-a", "client_error")).isZero();
  }

  @Test
  void aGroupWithABacklogYieldsAfterItsPagesAndGoesOnNextPoll() {
    long now = fixture.clock.millis();
    int backlog = LogGroupReader.MAX_PAGES_PER_READ * 2 + 5;
    List<String> busy = new ArrayList<>();
    for (int i = 0; i < backlog; i++) { // one event a page (page size 1), one millisecond apart
      busy.add(fixture.put("api-gateway-busy", "s", now - 10_000 + i, "busy-" + i));
    }
    String quiet = fixture.put("api-gateway-quiet", "s", now - 1000, "quiet-1");

    try (CloudWatchLogsSource source = fixture.source().setPageSize(1).build()) {
      source.pollOnce();
      // the busy group handed over its share and yielded; the quiet one was read in the same poll
      assertThat(fixture.bodies()).contains(quiet);
      assertThat(busyRead(busy)).isEqualTo(LogGroupReader.MAX_PAGES_PER_READ);
      source.pollOnce();
      assertThat(busyRead(busy)).isEqualTo(2 * LogGroupReader.MAX_PAGES_PER_READ);
      source.pollOnce();
      assertThat(busyRead(busy)).isEqualTo(backlog);
    }
    assertThat(fixture.bodyCounts().values()).allMatch(count -> count == 1);
    assertThat(fixture.bodyCounts()).hasSize(backlog + 1);
  }

  private int busyRead(List<String> busy) {
    return (int) fixture.bodies().stream().filter(busy::contains).count();
  }

  @Test
  void aServerErrorStuckOnOneGroupDoesNotStopTheOthers() {
    long now = fixture.clock.millis();
    String a1 = fixture.put("api-gateway-a", "s", now - 1000, "a-1");
    fixture.put("api-gateway-b", "s", now - 1000, "b-1");
    String c1 = fixture.put("api-gateway-c", "s", now - 1000, "c-1");
    fixture.server.intercept(
        request ->
            isFilterOf(request, "api-gateway-b")
                ? Optional.of(AwsFaultResponses.serverError(request, 503))
                : Optional.empty());

    try (CloudWatchLogsSource source = fixture.source().build()) {
      source.pollOnce();
    }
    assertThat(fixture.bodies()).containsExactlyInAnyOrder(a1, c1);
    assertThat(groupErrors("api-gateway-b", "server_error")).isEqualTo(1);
  }

  @Test
  void aDescribeLogGroupsDenialStillReadsTheNamedGroups() {
    long now = fixture.clock.millis();
    String named1 = fixture.put("my-access-logs", "s", now - 1000, "named-1");
    fixture.put("api-gateway-unseen", "s", now - 1000, "needs-discovery");
    fixture.server.intercept(
        request ->
            "DescribeLogGroups".equals(FakeAwsServer.operationOf(request))
                ? Optional.of(AwsResponse.jsonError(400, "AccessDeniedException", "no describe"))
                : Optional.empty());

    List<String> expected = new ArrayList<>(List.of(named1));
    try (CloudWatchLogsSource source =
        fixture
            .source()
            .addLogGroupName("my-access-logs")
            .addLogGroupNamePrefix("api-gateway")
            .build()) {
      for (int i = 0; i < 4; i++) {
        source.pollOnce();
        assertThat(source.logGroups()).containsExactly("my-access-logs");
        fixture.clock.advanceMillis(RetryBackoff.MAX_DELAY.toMillis());
        expected.add(fixture.put("my-access-logs", "s", fixture.clock.millis() - 10, "named-" + i));
      }
      source.pollOnce();
    }
    assertThat(fixture.bodyCounts().keySet()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(fixture.bodyCounts().values()).allMatch(count -> count == 1);
    assertThat(fixture.server.requestCount("DescribeLogGroups")).isEqualTo(5); // retried each time
    assertThat(
            fixture.counter(
                ERRORS, Attributes.of(OPERATION, "DescribeLogGroups", ERROR_TYPE, "client_error")))
        .isEqualTo(5);
    assertThat(warningsAbout("log group discovery")).isEqualTo(1);
  }

  @Test
  void aDiscoveryOutageAfterASuccessfulOneKeepsReadingTheGroupsFound() {
    long now = fixture.clock.millis();
    List<String> expected = new ArrayList<>();
    expected.add(fixture.put("api-gateway-a", "s", now - 1000, "a-0"));
    AtomicBoolean describeDown = new AtomicBoolean();
    fixture.server.intercept(
        request ->
            describeDown.get() && "DescribeLogGroups".equals(FakeAwsServer.operationOf(request))
                ? Optional.of(AwsFaultResponses.serverError(request, 503))
                : Optional.empty());

    Duration discoveryInterval = Duration.ofMinutes(5);
    try (CloudWatchLogsSource source =
        fixture.source().setDiscoveryInterval(discoveryInterval).build()) {
      source.pollOnce();
      describeDown.set(true);
      for (int i = 1; i <= 5; i++) {
        fixture.clock.advanceMillis(discoveryInterval.toMillis());
        expected.add(fixture.put("api-gateway-a", "s", fixture.clock.millis() - 1000, "a-" + i));
        source.pollOnce();
        assertThat(source.logGroups()).containsExactly("api-gateway-a");
      }
    }
    assertThat(fixture.bodyCounts().keySet()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(fixture.bodyCounts().values()).allMatch(count -> count == 1);
    assertThat(
            fixture.counter(
                ERRORS, Attributes.of(OPERATION, "DescribeLogGroups", ERROR_TYPE, "server_error")))
        .isEqualTo(5);
  }

  /**
   * The account allows {@code k} FilterLogEvents calls per poll (the SDK's retries included) over
   * {@code n > k} groups: every group's lines all arrive within ceil(n / k) polls, again and again.
   */
  @Test
  void throttlingThatCutsEveryPollShortStillReadsEveryGroupWithinBoundedPolls() {
    int groupCount = 10;
    int callsPerPoll = 3;
    int pollBound = (groupCount + callsPerPoll - 1) / callsPerPoll;
    AtomicInteger callsThisPoll = new AtomicInteger();
    fixture.server.intercept(
        request ->
            "FilterLogEvents".equals(FakeAwsServer.operationOf(request))
                    && callsThisPoll.incrementAndGet() > callsPerPoll
                ? Optional.of(AwsFaultResponses.throttling(request))
                : Optional.empty());

    try (CloudWatchLogsSource source = fixture.source().build()) {
      for (int round = 0; round < 3; round++) {
        List<String> expected = new ArrayList<>();
        for (int g = 0; g < groupCount; g++) {
          expected.add(
              fixture.put(
                  groupName(g), "s", fixture.clock.millis() - 1000, "round-" + round + "-g" + g));
        }
        int polls = 0;
        while (!fixture.bodies().containsAll(expected) && polls < groupCount) {
          callsThisPoll.set(0);
          long requestsBefore = fixture.server.requestCount("FilterLogEvents");
          source.pollOnce();
          polls++;
          // The poll stops at the first throttled group: one throttled call, SDK retries aside.
          assertThat(fixture.server.requestCount("FilterLogEvents") - requestsBefore)
              .isLessThanOrEqualTo(callsPerPoll + CloudWatchLogsTestFixture.SDK_MAX_ATTEMPTS);
          fixture.clock.advanceMillis(RetryBackoff.MAX_DELAY.toMillis());
        }
        assertThat(fixture.bodies()).containsAll(expected);
        assertThat(polls).isLessThanOrEqualTo(pollBound);
      }
    }
    assertThat(fixture.bodyCounts().values()).allMatch(count -> count == 1);
    assertThat(fixture.counter(ERRORS, Attributes.of(ERROR_TYPE, "throttled"))).isPositive();
  }

  @Test
  void throttlingEndsThePollSoTheGroupsAfterItAreNotAskedUntilTheNextOne() {
    for (int g = 0; g < 4; g++) {
      fixture.put(groupName(g), "s", fixture.clock.millis() - 1000, "g" + g);
    }
    AtomicBoolean throttled = new AtomicBoolean(true);
    fixture.server.intercept(
        request ->
            throttled.get() && isFilterOf(request, groupName(1))
                ? Optional.of(AwsFaultResponses.throttling(request))
                : Optional.empty());

    try (CloudWatchLogsSource source = fixture.source().build()) {
      source.pollOnce();
      assertThat(asked)
          .containsExactly(groupName(0), groupName(1), groupName(1), groupName(1)); // SDK retries
      assertThat(groupErrors(groupName(1), "throttled")).isEqualTo(1);

      source.pollOnce(); // within the source's backoff: AWS is not asked
      assertThat(fixture.server.requestCount("FilterLogEvents"))
          .isEqualTo(1L + CloudWatchLogsTestFixture.SDK_MAX_ATTEMPTS);

      throttled.set(false);
      fixture.clock.advanceMillis(RetryBackoff.BASE_DELAY.toMillis());
      source.pollOnce(); // starts with the throttled group, then the ones after it
    }
    assertThat(asked.subList(asked.size() - 4, asked.size()))
        .containsExactly(groupName(1), groupName(2), groupName(3), groupName(0));
    assertThat(fixture.bodies()).hasSize(4);
    assertThat(fixture.bodyCounts().values()).allMatch(count -> count == 1);
  }

  private static String groupName(int index) {
    return String.format("api-gateway-%02d", index);
  }

  private static boolean isFilterOf(AwsRequest request, String group) {
    return "FilterLogEvents".equals(FakeAwsServer.operationOf(request))
        && request.bodyText().contains("\"" + group + "\"");
  }

  private long filterCallsOf(String group) {
    return asked.stream().filter(group::equals).count();
  }

  private long groupErrors(String group, String errorType) {
    return fixture.counter(
        ERRORS,
        Attributes.of(
            OPERATION, "FilterLogEvents", ERROR_TYPE, errorType, LOG_GROUP, List.of(group)));
  }

  private long warningsAbout(String subject) {
    return warnings.stream()
        .filter(record -> String.valueOf(record.getMessage()).contains(subject))
        .count();
  }
}
