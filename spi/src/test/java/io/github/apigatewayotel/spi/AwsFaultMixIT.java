package io.github.apigatewayotel.spi;

import static io.github.apigatewayotel.spi.ReceivedApiGatewayData.duplicates;
import static io.github.apigatewayotel.spi.ReceivedApiGatewayData.has;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.apigatewayotel.testing.aws.AwsFaultInjector;
import io.github.apigatewayotel.testing.aws.AwsFaultInjector.Kind;
import io.github.apigatewayotel.testing.aws.CloudWatchLogsSimulator;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.junit.OtlpReceiverExtension;
import io.github.apigatewayotel.testing.junit.SimulatedAwsExtension;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole plugin, started by SDK autoconfigure as a host starts it, with the metrics receiver and
 * the CloudWatch Logs source both reading a simulated account that misbehaves: about half of all
 * AWS calls throttled, some slow, bursts of 5xx, credentials that expire for a while, and
 * pagination tokens (GetMetricData, FilterLogEvents) rejected as expired. Once the faults stop,
 * every access-log line and every CloudWatch datapoint the account holds must have arrived over
 * OTLP exactly once, the AWS calls made must stay within what the retry policies allow, and the
 * plugin's own counters must show the throttling and errors it went through.
 */
class AwsFaultMixIT {

  private static final String REGION = "eu-west-1";
  private static final String ACCOUNT = "123456789012";
  private static final long SEED = 5;
  private static final String GROUP_PREFIX = "api-gateway-faults";
  private static final List<String> GROUPS =
      List.of(GROUP_PREFIX + "-orders", GROUP_PREFIX + "-pets", GROUP_PREFIX + "-chat");
  private static final int LINES_BEFORE_START = 600;
  private static final int LINES_DURING_FAULTS = 150;

  /** Small pages, so that reading a group takes several FilterLogEvents calls with tokens. */
  private static final int LOG_PAGE_SIZE = 150;

  /** Small answers, so that GetMetricData batches need NextToken pages. */
  private static final int DATAPOINTS_PER_CALL = 400;

  private static final int DATA_MINUTES = 3;
  private static final int PERIOD_SECONDS = 60;

  /**
   * The most attempts either retry layer makes for one call: the receiver's 5, the SDK's 3 (its
   * standard retry mode, the default since AWS SDK 2.59; 4 in the legacy mode of 2.40).
   */
  private static final int MAX_ATTEMPTS_PER_CALL = 5;

  private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

  /**
   * Bounds each phase. A run takes 45-50 s in all on a quiet machine since the AWS SDK 2.59's
   * standard retry mode backs a throttled call off from 1 s (20-30 s with the legacy mode's 0.5 s).
   */
  private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(90);

  @RegisterExtension
  final SimulatedAwsExtension aws =
      SimulatedAwsExtension.demoAccount(ACCOUNT, REGION, SEED).withLogs().withTestCredentials();

  @RegisterExtension
  final OtlpReceiverExtension<OtlpTestReceiver> otlp = OtlpReceiverExtension.http();

  @Test
  void everyLineAndDatapointArrivesOnceThroughAMixOfAwsFaults() throws Exception {
    long started = System.nanoTime();
    // The account's data is fixed: its clock stands still and it holds only the last minutes, so
    // the expected datapoints are known however the receiver's windows slide during the run.
    Instant frozenNow = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    SimulatedAccount account = aws.account();
    account.setClock(() -> frozenNow);
    account.setDataSince(frozenNow.minusSeconds((long) DATA_MINUTES * PERIOD_SECONDS));
    aws.cloudWatch().setDatapointsPerCall(DATAPOINTS_PER_CALL);
    CloudWatchLogsSimulator logs = aws.logs().setFilterPageSize(LOG_PAGE_SIZE);
    AwsFaultInjector faults =
        AwsFaultInjector.builder(SEED)
            .throttle(0.5)
            .slow(0.1, 300, 800)
            // Between two episodes of the log source, enough calls for a whole group to be read
            // again, so its backoff restarts from the base instead of growing across episodes.
            .gap("logs", 6)
            // The receiver calls GetMetricData only while its window is not collected: each of
            // its episodes but the last fails a batch, so the next poll calls again.
            .gap("monitoring", 2)
            .episode("monitoring", "GetMetricData", Kind.REJECTED_TOKEN, 1)
            .episode("monitoring", "GetMetricData", Kind.EXPIRED_CREDENTIALS, 2)
            .episode("monitoring", "GetMetricData", Kind.SERVER_ERROR_BURST, 3)
            .episode("logs", "FilterLogEvents", Kind.REJECTED_TOKEN, 1)
            .episode("logs", "FilterLogEvents", Kind.SERVER_ERROR_BURST, 5)
            .episode("logs", "FilterLogEvents", Kind.THROTTLE_STREAK, 5)
            .episode("logs", "FilterLogEvents", Kind.EXPIRED_CREDENTIALS, 2)
            .build();
    aws.server().intercept(faults);
    ReceivedApiGatewayData received = new ReceivedApiGatewayData(otlp.receiver(), PERIOD_SECONDS);
    List<String> requestIds = new ArrayList<>();
    long twoMinutesAgo = System.currentTimeMillis() - 120_000;
    for (String group : GROUPS) {
      for (int i = 0; i < LINES_BEFORE_START; i++) {
        requestIds.add(putLine(logs, group, i, twoMinutesAgo + i));
      }
    }
    Map<String, Double> expectedPoints =
        ExpectedDatapoints.of(account, REGION, frozenNow, DATA_MINUTES, PERIOD_SECONDS);
    assertThat(expectedPoints).as("the account holds datapoints to read").isNotEmpty();

    OpenTelemetrySdk sdk = startPlugin();
    ApiGatewayPlugin plugin = ApiGatewayPlugin.of(sdk).orElseThrow();
    Map<String, Integer> points;
    Map<String, Integer> lines;
    AwsFaultInjector.Counts injected;
    try {
      await()
          .atMost(PHASE_TIMEOUT)
          .untilAsserted(
              () ->
                  assertThat(faults.scriptsDone())
                      .as("every scripted fault was played: %s", faults.counts())
                      .isTrue());
      // New lines are read while the account still throttles half of the calls.
      List<String> writtenDuringFaults = new ArrayList<>();
      for (String group : GROUPS) {
        for (int i = 0; i < LINES_DURING_FAULTS; i++) {
          writtenDuringFaults.add(
              putLine(logs, group, LINES_BEFORE_START + i, System.currentTimeMillis()));
        }
      }
      requestIds.addAll(writtenDuringFaults);
      await("lines written during the faults were read during the faults")
          .atMost(PHASE_TIMEOUT)
          .until(() -> received.lines().keySet().containsAll(writtenDuringFaults));
      faults.stop();
      injected = faults.counts();

      await()
          .atMost(PHASE_TIMEOUT)
          .untilAsserted(
              () -> {
                Map<String, Integer> pointsSoFar = received.points();
                Map<String, Integer> linesSoFar = received.lines();
                assertThat(
                        pointsSoFar.keySet().containsAll(expectedPoints.keySet())
                            && linesSoFar.keySet().containsAll(requestIds))
                    .as(
                        "all data arrived: %d of %d points, %d of %d lines",
                        pointsSoFar.size(),
                        expectedPoints.size(),
                        linesSoFar.size(),
                        requestIds.size())
                    .isTrue();
              });
      sdk.getSdkMeterProvider().forceFlush().join(10, TimeUnit.SECONDS);
      sdk.getSdkLoggerProvider().forceFlush().join(10, TimeUnit.SECONDS);
      points = received.points();
      lines = received.lines();
    } finally {
      plugin.close();
      sdk.close();
    }
    double wallSeconds = (System.nanoTime() - started) / 1e9;
    long calls = faults.counts().calls();

    // Exactly once: nothing missing, nothing extra, nothing twice.
    assertThat(lines.keySet()).containsExactlyInAnyOrderElementsOf(requestIds);
    long duplicatedLines = duplicates(lines);
    assertThat(duplicatedLines).isZero();
    assertThat(points.keySet()).containsExactlyInAnyOrderElementsOf(expectedPoints.keySet());
    long duplicatedPoints = duplicates(points);
    assertThat(duplicatedPoints).isZero();
    assertThat(received.gaugeValues())
        .isNotEmpty()
        .allSatisfy((key, value) -> assertThat(value).as(key).isEqualTo(expectedPoints.get(key)));

    // No busy loop: every call the plugin needs, each tried at most as often as its retry layer
    // allows, plus one FilterLogEvents per group and one GetMetricData per poll while idle.
    long minimumCalls =
        ExpectedDatapoints.faultFreeCalls(
            account,
            REGION,
            expectedPoints.size(),
            DATAPOINTS_PER_CALL,
            GROUPS.size(),
            requestIds.size(),
            LOG_PAGE_SIZE);
    long polls = (long) Math.ceil(wallSeconds / POLL_INTERVAL.toSeconds()) + 1;
    long bound = MAX_ATTEMPTS_PER_CALL * (minimumCalls + polls * (GROUPS.size() + 1));
    assertThat(calls).isLessThanOrEqualTo(bound);

    // The plugin's own metrics say what happened.
    long receiverThrottles = received.counter("apigateway_otel.receiver.aws.throttles", kv -> true);
    long receiver5xx =
        received.counter(
            "apigateway_otel.receiver.aws.errors",
            kv -> has(kv, "error.type", "InternalFailure", "ServiceUnavailable"));
    long receiverExpired =
        received.counter(
            "apigateway_otel.receiver.aws.errors", kv -> has(kv, "error.type", "ExpiredToken"));
    long receiverToken =
        received.counter(
            "apigateway_otel.receiver.aws.errors", kv -> has(kv, "error.type", "InvalidNextToken"));
    assertThat(receiverThrottles).isPositive();
    assertThat(receiver5xx).isPositive();
    assertThat(receiverExpired).isPositive();
    assertThat(receiverToken).isPositive();
    String logErrors = "apigateway_otel.logs.cloudwatch.errors";
    long logsThrottled = received.counter(logErrors, kv -> has(kv, "error.type", "throttled"));
    long logs5xx = received.counter(logErrors, kv -> has(kv, "error.type", "server_error"));
    long logsExpired = received.counter(logErrors, kv -> has(kv, "error.type", "credentials"));
    long logsToken = received.counter(logErrors, kv -> has(kv, "error.type", "client_error"));
    assertThat(logsThrottled).isPositive();
    assertThat(logs5xx).isPositive();
    assertThat(logsExpired).isPositive();
    assertThat(logsToken).isPositive();
    // Every failed attempt, the AWS SDK's own retries included, not only the calls it gave up on.
    String attemptErrors = "apigateway_otel.logs.cloudwatch.attempt_errors";
    long attemptsThrottled =
        received.counter(attemptErrors, kv -> has(kv, "error.type", "throttled"));
    long attempts5xx = received.counter(attemptErrors, kv -> has(kv, "error.type", "server_error"));
    assertThat(attemptsThrottled).isGreaterThanOrEqualTo(logsThrottled).isPositive();
    assertThat(attempts5xx).isGreaterThanOrEqualTo(logs5xx).isPositive();
    assertThat(received.counter("apigateway_otel.logs.cloudwatch.events", kv -> true))
        .as("events handed to the bridge: each once")
        .isEqualTo(requestIds.size());

    long retried =
        injected.throttled()
            + injected.serverErrors()
            + injected.expired()
            + injected.rejectedTokens();
    System.out.printf(
        "AWS fault mix: wall %.1f s; AWS calls %d (fault-free minimum %d, x%.1f, bound %d);"
            + " injected: throttled %d, 5xx %d, expired credentials %d, rejected tokens %d,"
            + " slow %d; calls answered with a fault (retried or redone) %d;"
            + " lines sent %d received %d duplicated %d;"
            + " points expected %d received %d duplicated %d;"
            + " receiver counters: throttles %d, 5xx %d, expired %d, invalid token %d;"
            + " logs source errors: throttled %d, server_error %d, credentials %d, client_error %d;"
            + " logs attempts failed: throttled %d, server_error %d%n",
        wallSeconds,
        calls,
        minimumCalls,
        (double) calls / minimumCalls,
        bound,
        injected.throttled(),
        injected.serverErrors(),
        injected.expired(),
        injected.rejectedTokens(),
        injected.delayed(),
        retried,
        requestIds.size(),
        lines.size(),
        duplicatedLines,
        expectedPoints.size(),
        points.size(),
        duplicatedPoints,
        receiverThrottles,
        receiver5xx,
        receiverExpired,
        receiverToken,
        logsThrottled,
        logs5xx,
        logsExpired,
        logsToken,
        attemptsThrottled,
        attempts5xx);
  }

  private OpenTelemetrySdk startPlugin() {
    Map<String, String> properties =
        Map.ofEntries(
            Map.entry("otel.service.name", "aws-fault-mix-test"),
            Map.entry("otel.traces.exporter", "none"),
            Map.entry("otel.metrics.exporter", "otlp"),
            Map.entry("otel.logs.exporter", "otlp"),
            Map.entry("otel.exporter.otlp.protocol", "http/protobuf"),
            Map.entry("otel.exporter.otlp.endpoint", otlp.receiver().endpoint()),
            Map.entry("otel.metric.export.interval", "500"),
            Map.entry("otel.blrp.schedule.delay", "100"),
            Map.entry("otel.apigateway.regions", REGION),
            Map.entry("otel.apigateway.aws.endpoint", aws.endpoint().toString()),
            Map.entry("otel.apigateway.metrics.delay", "0s"),
            Map.entry("otel.apigateway.metrics.lookback", "10m"),
            Map.entry("otel.apigateway.metrics.interval", POLL_INTERVAL.toMillis() + "ms"),
            Map.entry("otel.apigateway.logs.group.prefixes", GROUP_PREFIX),
            Map.entry("otel.apigateway.logs.lookback", "10m"),
            Map.entry("otel.apigateway.logs.interval", POLL_INTERVAL.toMillis() + "ms"),
            // Lines are written as they happen, so a short overlap is enough, and keeps every
            // poll from re-reading the whole backlog page by page.
            Map.entry("otel.apigateway.logs.overlap", "10s"));
    return AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> properties)
        .build()
        .getOpenTelemetrySdk();
  }

  /** Writes one access-log line in the seed's JSON format; returns its request id. */
  private static String putLine(CloudWatchLogsSimulator logs, String group, int n, long millis) {
    String requestId = group.substring(GROUP_PREFIX.length() + 1) + "-" + n;
    String line =
        "{\"apiId\": \"a1b2c3d4e5\", \"stage\": \"prod\", \"requestId\":\""
            + requestId
            + "\","
            + " \"ip\":\"198.51.100.7\", \"caller\":\"-\", \"user\":\"-\", \"requestTime\":"
            + millis
            + ", \"httpMethod\":\"GET\", \"resourcePath\":\"/pets\", \"status\":200,"
            + " \"protocol\":\"HTTP/1.1\", \"responseLength\":42}";
    logs.putLogEvent(group, "stream-" + (n % 3), millis, line);
    return requestId;
  }
}
