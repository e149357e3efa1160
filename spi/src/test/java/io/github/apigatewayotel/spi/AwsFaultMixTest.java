package io.github.apigatewayotel.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.apigatewayotel.testing.aws.ApiGatewaySimulator;
import io.github.apigatewayotel.testing.aws.AwsFaultInjector;
import io.github.apigatewayotel.testing.aws.AwsFaultInjector.Kind;
import io.github.apigatewayotel.testing.aws.CloudWatchLogsSimulator;
import io.github.apigatewayotel.testing.aws.CloudWatchSimulator;
import io.github.apigatewayotel.testing.aws.FakeAwsServer;
import io.github.apigatewayotel.testing.aws.SimulatedAccount;
import io.github.apigatewayotel.testing.aws.StsSimulator;
import io.github.apigatewayotel.testing.aws.TaggingSimulator;
import io.github.apigatewayotel.testing.otlp.OtlpTestReceiver;
import io.github.apigatewayotel.testing.otlp.ReceivedLog;
import io.github.apigatewayotel.testing.otlp.ReceivedMetric;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole plugin, started by SDK autoconfigure as a host starts it, with the metrics receiver and
 * the CloudWatch Logs source both reading a simulated account that misbehaves: about half of all
 * AWS calls throttled, some slow, bursts of 5xx, credentials that expire for a while, and
 * pagination tokens (GetMetricData, FilterLogEvents) rejected as expired. Once the faults stop,
 * every access-log line and every CloudWatch datapoint the account holds must have arrived over
 * OTLP exactly once, the AWS calls made must stay within what the retry policies allow, and the
 * plugin's own counters must show the throttling and errors it went through.
 */
class AwsFaultMixTest {

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

  private final TemporarySystemProperties properties = new TemporarySystemProperties();
  private FakeAwsServer aws;
  private OtlpTestReceiver otlp;

  @BeforeEach
  void credentials() {
    properties.setTestCredentials();
  }

  @AfterEach
  void stop() {
    properties.restore();
    if (otlp != null) {
      otlp.close();
    }
    if (aws != null) {
      aws.close();
    }
  }

  @Test
  void everyLineAndDatapointArrivesOnceThroughAMixOfAwsFaults() throws Exception {
    long started = System.nanoTime();
    // The account's data is fixed: its clock stands still and it holds only the last minutes, so
    // the expected datapoints are known however the receiver's windows slide during the run.
    Instant frozenNow = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    SimulatedAccount account = SimulatedAccount.demo(ACCOUNT, REGION, SEED);
    account.setClock(() -> frozenNow);
    account.setDataSince(frozenNow.minusSeconds((long) DATA_MINUTES * PERIOD_SECONDS));
    CloudWatchSimulator cloudWatch = new CloudWatchSimulator(account);
    cloudWatch.setDatapointsPerCall(DATAPOINTS_PER_CALL);
    CloudWatchLogsSimulator logs =
        new CloudWatchLogsSimulator(ACCOUNT).setFilterPageSize(LOG_PAGE_SIZE);
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
    aws =
        FakeAwsServer.start()
            .register(cloudWatch)
            .register(new ApiGatewaySimulator(account))
            .register(new TaggingSimulator(account))
            .register(new StsSimulator(account))
            .register(logs)
            .intercept(faults);
    otlp = OtlpTestReceiver.start();
    List<String> requestIds = new ArrayList<>();
    long twoMinutesAgo = System.currentTimeMillis() - 120_000;
    for (String group : GROUPS) {
      for (int i = 0; i < LINES_BEFORE_START; i++) {
        requestIds.add(putLine(logs, group, i, twoMinutesAgo + i));
      }
    }
    Map<String, Double> expectedPoints = expectedPoints(account, frozenNow);

    OpenTelemetrySdk sdk = startPlugin();
    ApiGatewayPlugin plugin = ApiGatewayPlugin.of(sdk).orElseThrow();
    Map<String, Integer> points;
    Map<String, Integer> lines;
    AwsFaultInjector.Counts injected;
    try {
      assertThat(OtlpTestReceiver.await(PHASE_TIMEOUT, faults::scriptsDone))
          .as("every scripted fault was played: %s", faults.counts())
          .isTrue();
      // New lines are read while the account still throttles half of the calls.
      List<String> writtenDuringFaults = new ArrayList<>();
      for (String group : GROUPS) {
        for (int i = 0; i < LINES_DURING_FAULTS; i++) {
          writtenDuringFaults.add(
              putLine(logs, group, LINES_BEFORE_START + i, System.currentTimeMillis()));
        }
      }
      requestIds.addAll(writtenDuringFaults);
      assertThat(
              OtlpTestReceiver.await(
                  PHASE_TIMEOUT,
                  () -> receivedLines().keySet().containsAll(writtenDuringFaults)))
          .as("lines written during the faults were read during the faults")
          .isTrue();
      faults.stop();
      injected = faults.counts();

      boolean complete =
          OtlpTestReceiver.await(
              PHASE_TIMEOUT,
              () ->
                  receivedPoints().keySet().containsAll(expectedPoints.keySet())
                      && receivedLines().keySet().containsAll(requestIds));
      sdk.getSdkMeterProvider().forceFlush().join(10, TimeUnit.SECONDS);
      sdk.getSdkLoggerProvider().forceFlush().join(10, TimeUnit.SECONDS);
      points = receivedPoints();
      lines = receivedLines();
      assertThat(complete)
          .as(
              "all data arrived: %d of %d points, %d of %d lines",
              points.size(), expectedPoints.size(), lines.size(), requestIds.size())
          .isTrue();
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
    assertThat(gaugeValues()).allSatisfy((key, value) -> assertThat(value).as(key)
        .isEqualTo(expectedPoints.get(key)));

    // No busy loop: every call the plugin needs, each tried at most as often as its retry layer
    // allows, plus one FilterLogEvents per group and one GetMetricData per poll while idle.
    long minimumCalls = faultFreeCalls(account, expectedPoints.size(), requestIds.size());
    long polls = (long) Math.ceil(wallSeconds / POLL_INTERVAL.toSeconds()) + 1;
    long bound = MAX_ATTEMPTS_PER_CALL * (minimumCalls + polls * (GROUPS.size() + 1));
    assertThat(calls).isLessThanOrEqualTo(bound);

    // The plugin's own metrics say what happened.
    long receiverThrottles = counter("apigateway_otel.receiver.aws.throttles", kv -> true);
    long receiver5xx =
        counter("apigateway_otel.receiver.aws.errors",
            kv -> has(kv, "error.type", "InternalFailure", "ServiceUnavailable"));
    long receiverExpired =
        counter("apigateway_otel.receiver.aws.errors", kv -> has(kv, "error.type", "ExpiredToken"));
    long receiverToken =
        counter("apigateway_otel.receiver.aws.errors",
            kv -> has(kv, "error.type", "InvalidNextToken"));
    assertThat(receiverThrottles).isPositive();
    assertThat(receiver5xx).isPositive();
    assertThat(receiverExpired).isPositive();
    assertThat(receiverToken).isPositive();
    String logErrors = "apigateway_otel.logs.cloudwatch.errors";
    long logsThrottled = counter(logErrors, kv -> has(kv, "error.type", "throttled"));
    long logs5xx = counter(logErrors, kv -> has(kv, "error.type", "server_error"));
    long logsExpired = counter(logErrors, kv -> has(kv, "error.type", "credentials"));
    long logsToken = counter(logErrors, kv -> has(kv, "error.type", "client_error"));
    assertThat(logsThrottled).isPositive();
    assertThat(logs5xx).isPositive();
    assertThat(logsExpired).isPositive();
    assertThat(logsToken).isPositive();
    // Every failed attempt, the AWS SDK's own retries included, not only the calls it gave up on.
    String attemptErrors = "apigateway_otel.logs.cloudwatch.attempt_errors";
    long attemptsThrottled = counter(attemptErrors, kv -> has(kv, "error.type", "throttled"));
    long attempts5xx = counter(attemptErrors, kv -> has(kv, "error.type", "server_error"));
    assertThat(attemptsThrottled).isGreaterThanOrEqualTo(logsThrottled).isPositive();
    assertThat(attempts5xx).isGreaterThanOrEqualTo(logs5xx).isPositive();
    assertThat(counter("apigateway_otel.logs.cloudwatch.events", kv -> true))
        .as("events handed to the bridge: each once")
        .isEqualTo(requestIds.size());

    long retried =
        injected.throttled() + injected.serverErrors() + injected.expired()
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
        wallSeconds, calls, minimumCalls, (double) calls / minimumCalls, bound,
        injected.throttled(), injected.serverErrors(), injected.expired(),
        injected.rejectedTokens(), injected.delayed(), retried,
        requestIds.size(), lines.size(), duplicatedLines,
        expectedPoints.size(), points.size(), duplicatedPoints,
        receiverThrottles, receiver5xx, receiverExpired, receiverToken,
        logsThrottled, logs5xx, logsExpired, logsToken, attemptsThrottled, attempts5xx);
  }

  private OpenTelemetrySdk startPlugin() {
    Map<String, String> properties =
        Map.ofEntries(
            Map.entry("otel.service.name", "aws-fault-mix-test"),
            Map.entry("otel.traces.exporter", "none"),
            Map.entry("otel.metrics.exporter", "otlp"),
            Map.entry("otel.logs.exporter", "otlp"),
            Map.entry("otel.exporter.otlp.protocol", "http/protobuf"),
            Map.entry("otel.exporter.otlp.endpoint", otlp.endpoint()),
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
        "{\"apiId\": \"a1b2c3d4e5\", \"stage\": \"prod\", \"requestId\":\"" + requestId + "\","
            + " \"ip\":\"198.51.100.7\", \"caller\":\"-\", \"user\":\"-\", \"requestTime\":"
            + millis + ", \"httpMethod\":\"GET\", \"resourcePath\":\"/pets\", \"status\":200,"
            + " \"protocol\":\"HTTP/1.1\", \"responseLength\":42}";
    logs.putLogEvent(group, "stream-" + (n % 3), millis, line);
    return requestId;
  }

  // ---- what the account holds ----

  /** One OTel metric of a CloudWatch metric: the statistic queried and whether it is a Sum. */
  private record Statistic(String stat, String otelName, boolean sum) {}

  /**
   * Every datapoint the account holds for the receiver to export, by {@link #pointKey}, with its
   * value; computed from the account's series and DESIGN.md's metric table.
   */
  private static Map<String, Double> expectedPoints(SimulatedAccount account, Instant now) {
    Map<String, Double> expected = new HashMap<>();
    long end = now.getEpochSecond();
    for (SimulatedAccount.Series series : account.series(REGION)) {
      SimulatedAccount.ApiType type = account.api(series.apiId()).type();
      for (Statistic statistic : statistics(type, series.metricName())) {
        for (int m = DATA_MINUTES; m >= 1; m--) {
          long periodStart = end - (long) m * PERIOD_SECONDS;
          account
              .datapoint(series, statistic.stat(), Instant.ofEpochSecond(periodStart), PERIOD_SECONDS)
              .ifPresent(
                  value ->
                      expected.put(
                          pointKey(statistic.otelName(), series.apiId(),
                              series.dimensions().getOrDefault("Stage", ""), routeOf(series),
                              periodStart),
                          value));
        }
      }
    }
    return expected;
  }

  /** The route a series names: its Route dimension, else {@code Method Resource}, else none. */
  private static String routeOf(SimulatedAccount.Series series) {
    Map<String, String> d = series.dimensions();
    if (d.containsKey("Route")) {
      return d.get("Route");
    }
    return d.containsKey("Method") ? d.get("Method") + " " + d.get("Resource") : "";
  }

  /** DESIGN.md's metric table: the statistics exported for a CloudWatch metric of an API type. */
  private static List<Statistic> statistics(SimulatedAccount.ApiType type, String metric) {
    String name = "aws.apigateway.";
    switch (metric) {
      case "IntegrationLatency":
        return latency(name + "integration_latency", List.of("p90", "p95", "p99"));
      case "Latency":
        return latency(name + "latency", List.of("p50", "p75", "p90", "p95", "p99"));
      case "4XXError", "5XXError", "4xx", "5xx":
        return List.of(new Statistic("Sum", name + metric.toLowerCase(), true));
      case "CacheHitCount":
        return List.of(new Statistic("Sum", name + "cache_hit_count", true));
      case "CacheMissCount":
        return List.of(new Statistic("Sum", name + "cache_miss_count", true));
      case "Count":
        return List.of(new Statistic("Sum", name + "count", true));
      case "DataProcessed":
        return List.of(new Statistic("Sum", name + "data_processed", true));
      default:
        assertThat(type).as(metric).isEqualTo(SimulatedAccount.ApiType.WEBSOCKET);
        String base = name + metric.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase();
        return List.of(new Statistic("Average", base, false), new Statistic("Sum", base + ".sum", true));
    }
  }

  private static List<Statistic> latency(String base, List<String> percentiles) {
    List<Statistic> statistics = new ArrayList<>();
    statistics.add(new Statistic("Average", base, false));
    statistics.add(new Statistic("Maximum", base + ".maximum", false));
    statistics.add(new Statistic("Minimum", base + ".minimum", false));
    percentiles.forEach(p -> statistics.add(new Statistic(p, base + "." + p, false)));
    return statistics;
  }

  /** The fewest AWS calls that read everything, without faults. */
  private static long faultFreeCalls(SimulatedAccount account, int points, int lines) {
    int series = account.series(REGION).size();
    long queries = 0;
    for (SimulatedAccount.Series s : account.series(REGION)) {
      queries += statistics(account.api(s.apiId()).type(), s.metricName()).size();
    }
    long discovery = 4 + ceilDiv(series, CloudWatchSimulator.LIST_METRICS_PAGE_SIZE);
    long getMetricData =
        ceilDiv(queries, CloudWatchSimulator.MAX_QUERIES_PER_CALL)
            + ceilDiv(points, DATAPOINTS_PER_CALL);
    long logCalls = 1 + GROUPS.size() + ceilDiv(lines, LOG_PAGE_SIZE);
    return discovery + getMetricData + logCalls;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }

  // ---- what arrived over OTLP ----

  private static String pointKey(
      String name, String apiId, String stage, String route, long periodStart) {
    return name + "|" + apiId + "|" + stage + "|" + route + "|" + periodStart;
  }

  /** The API Gateway datapoints received, by {@link #pointKey}, with how often each came. */
  private Map<String, Integer> receivedPoints() {
    Map<String, Integer> received = new HashMap<>();
    forEachApiGatewayPoint((key, point) -> received.merge(key, 1, Integer::sum), false);
    return received;
  }

  /** The values of the gauges received (Sums may be running totals). */
  private Map<String, Double> gaugeValues() {
    Map<String, Double> values = new HashMap<>();
    forEachApiGatewayPoint((key, point) -> values.put(key, point.getAsDouble()), true);
    return values;
  }

  private void forEachApiGatewayPoint(
      java.util.function.BiConsumer<String, NumberDataPoint> action, boolean gaugesOnly) {
    for (ReceivedMetric received : otlp.metrics()) {
      Metric metric = received.metric();
      if (!metric.getName().startsWith("aws.apigateway.") || (gaugesOnly && !metric.hasGauge())) {
        continue;
      }
      boolean sum = metric.hasSum();
      List<NumberDataPoint> dataPoints =
          sum ? metric.getSum().getDataPointsList() : metric.getGauge().getDataPointsList();
      for (NumberDataPoint point : dataPoints) {
        // A Sum ends at its period's end, a Gauge is stamped at its period's start.
        long periodStart =
            TimeUnit.NANOSECONDS.toSeconds(point.getTimeUnixNano()) - (sum ? PERIOD_SECONDS : 0);
        List<KeyValue> attributes = point.getAttributesList();
        String route = text(attributes, "aws.apigateway.route_key");
        if (route.isEmpty() && !text(attributes, "http.request.method").isEmpty()) {
          String original = text(attributes, "http.request.method_original");
          String method = original.isEmpty() ? text(attributes, "http.request.method") : original;
          route = method + " " + text(attributes, "http.route");
        }
        action.accept(
            pointKey(metric.getName(), text(attributes, "aws.apigateway.api.id"),
                text(attributes, "aws.apigateway.stage"), route, periodStart),
            point);
      }
    }
  }

  /** The access-log records received, by {@code aws.request_id}, with how often each came. */
  private Map<String, Integer> receivedLines() {
    Map<String, Integer> received = new HashMap<>();
    for (ReceivedLog log : otlp.logRecords()) {
      received.merge(String.valueOf(log.stringAttribute("aws.request_id")), 1, Integer::sum);
    }
    return received;
  }

  /**
   * The total of a cumulative counter of the plugin's own: the last value of each attribute set
   * matching {@code filter}, summed.
   */
  private long counter(String name, Predicate<List<KeyValue>> filter) {
    Map<String, Long> last = new HashMap<>();
    for (ReceivedMetric received : otlp.metrics()) {
      if (!received.name().equals(name)) {
        continue;
      }
      for (NumberDataPoint point : received.metric().getSum().getDataPointsList()) {
        if (filter.test(point.getAttributesList())) {
          last.merge(point.getAttributesList().toString(), point.getAsInt(), Math::max);
        }
      }
    }
    return last.values().stream().mapToLong(Long::longValue).sum();
  }

  private static boolean has(List<KeyValue> attributes, String key, String... values) {
    return List.of(values).contains(text(attributes, key));
  }

  private static String text(List<KeyValue> attributes, String key) {
    for (KeyValue kv : attributes) {
      if (kv.getKey().equals(key)) {
        return kv.getValue().getStringValue();
      }
    }
    return "";
  }

  private static long duplicates(Map<String, Integer> counts) {
    return counts.values().stream().mapToLong(n -> n - 1).sum();
  }

}
